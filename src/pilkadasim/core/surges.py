"""Result-driven protest surges at the PPK and KPU offices (``incidents.surges``).

When the results come in, trouble does not arrive one incident at a time: a crowd gathers at
a PPK office during the election-night recap or the pleno, or at the KPU office during the
kabupaten recap, and several incidents follow at that one place within a few hours. The
model is a cluster (Neyman–Scott) process on the office sites:

* surges start at each office as a Poisson process with ``rate_per_hour`` × the day's tension
  factor, during the office's after-count stages (``stages``: the election-night ``recap``,
  and with ``timeline=operation`` the PPK ``pleno`` and the ``kpu_recap``), uniformly in time;
* a surge brings ``1 + Poisson(extra_mean)`` incidents of type ``type_index`` at the same
  office, each at a uniform time within ``spread_min`` after the surge starts (the crowd stays
  when the session ends; incidents after the horizon are dropped). Each incident keeps the
  surge's stage.

Drawn from the ``SURGE`` stream only, before any staffing is known (common random numbers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from pilkadasim.core.scenario import FloatArray, IntArray, Scenario

if TYPE_CHECKING:
    from pilkadasim.core.day import DayTimeline

Columns = tuple[FloatArray, IntArray, IntArray, IntArray]  # time, site, stage, type


def add_surges(
    scenario: Scenario,
    day: DayTimeline,
    rng: np.random.Generator,
    factor: float,
    columns: Columns,
) -> Columns:
    """``columns`` with the incidents of the day's surges appended."""
    spec = scenario.incidents.surges
    assert spec is not None
    t, site, stage, kind = surge_incidents(scenario, day, rng, factor)
    return (
        np.concatenate([columns[0], t]),
        np.concatenate([columns[1], site]),
        np.concatenate([columns[2], stage]),
        np.concatenate([columns[3], kind]),
    )


def surge_incidents(
    scenario: Scenario, day: DayTimeline, rng: np.random.Generator, factor: float
) -> Columns:
    """The incidents of the day's surges (unsorted)."""
    spec = scenario.incidents.surges
    assert spec is not None
    offices = np.arange(scenario.region.sites.n_tps, len(scenario.region.sites))
    stages = np.array(spec.stages, dtype=np.int64)
    w = day.windows[offices][:, stages]  # (office, stage, start/end)
    duration = np.maximum(w[..., 1] - w[..., 0], 0.0)
    counts = rng.poisson((spec.rate_per_hour * factor * duration / 60.0).ravel())
    pair = np.repeat(np.arange(counts.size), counts)
    office, which = np.divmod(pair, len(stages))
    start = w[office, which, 0] + rng.random(pair.size) * duration[office, which]
    size = 1 + rng.poisson(spec.extra_mean, pair.size)
    member = np.repeat(np.arange(pair.size), size)
    t = start[member] + rng.random(member.size) * spec.spread_min
    keep = t < scenario.timeline.end_at
    member = member[keep]
    return (
        t[keep],
        offices[office[member]].astype(np.int64),
        stages[which[member]],
        np.full(member.size, spec.type_index, dtype=np.int64),
    )
