"""Hand-built micro scenarios for exact-trace tests of the core (no config layer involved)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from pilkadasim.core.distributions import Deterministic, Exponential
from pilkadasim.core.scenario import (
    CATEGORIES,
    STAGES,
    Bases,
    DispatchSpec,
    Escalation,
    GuardSpec,
    IncidentSpec,
    IncidentType,
    Region,
    Scenario,
    Sites,
    TimelineSpec,
    TravelSpec,
    UnitSpec,
    frozen_array,
)


def micro_scenario(
    *,
    n_tps: int = 1,
    rate_per_hour: float = 1.0,
    handling=None,
    travel_min: float = 0.0,
    units: int = 1,
    hours: float = 10.0,
    severity=(1.0, 0.0, 0.0),
    reporting=None,
    mobilisation: float = 0.0,
    capability: int = 3,
    units_needed=(1, 1, 1),
    escalation: Escalation | None = None,
) -> Scenario:
    """``n_tps`` TPS and one base, every travel time ``travel_min``; steady timeline."""
    sites = Sites(
        ids=tuple(f"T{i}" for i in range(n_tps)),
        kecamatan=frozen_array(np.zeros(n_tps), np.int64),
        category=frozen_array(np.zeros(n_tps), np.int64),
        lat=frozen_array(np.zeros(n_tps), float),
        lon=frozen_array(np.zeros(n_tps), float),
        voters=frozen_array(np.ones(n_tps), float),
        n_tps=n_tps,
        ppk_site=frozen_array(np.zeros(n_tps), np.int64),
    )
    bases = Bases(
        ("B0",),
        frozen_array([0], np.int64),
        frozen_array([0], np.int64),
        frozen_array([0.0], float),
        frozen_array([0.0], float),
    )
    region = Region("micro", ("K",), sites, bases)
    rate = np.zeros((len(STAGES), len(CATEGORIES), 1))
    rate[STAGES.index("steady"), :, 0] = rate_per_hour
    incidents = IncidentSpec(
        types=(IncidentType("incident", np.array(severity), handling or Exponential(60.0)),),
        rate_per_hour=rate,
        site_weight=np.full(n_tps, 1.0 / n_tps),
        hourly_profile=np.ones(24),
        units_needed=units_needed,
        severity_factor=(1.0, 1.0, 1.0),
        reporting_delay=reporting or Deterministic(0.0),
        escalation=escalation or Escalation(),
    )
    minutes = np.full((1 + n_tps, n_tps), float(travel_min))
    return Scenario(
        region=region,
        timeline=TimelineSpec(mode="steady", start_at=0.0, end_at=hours * 60),
        incidents=incidents,
        guards=GuardSpec.none(n_tps),
        units=tuple(
            UnitSpec(f"U{i}", 0, "sabhara", 4, capability, mobilisation, 1.0) for i in range(units)
        ),
        dispatch=DispatchSpec(),
        travel=TravelSpec("matrix", minutes),
    )


__all__ = ["fixed_log", "micro_scenario", "replace"]


def fixed_log(
    times, sites=None, severity=None, handling=None, delay=None, escalation=None, stage=None
):
    """An incident log with exactly these incidents (all of type 0)."""
    from pilkadasim.core.incidents import IncidentLog

    n = len(times)

    def arr(x, default, dtype):
        return np.asarray(default if x is None else x, dtype=dtype)

    return IncidentLog(
        occurred_at=arr(times, None, float),
        site=arr(sites, [0] * n, np.int64),
        type=np.zeros(n, dtype=np.int64),
        stage=arr(stage, [STAGES.index("steady")] * n, np.int64),
        severity=arr(severity, [1] * n, np.int64),
        handling_min=arr(handling, [20.0] * n, float),
        reporting_delay_min=arr(delay, [0.0] * n, float),
        escalation_draw=arr(escalation, [1.0] * n, float),
    )
