"""Calls for service and the command post's queue of calls still waiting for units.

A :class:`Call` is an incident as the command post sees it, from occurrence to clearance. What
it still needs is ``outstanding``: under the ``first_responder`` doctrine a call with nobody
assigned needs a first unit of any kind, and every call needs ``needed`` units *capable* of its
severity until the command post stops asking (the capability wait ran out, or the scene was
cleared).

The :class:`CallQueue` holds, per severity, two heaps keyed by (report time, index): calls
that still need a capable unit, and calls that have no unit at all yet. A freed unit looks at
the top of each severity's heap, most severe first, so taking a queued call is O(log n) and a
day with n calls costs O(n log n) however long the queue gets. Entries are removed lazily: a
call leaves the queue (``queued = False``) the moment its last needed unit is assigned, and a
stale heap entry is skipped when it surfaces.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable

NAN = math.nan


class Call:
    """An incident as the command post sees it, from occurrence to clearance."""

    __slots__ = (
        "arrived",
        "arrived_at",
        "capable_at",
        "capable_on_scene",
        "cleared_at",
        "dispatched_at",
        "effort",
        "escalated",
        "first_guard",
        "first_unit",
        "handling_min",
        "index",
        "last_update",
        "n_capable",
        "needed",
        "occurred_at",
        "proceeded",
        "queued",
        "rate",
        "reported_at",
        "severity",
        "site",
        "token",
        "units",
        "work_left",
    )

    def __init__(
        self,
        index: int,
        site: int,
        severity: int,
        needed: int,
        occurred_at: float,
        handling_min: float,
    ) -> None:
        self.index = index
        self.site = site
        self.severity = severity
        self.needed = needed  # capable units the call needs on scene
        self.occurred_at = occurred_at
        self.handling_min = handling_min
        self.reported_at = NAN
        self.dispatched_at = NAN
        self.arrived_at = NAN  # first police unit (or guard) on scene
        self.capable_at = NAN  # the needed capable units on scene
        self.cleared_at = NAN
        self.units: list[int] = []
        self.n_capable = 0  # assigned units capable of the current severity
        self.arrived = 0
        self.capable_on_scene = 0
        self.first_unit = -1
        self.first_guard = -1
        self.escalated = False
        self.proceeded = False  # the command post stopped waiting for the capability
        self.queued = False
        self.work_left = NAN  # on-scene minutes of work still to do at full pace
        self.effort = 0.0  # on-scene units' share of the capability the severity needs
        self.rate = 0.0  # current pace of the on-scene work (1 = the needed units are there)
        self.last_update = NAN
        self.token = 0  # bumped when the scheduled clearance moves

    @property
    def done(self) -> bool:
        return not math.isnan(self.cleared_at)

    @property
    def capable_outstanding(self) -> int:
        """Capable units still to assign (0 once the command post stopped asking)."""
        if self.proceeded or self.done:
            return 0
        return max(0, self.needed - self.n_capable)

    def outstanding(self, first_any: bool) -> int:
        """Units still to assign: the capable ones, or a first unit of any kind."""
        n = self.capable_outstanding
        if first_any and not self.units and not self.done:
            return max(n, 1)
        return n


class CallQueue:
    """Waiting calls, most severe first, then first come first served."""

    def __init__(self, first_any: bool, severities: int = 3) -> None:
        self.first_any = first_any
        self.capable: list[list[tuple[float, int, Call]]] = [[] for _ in range(severities + 1)]
        self.unmanned: list[list[tuple[float, int, Call]]] = [[] for _ in range(severities + 1)]

    def push(self, call: Call) -> None:
        """Queue ``call`` (again, e.g. after an escalation) if it still needs units."""
        if call.outstanding(self.first_any) <= 0:
            call.queued = False
            return
        call.queued = True
        entry = (call.reported_at, call.index, call)
        s = call.severity
        if call.capable_outstanding > 0:
            heapq.heappush(self.capable[s], entry)
        if self.first_any and not call.units:
            heapq.heappush(self.unmanned[s], entry)

    def _top(self, heap: list[tuple[float, int, Call]], s: int, unmanned: bool) -> Call | None:
        while heap:
            call = heap[0][2]
            if (
                call.queued
                and call.severity == s
                and (not call.units if unmanned else call.capable_outstanding > 0)
            ):
                return call
            heapq.heappop(heap)  # stale: served, escalated away or no longer asking
        return None

    def next_for(
        self, capable_of: Callable[[int], bool], accepts: Callable[[Call], bool]
    ) -> Call | None:
        """The most urgent queued call a unit may take: one needing a capable unit at a
        severity the unit is capable of, or (``first_responder``) one with nobody yet."""
        for s in range(len(self.capable) - 1, 0, -1):
            if capable_of(s):
                call = self._top(self.capable[s], s, unmanned=False)
                if self.first_any:  # an unmanned call may no longer ask for a capable unit
                    other = self._top(self.unmanned[s], s, unmanned=True)
                    if other is not None and _earlier(other, call):
                        call = other
            elif self.first_any:
                call = self._top(self.unmanned[s], s, unmanned=True)
            else:
                call = None
            if call is not None and accepts(call):
                return call
        return None

    def waiting(self) -> list[Call]:
        """The calls now in the queue (for invariant checks; not on the hot path)."""
        seen: dict[int, Call] = {}
        for heaps in (self.capable, self.unmanned):
            for heap in heaps:
                for _r, i, call in heap:
                    if call.queued:
                        seen[i] = call
        return list(seen.values())


def _earlier(a: Call, b: Call | None) -> bool:
    return b is None or (a.reported_at, a.index) < (b.reported_at, b.index)
