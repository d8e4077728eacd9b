"""Incident generation: a non-homogeneous Poisson process per site, drawn vectorised.

Think of it as writing the day's incident log before the day starts: for every site and stage
the rate is ``rate[stage, category, type] × site_weight × hourly_profile(t)``; occurrences are
drawn by thinning, all sites at once, then (optionally) self-exciting offspring are added and
every incident gets its severity, handling time, reporting delay and escalation draw from its
own named stream. Nothing here looks at staffing or dispatch, so the same log is replayed at
every design point of a sweep (common random numbers by construction).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pilkadasim.core.day import DayTimeline
from pilkadasim.core.rng import Stream, Streams
from pilkadasim.core.scenario import MINUTES_PER_HOUR, FloatArray, IntArray, Scenario
from pilkadasim.core.surges import add_surges


@dataclass(frozen=True)
class IncidentLog:
    """The pre-generated incidents of one replication, sorted by ``occurred_at``."""

    occurred_at: FloatArray
    site: IntArray
    type: IntArray
    stage: IntArray
    severity: IntArray  # 1..3, before any escalation
    handling_min: FloatArray  # on-scene time at severity 1 (scaled by severity factor)
    reporting_delay_min: FloatArray
    escalation_draw: FloatArray  # uniform(0, 1): escalates if < probability
    tension: float = 1.0  # the day's hazard multiplier (1 when tension is off)

    def __len__(self) -> int:
        return len(self.occurred_at)


def generate_incidents(scenario: Scenario, day: DayTimeline, streams: Streams) -> IncidentLog:
    """All incidents of one replication."""
    factor = day_tension(scenario.incidents.tension_cv, streams)
    t, site, stage = _primary_occurrences(scenario, day, streams[Stream.OCCURRENCE], factor)
    kind = _draw_types(scenario, site, stage, streams[Stream.INCIDENT_TYPE])
    if scenario.incidents.clustering.enabled:
        t, site, stage, kind = _add_offspring(scenario, day, streams, t, site, stage, kind)
    if scenario.incidents.surges is not None:  # protest surges at offices (core.surges)
        cols = (t, site, stage, kind)
        t, site, stage, kind = add_surges(scenario, day, streams[Stream.SURGE], factor, cols)
    order = np.lexsort((site, t))
    t, site, stage, kind = t[order], site[order], stage[order], kind[order]
    log = _attach_attributes(scenario, streams, t, site, stage, kind)
    return replace(log, tension=factor)


def day_tension(cv: float, streams: Streams) -> float:
    """The day's hazard multiplier: gamma with mean 1 and coefficient of variation ``cv``
    (shape ``1/cv²``), from its own stream; exactly 1 (and no draw) when ``cv`` is 0. A gamma
    mixture of Poisson counts is negative binomial: Var/Mean = 1 + mean·cv²."""
    if cv <= 0:
        return 1.0
    return float(streams[Stream.TENSION].gamma(1.0 / cv**2, cv**2))


def _primary_occurrences(
    scenario: Scenario, day: DayTimeline, rng: np.random.Generator, factor: float = 1.0
) -> tuple[FloatArray, IntArray, IntArray]:
    spec = scenario.incidents
    cat = scenario.region.sites.category
    # rate per (site, stage) summed over types, events per hour
    rate = spec.rate_per_hour.sum(axis=2)[:, cat].T * spec.site_weight[:, None] * factor
    duration = np.maximum(day.windows[..., 1] - day.windows[..., 0], 0.0)
    profile = spec.hourly_profile
    peak = float(profile.max())
    if peak <= 0:
        empty = np.zeros(0)
        return empty, empty.astype(np.int64), empty.astype(np.int64)
    expected = rate * peak * duration / MINUTES_PER_HOUR
    counts = rng.poisson(expected.ravel())
    pair = np.repeat(np.arange(counts.size), counts)
    site, stage = np.divmod(pair, duration.shape[1])
    start = day.windows[site, stage, 0]
    t = start + rng.random(pair.size) * duration[site, stage]
    hour = (t // MINUTES_PER_HOUR).astype(np.int64) % 24
    keep = rng.random(pair.size) * peak < profile[hour]
    return t[keep], site[keep], stage[keep]


def _draw_types(
    scenario: Scenario, site: IntArray, stage: IntArray, rng: np.random.Generator
) -> IntArray:
    spec = scenario.incidents
    weights = spec.rate_per_hour[stage, scenario.region.sites.category[site], :]
    return _categorical(rng, weights)


def _categorical(rng: np.random.Generator, weights: FloatArray) -> IntArray:
    """One draw per row of ``weights`` (rows need not be normalised)."""
    if weights.shape[0] == 0:
        return np.zeros(0, dtype=np.int64)
    cum = np.cumsum(weights, axis=1)
    u = rng.random(weights.shape[0]) * cum[:, -1]
    idx = (u[:, None] >= cum).sum(axis=1)
    out: IntArray = np.minimum(idx, weights.shape[1] - 1).astype(np.int64)
    return out


def _add_offspring(
    scenario: Scenario,
    day: DayTimeline,
    streams: Streams,
    t: FloatArray,
    site: IntArray,
    stage: IntArray,
    kind: IntArray,
) -> tuple[FloatArray, IntArray, IntArray, IntArray]:
    """Hawkes-style clusters: every incident (offspring too) begets Poisson(m) children at a
    neighbouring site after Exp(delay) minutes; children outside any stage are dropped."""
    spec = scenario.incidents.clustering
    rng = streams[Stream.CLUSTERING]
    parts = [(t, site, stage, kind)]
    parent_t, parent_site, parent_kind = t, site, kind
    while parent_t.size:
        n_child = rng.poisson(spec.children_mean, parent_t.size)
        idx = np.repeat(np.arange(parent_t.size), n_child)
        child_t = parent_t[idx] + rng.exponential(spec.delay_mean_min, idx.size)
        pick = rng.random(idx.size)
        child_site = np.array(
            [
                spec.neighbors[s][int(p * len(spec.neighbors[s]))]
                for s, p in zip(parent_site[idx].tolist(), pick.tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        child_stage = np.array(
            [
                day.stage_at(s, x)
                for s, x in zip(child_site.tolist(), child_t.tolist(), strict=True)
            ],
            dtype=np.int64,
        )
        ok = child_stage >= 0
        parent_t, parent_site, parent_kind = child_t[ok], child_site[ok], parent_kind[idx][ok]
        parts.append((parent_t, parent_site, child_stage[ok], parent_kind))
    return tuple(np.concatenate(col) for col in zip(*parts, strict=True))  # type: ignore[return-value]


def _attach_attributes(
    scenario: Scenario,
    streams: Streams,
    t: FloatArray,
    site: IntArray,
    stage: IntArray,
    kind: IntArray,
) -> IncidentLog:
    spec = scenario.incidents
    n = t.size
    sev_probs = np.array([ty.severity_probs for ty in spec.types]).reshape(len(spec.types), 3)
    severity = _categorical(streams[Stream.SEVERITY], sev_probs[kind]) + 1
    handling = np.zeros(n)
    rng = streams[Stream.HANDLING]
    for k, ty in enumerate(spec.types):
        mask = kind == k
        handling[mask] = ty.handling.sample(rng, int(mask.sum()))
    delay = spec.reporting_delay.sample(streams[Stream.REPORTING_DELAY], n)
    if spec.report_extra_min is not None:
        delay = delay + spec.report_extra_min[site]
    escalation = streams[Stream.ESCALATION].random(n)
    return IncidentLog(t, site, kind, stage, severity, handling, delay, escalation)
