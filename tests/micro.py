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


__all__ = [
    "dispatch_spec",
    "election_scenario",
    "fixed_log",
    "micro_scenario",
    "replace",
    "travel_spec",
    "write_equator_region",
]


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


# ------------------------------------------------------------------ election-day micro region
MINUTES_B0 = (10.0, 20.0)  # base B0 → T0, T1 (and → PPK 5)
TPS_TPS_MIN = 6.0  # T0 ↔ T1
BOX_MIN = (15.0, 25.0)  # T0 → PPK, T1 → PPK


def election_scenario(
    *,
    late_p: float = 0.0,
    late=None,
    close=None,
    counting=None,
    handover=None,
    deadline: float = 2159.0,
    box_factor: float = 1.0,
    guard_factor: float = 1.0,
    n_tps: int = 2,
    guards: GuardSpec | None = None,
    voting_rate: float = 0.0,
) -> Scenario:
    """T0, T1 (``n_tps`` TPS, one kecamatan) and their PPK office (site ``n_tps``), one base
    B0 with one Sabhara unit (no mobilisation, speed factor 1), an election day 06:00-24:00
    with every duration deterministic unless given. Minutes: B0 → T0 10, → T1 20, → PPK 5;
    T0 ↔ T1 6; T0 → PPK 15, T1 → PPK 25 (further TPS: like T1). Incidents only in the voting
    stage (``voting_rate`` per hour per TPS) — tests mostly pass a fixed log."""
    n_sites = n_tps + 1
    box = [BOX_MIN[min(i, 1)] for i in range(n_tps)]
    minutes = np.full((1 + n_sites, n_sites), TPS_TPS_MIN)
    minutes[0, :n_tps] = [MINUTES_B0[min(i, 1)] for i in range(n_tps)]
    minutes[0, n_tps] = 5.0
    minutes[1 + np.arange(n_sites), np.arange(n_sites)] = 0.0
    minutes[1 : 1 + n_tps, n_tps] = box
    minutes[1 + n_tps, :n_tps] = box
    sc = micro_scenario(n_tps=n_tps)
    sites = Sites(
        ids=(*sc.region.sites.ids, "PPK K0"),
        kecamatan=frozen_array(np.zeros(n_sites), np.int64),
        category=frozen_array([0] * n_tps + [CATEGORIES.index("ppk")], np.int64),
        lat=frozen_array(np.zeros(n_sites), float),
        lon=frozen_array(np.zeros(n_sites), float),
        voters=frozen_array([1.0] * n_tps + [0.0], float),
        n_tps=n_tps,
        ppk_site=frozen_array(np.full(n_tps, n_tps), np.int64),
    )
    rate = np.zeros((len(STAGES), len(CATEGORIES), 1))
    rate[STAGES.index("voting"), 0, 0] = voting_rate
    incidents = replace(
        sc.incidents, rate_per_hour=rate, site_weight=frozen_array(np.ones(n_sites), float)
    )
    timeline = TimelineSpec(
        mode="election_day",
        start_at=360.0,
        end_at=1440.0,
        open_at=420.0,
        close_at=780.0,
        late_open_probability=late_p,
        late_open_delay=late or Deterministic(30.0),
        close_delay=close or Deterministic(10.0),
        counting=counting or Deterministic(240.0),
        count_deadline_at=deadline,
        handover=handover or Deterministic(20.0),
        recap_tail_min=60.0,
    )
    travel = replace(
        travel_spec(frozen_array(minutes, float)), guard_factor=guard_factor, box_factor=box_factor
    )
    return replace(
        sc,
        region=replace(sc.region, sites=sites),
        timeline=timeline,
        incidents=incidents,
        guards=guards or GuardSpec.none(n_tps),
        travel=travel,
    )


def write_equator_region(folder, lons, base_lon: float):
    """A region folder with one TPS per longitude in ``lons`` (ids A, B, C, ...) and one Polres
    at ``base_lon``, all on the equator in one kecamatan ``K``: 0.1° of longitude there is
    11.11951 km (2π × 6371.0088 km / 3600)."""
    folder.mkdir()
    rows = [f"{chr(65 + i)},K,D,0.0,{lon},500,kurang_rawan" for i, lon in enumerate(lons)]
    (folder / "tps.csv").write_text(
        "tps_id,kecamatan,desa,lat,lon,voters,category\n" + "\n".join(rows) + "\n"
    )
    (folder / "bases.csv").write_text(
        f"base_id,name,kind,lat,lon,kecamatan\npolres_x,Polres X,polres,0.0,{base_lon},K\n"
    )
    return folder
