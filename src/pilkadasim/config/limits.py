"""Limits checked before a run: a configuration that would draw an absurd number of incidents
is refused up front, with the expected count, instead of running for hours or exhausting
memory (docs/reliability.md)."""

from __future__ import annotations

import numpy as np

from pilkadasim.core.rng import Streams
from pilkadasim.core.scenario import MINUTES_PER_HOUR, Scenario
from pilkadasim.core.timeline import draw_day
from pilkadasim.errors import InputError

MAX_INCIDENTS_PER_REPLICATION = 1_000_000


def expected_incidents(scenario: Scenario, seed: int) -> tuple[float, float]:
    """Expected incidents of one replication (stage windows of replication 0, the hourly
    profile averaged) and the expected candidates drawn before thinning (what memory and time
    scale with)."""
    spec = scenario.incidents
    day = draw_day(scenario, Streams(seed, 0, 0))
    cat = scenario.region.sites.category
    rate = spec.rate_per_hour.sum(axis=2)[:, cat].T * spec.site_weight[:, None]
    duration = np.maximum(day.windows[..., 1] - day.windows[..., 0], 0.0)
    hours = float((rate * duration).sum()) / MINUTES_PER_HOUR
    profile = spec.hourly_profile
    return hours * float(profile.mean()), hours * float(profile.max())


def check_incident_volume(scenario: Scenario, seed: int) -> None:
    expected, candidates = expected_incidents(scenario, seed)
    if max(expected, candidates) > MAX_INCIDENTS_PER_REPLICATION:
        raise InputError(
            f"about {expected:,.0f} incidents per replication expected "
            f"({candidates:,.0f} drawn before thinning); the limit is "
            f"{MAX_INCIDENTS_PER_REPLICATION:,} per replication: lower incidents.rate_scale "
            "or the rates (see docs/reliability.md)"
        )
