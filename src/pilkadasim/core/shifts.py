"""Crew shifts of the mobile units (``staffing.shift_hours``, ``staffing.handover_min``).

Crews change every ``shift_min`` minutes counted from the start of the operation (06:00 on
the default day: with 12-hour shifts at 18:00 and at 06:00 the next day). At a change every
unit of the fleet hands over at the first moment it is not committed to a call:

- a unit waiting (at its base, or on patrol) hands over at once, where it is;
- a unit on a call hands over when its scene is cleared, at the scene (the relieving crew is
  brought to it), before it takes a queued call or drives back;
- a unit driving back hands over when it gets there (it may still be re-tasked on the way:
  it is not committed, so the change waits until it is free again).

During the handover (``handover_min``) the unit is out of service (status ``HANDOVER``): no
call is sent to it; a call reported meanwhile goes to another unit or waits in the queue. A
change that falls while a unit is still handing over (a late handover after a long call, with
short shifts) is met by the crew coming on: the unit does not hand over twice in a row.
When the handover ends the unit takes the most urgent queued call it may take at once
(a unit that handed over at a scene drives there from the scene; one that handed over at its
base mounts up first, a patrolling one starts from where it stood), else it drives back (after
a scene) or waits where it is. A patrol stands still during a handover and then resumes its
round. Handover time is not counted as busy time (utilisation counts calls only).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import simpy

from pilkadasim.core.calls import Call
from pilkadasim.core.rosters import ShiftSpec
from pilkadasim.core.units import HANDOVER, IDLE, Fleet

AT_POST = -1  # a handover not at a scene


class ShiftHost(Protocol):
    """What the shift clock uses of the day model (:class:`~pilkadasim.core.model.DayModel`)."""

    env: simpy.Environment
    fleet: Fleet

    def after(self, delay: float, action: Callable[[], None]) -> None: ...

    def traffic(self, t: float) -> float: ...

    def release(self, unit: int, site: int) -> None: ...

    def next_queued_for(self, unit: int) -> Call | None: ...

    def send_from_status(self, unit: int, call: Call, eta: float) -> None: ...


class Shifts:
    """The shift clock of one replication."""

    def __init__(self, host: ShiftHost, spec: ShiftSpec, start_at: float, end_at: float) -> None:
        self.host, self.spec = host, spec
        self.start_at, self.end_at = start_at, end_at
        n = host.fleet.n
        self.due = [False] * n  # a change has passed and this unit has not handed over yet
        self.log: list[tuple[int, float, float, int]] = []  # unit, from, until, site or -1

    def start(self) -> None:
        """Schedule the first crew change (each change schedules the next)."""
        self.schedule(self.start_at + self.spec.shift_min)

    def schedule(self, at: float) -> None:
        if at < self.end_at:
            self.host.after(at - self.host.env.now, self.change)

    def change(self) -> None:
        """A crew change: waiting units hand over now, the others when free; a unit already
        handing over is taking on a fresh crew and does not hand over again."""
        fleet = self.host.fleet
        for u in range(fleet.n):
            if fleet.status[u] == IDLE:
                self.begin(u, AT_POST)
            elif fleet.status[u] != HANDOVER:
                self.due[u] = True
        self.schedule(self.host.env.now + self.spec.shift_min)

    def at_scene(self, unit: int, site: int) -> bool:
        """Called when ``unit`` clears a scene: hand over there if due (True)."""
        if not self.due[unit]:
            return False
        self.begin(unit, site)
        return True

    def at_home(self, unit: int) -> bool:
        """Called when ``unit`` is back at its base or route: hand over there if due."""
        if not self.due[unit]:
            return False
        self.begin(unit, AT_POST)
        return True

    def begin(self, unit: int, site: int) -> None:
        host, now = self.host, self.host.env.now
        until = now + self.spec.handover_min
        self.due[unit] = False
        host.fleet.move(unit, HANDOVER)
        if site == AT_POST:
            host.fleet.hold(unit, now, until)
        self.log.append((unit, now, until, site))
        host.after(self.spec.handover_min, lambda: self.end(unit, site))

    def end(self, unit: int, site: int) -> None:
        """Back in service: the most urgent queued call it may take, else on as before."""
        host = self.host
        if site != AT_POST:
            host.release(unit, site)
            return
        nxt = host.next_queued_for(unit)  # asked while still out of service, as on a scene
        host.fleet.move(unit, IDLE)
        if nxt is not None:
            now = host.env.now
            eta = host.fleet.eta(nxt.site, now, host.traffic(now))[unit]
            host.send_from_status(unit, nxt, eta)
