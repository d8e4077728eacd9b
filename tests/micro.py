"""Hand-built micro scenarios for exact-trace tests of the core (no config layer involved)."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from pilkadasim.core.distributions import Deterministic, Exponential
from pilkadasim.core.scenario import (
    CATEGORIES,
    STAGES,
    Bases,
    Clustering,
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


def dispatch_spec(**kw) -> DispatchSpec:
    """Nearest unit, first responder, no reserve held back, guards at any distance; ``kw``
    changes any of these."""
    spec = {
        "policy": "nearest",
        "reserve_k": 0,
        "cutoff_severity": 2,
        "doctrine": "first_responder",
        "capability_wait_min": 30.0,
        "guard_max_travel_min": math.inf,
    }
    return DispatchSpec(**(spec | kw))


def travel_spec(minutes) -> TravelSpec:
    """Fixed minutes: guards and boxes at reference speed, no hour-of-day or rain factor."""
    hourly = frozen_array(np.ones(24), float)
    return TravelSpec("matrix", minutes, 1.0, 1.0, hourly, 0.0, 0.0, 0.0, 1.0)


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
    n_bases: int = 1,
    unit_base=None,
    site_kecamatan=None,
    base_kecamatan=None,
    minutes=None,
    dispatch: DispatchSpec | None = None,
) -> Scenario:
    """``n_tps`` TPS and ``n_bases`` bases, every travel time ``travel_min`` unless a full
    ``minutes`` table (bases + sites) × sites is given; steady timeline."""
    sites = Sites(
        ids=tuple(f"T{i}" for i in range(n_tps)),
        kecamatan=frozen_array(site_kecamatan or np.zeros(n_tps), np.int64),
        category=frozen_array(np.zeros(n_tps), np.int64),
        lat=frozen_array(np.zeros(n_tps), float),
        lon=frozen_array(np.zeros(n_tps), float),
        voters=frozen_array(np.ones(n_tps), float),
        n_tps=n_tps,
        ppk_site=frozen_array(np.zeros(n_tps), np.int64),
    )
    bases = Bases(
        tuple(f"B{b}" for b in range(n_bases)),
        frozen_array(np.zeros(n_bases), np.int64),
        frozen_array(base_kecamatan or np.zeros(n_bases), np.int64),
        frozen_array(np.zeros(n_bases), float),
        frozen_array(np.zeros(n_bases), float),
    )
    n_kec = 1 + max([*(site_kecamatan or [0]), *(base_kecamatan or [0])])
    region = Region("micro", tuple(f"K{k}" for k in range(n_kec)), sites, bases)
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
        escalation=escalation or Escalation.off(),
        clustering=Clustering.off(),
        tension_cv=0.0,
        report_extra_min=None,
    )
    if minutes is None:
        minutes = np.full((n_bases + n_tps, n_tps), float(travel_min))
    unit_base = unit_base or [0] * units
    return Scenario(
        region=region,
        timeline=TimelineSpec.steady(0.0, hours * 60),
        incidents=incidents,
        guards=GuardSpec.none(n_tps),
        units=tuple(
            UnitSpec(f"U{i}", unit_base[i], "sabhara", 4, capability, mobilisation, 1.0, 0, True)
            for i in range(units)
        ),
        dispatch=dispatch or dispatch_spec(),
        travel=travel_spec(np.asarray(minutes, dtype=float)),
    )


__all__ = ["dispatch_spec", "fixed_log", "micro_scenario", "replace", "travel_spec"]


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
