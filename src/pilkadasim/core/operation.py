"""The operation around election day (``timeline=operation``): logistics, storage, plenos.

Election day does not stand alone. Two days before it (H-2) the logistics leave the KPU
warehouse for the PPK offices under police escort; on H-1 they go on to the TPS, where the
ballot boxes are stored overnight under the TPS guards; after the count the boxes wait at the
PPK office for the PPK pleno (from H+2), then are escorted to the KPU warehouse for the KPU
kabupaten recap (H+6). This module adds those stages to the day drawn by
:mod:`pilkadasim.core.timeline`, on the same clock (minutes since 00:00 of election day;
earlier days negative), and posts guards at the PPK and KPU offices while boxes are there.

Per site the added windows ``[start, end)`` are:

* TPS — ``logistics``: the escorted delivery from its PPK (departure uniform in
  ``tps_delivery_at``, then travel × box factor + handover); ``storage``: from delivery to
  the election-day set-up at ``prep_from_at``.
* PPK office — ``logistics``: from the escort leaving the KPU warehouse (uniform in
  ``ppk_delivery_at``) to the last delivery leaving for its TPS; ``storage``: from the end
  of the election-night recap to the pleno; ``pleno``: from ``pleno_start_at`` for a random
  length; ``transport``: the boxes' escort to the KPU office after the pleno.
* KPU office (the last site) — ``logistics``: from the start to the last PPK departure;
  ``storage``: from the first box back from a PPK to the recap; ``kpu_recap``: from
  ``kpu_recap_start_at`` for a random length.

Everything is drawn from the ``OPERATION`` stream in a fixed order, so it never depends on
staffing (common random numbers hold).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from pilkadasim.core.calls import Call
from pilkadasim.core.rng import Stream, Streams
from pilkadasim.core.scenario import STAGES, FloatArray, Scenario

if TYPE_CHECKING:
    from pilkadasim.core.day import DayTimeline

PREP, TRANSPORT, RECAP = (STAGES.index(s) for s in ("preparation", "transport", "recap"))
LOGISTICS, STORAGE, PLENO, KPU_RECAP = (
    STAGES.index(s) for s in ("logistics", "storage", "pleno", "kpu_recap")
)
GUARDED = frozenset({LOGISTICS, STORAGE, PLENO, KPU_RECAP})  # office guard duty stages


def add_operation(scenario: Scenario, day: DayTimeline, streams: Streams) -> DayTimeline:
    """``day`` (an election day drawn on the operation's horizon) with the operation's
    stages added; the election-day stages themselves are unchanged except that set-up
    starts at ``prep_from_at`` (not at the start of the operation)."""
    spec = scenario.timeline.operation
    assert spec is not None
    windows = day.windows.copy()
    rng = streams[Stream.OPERATION]
    sites = scenario.region.sites
    n, kpu = sites.n_tps, spec.kpu_site
    ppks = np.arange(n, kpu)
    node = len(scenario.region.bases)  # travel rows: bases first, then sites
    minutes, box = scenario.travel.minutes, scenario.travel.box_factor

    tps_dep = _uniform(rng, spec.tps_delivery_at, n)
    tps_arr = tps_dep + minutes[node + sites.ppk_site, np.arange(n)] * box
    tps_arr = tps_arr + spec.handover.sample(rng, n)
    ppk_dep = _uniform(rng, spec.ppk_delivery_at, len(ppks))
    last_out = np.full(len(sites), -np.inf)
    np.maximum.at(last_out, sites.ppk_site, tps_dep)
    pleno_end = spec.pleno_start_at + spec.pleno.sample(rng, len(ppks))
    back = pleno_end + minutes[node + ppks, kpu] * box + spec.handover.sample(rng, len(ppks))
    recap_len = float(spec.kpu_recap.sample(rng, 1)[0])

    windows[:n, LOGISTICS] = np.column_stack([tps_dep, tps_arr])
    windows[:n, STORAGE] = np.column_stack([tps_arr, np.full(n, spec.prep_from_at)])
    windows[:n, PREP, 0] = spec.prep_from_at
    windows[ppks, LOGISTICS] = np.column_stack([ppk_dep, last_out[ppks]])
    recap_end = np.maximum(windows[ppks, RECAP, 1], spec.prep_from_at)
    windows[ppks, STORAGE] = np.column_stack([recap_end, np.full(len(ppks), spec.pleno_start_at)])
    windows[ppks, PLENO] = np.column_stack([np.full(len(ppks), spec.pleno_start_at), pleno_end])
    windows[ppks, TRANSPORT] = np.column_stack([pleno_end, back])
    windows[kpu, LOGISTICS] = (scenario.timeline.start_at, ppk_dep.max(initial=-np.inf))
    windows[kpu, STORAGE] = (back.min(initial=np.inf), spec.kpu_recap_start_at)
    windows[kpu, KPU_RECAP] = (spec.kpu_recap_start_at, spec.kpu_recap_start_at + recap_len)
    np.clip(windows, scenario.timeline.start_at, scenario.timeline.end_at, out=windows)
    return replace(day, windows=windows)


def _uniform(rng: np.random.Generator, bounds: tuple[float, float], size: int) -> FloatArray:
    low, high = bounds
    out: FloatArray = low + rng.random(size) * (high - low)
    return out


class OfficeGuards:
    """Guards posted at the PPK and KPU offices in the operation's stages: ``k`` per office,
    on the spot (no travel), each taking a severity-1 incident there while free. They come
    from the TPS guard contingent after the count (not extra personnel); their ids follow
    the TPS guards' (``first_guard = n_tps_guards + office × k + j``)."""

    def __init__(self, scenario: Scenario, day: DayTimeline) -> None:
        spec = scenario.timeline.operation
        assert spec is not None
        self.k = spec.office_guards
        self.first_office = scenario.region.sites.n_tps
        self.first_id = scenario.guards.n_guards
        self.max_severity = scenario.guards.max_severity
        self.factor = scenario.incidents.severity_factor
        self.free_at = [-np.inf] * (self.k * (len(scenario.region.sites) - self.first_office))

    def take(self, call: Call, stage: int) -> bool:
        """Handle ``call`` (at an office, in a guarded stage) with a free office guard."""
        if stage not in GUARDED or call.severity > self.max_severity:
            return False
        office = call.site - self.first_office
        now = call.occurred_at
        for j in range(office * self.k, (office + 1) * self.k):
            if self.free_at[j] <= now:
                done = now + call.handling_min * self.factor[call.severity - 1]
                self.free_at[j] = done
                call.first_guard = self.first_id + j
                call.reported_at = call.dispatched_at = now
                call.arrived_at = call.capable_at = now
                call.cleared_at = done
                return True
        return False


def office_guards(scenario: Scenario, day: DayTimeline) -> OfficeGuards | None:
    """The office guards of an operation run (None otherwise, or without TPS guards)."""
    spec = scenario.timeline.operation
    if spec is None or spec.office_guards == 0 or scenario.guards.n_guards == 0:
        return None
    return OfficeGuards(scenario, day)
