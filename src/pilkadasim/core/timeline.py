"""The shape of election day at every site, drawn once per replication.

Like a run sheet for each TPS: when the KPPS opens (late now and then), when voting closes,
how long the count runs (long-tailed), when the escorted ballot box reaches the PPK, and — per
kecamatan — when the PPK office is busy receiving boxes. The result is a table of stage
windows ``[start, end)`` per site; it depends only on the seed and the replication, never on
staffing, so every design point of a sweep lives through the same day.
"""

from __future__ import annotations

import numpy as np

from pilkadasim.core.day import DayTimeline
from pilkadasim.core.operation import add_operation
from pilkadasim.core.rng import Stream, Streams
from pilkadasim.core.scenario import DAY_STAGES, STAGES, FloatArray, Scenario

PREP, VOTING, COUNTING, TRANSPORT, RECAP, STEADY = range(len(DAY_STAGES))


def draw_day(scenario: Scenario, streams: Streams) -> DayTimeline:
    """Draw the day of one replication."""
    spec = scenario.timeline
    n_sites = len(scenario.region.sites)
    travel = scenario.travel
    raining = bool(streams[Stream.WEATHER].random() < travel.rain_probability)
    windows = np.zeros((n_sites, len(STAGES), 2))
    if spec.mode == "steady":
        windows[:, STEADY] = (spec.start_at, spec.end_at)
        nan = np.full(scenario.region.sites.n_tps, np.nan)
        return DayTimeline(windows, nan, nan, raining)
    day = _election_day(scenario, streams, windows, raining)
    if spec.operation is not None:  # timeline=operation: the days around it (core.operation)
        day = add_operation(scenario, day, streams)
    return day


def _election_day(
    scenario: Scenario, streams: Streams, windows: FloatArray, raining: bool
) -> DayTimeline:
    spec = scenario.timeline
    sites = scenario.region.sites
    n = sites.n_tps
    assert spec.late_open_delay
    assert spec.close_delay
    assert spec.counting
    assert spec.handover
    late = streams[Stream.OPENING].random(n) < spec.late_open_probability
    open_at = spec.open_at + late * spec.late_open_delay.sample(streams[Stream.OPENING], n)
    close_at = np.maximum(open_at, spec.close_at) + spec.close_delay.sample(
        streams[Stream.CLOSING], n
    )
    count_min = spec.counting.sample(streams[Stream.COUNTING], n)
    count_end = np.minimum(close_at + count_min, max(spec.count_deadline_at, spec.close_at))
    count_end = np.maximum(count_end, close_at)
    n_bases = len(scenario.region.bases)
    box_min = scenario.travel.minutes[n_bases + np.arange(n), sites.ppk_site]
    box_min = box_min * scenario.travel.box_factor
    arrival = count_end + box_min + spec.handover.sample(streams[Stream.HANDOVER], n)

    tps = slice(0, n)
    windows[tps, PREP] = np.column_stack([np.full(n, spec.start_at), open_at])
    windows[tps, VOTING] = np.column_stack([open_at, close_at])
    windows[tps, COUNTING] = np.column_stack([close_at, count_end])
    windows[tps, TRANSPORT] = np.column_stack([count_end, arrival])
    ppks = np.unique(sites.ppk_site)  # recap: first to last box of its TPS (linear in TPS)
    first, last = np.full(len(windows), np.inf), np.full(len(windows), -np.inf)
    np.minimum.at(first, sites.ppk_site, arrival)
    np.maximum.at(last, sites.ppk_site, arrival)
    windows[ppks, RECAP, 0] = first[ppks]
    windows[ppks, RECAP, 1] = last[ppks] + spec.recap_tail_min
    np.clip(windows, spec.start_at, spec.end_at, out=windows)
    return DayTimeline(windows, count_end, arrival, raining)
