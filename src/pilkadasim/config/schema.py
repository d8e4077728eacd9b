"""The configuration schema: plain dataclasses registered with Hydra's ConfigStore.

These describe *what may be configured* (names and types); the values live only in the YAML
under ``pilkadasim/conf``. Because the primary config extends ``pilkadasim_schema``, a
misspelled key or a value of the wrong type fails at compose time with Hydra's message naming
the key. Value checks (ranges, allowed names) are in :mod:`pilkadasim.config.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hydra.core.config_store import ConfigStore
from omegaconf import MISSING

from pilkadasim.config.partners import PartnersConfig


@dataclass
class DistConfig:
    """A duration distribution in minutes: ``dist`` is deterministic | exponential | uniform |
    lognormal; the parameters it needs: value | mean | low, high | median with p95 or sigma,
    or mean with cv."""

    dist: str = "deterministic"
    value: float | None = None
    mean: float | None = None
    low: float | None = None
    high: float | None = None
    median: float | None = None
    p95: float | None = None
    sigma: float | None = None
    cv: float | None = None


@dataclass
class RunConfig:
    replications: int = 200
    seed: int = 2024
    workers: int | None = None  # None: all cores
    progress: bool = True


@dataclass
class SyntheticGeneratorConfig:
    """``region=synthetic``: the generator's assumptions (values in conf/region/synthetic.yaml)."""

    region_max_tps: int = MISSING
    mean_tps_per_region: float = MISSING
    region_size_sigma: float = MISSING
    lat_range: list[float] = MISSING
    lon_range: list[float] = MISSING
    tps_per_kecamatan: float = MISSING
    km2_per_tps: float = MISSING
    kecamatan_spread: float = MISSING
    tps_scatter: float = MISSING
    tps_per_desa: int = MISSING
    voters_range: list[int] = MISSING
    category_p: dict[str, float] = MISSING


@dataclass
class RegionConfig:
    name: str = "bangka"  # bangka | custom | synthetic
    dir: str | None = (
        None  # custom: folder with tps.csv, bases.csv [, units.csv, travel_minutes.csv]
    )
    tps: int | None = None  # synthetic: number of TPS
    seed: int = 1  # synthetic: generator seed
    ppk: bool = True  # add one PPK office per kecamatan as an incident site
    generator: SyntheticGeneratorConfig | None = None  # synthetic: the generator's assumptions


@dataclass
class OperationConfig:
    """timeline=operation: the stages before and after election day (config/operation.py)."""

    prep_from_at: float = 360.0
    ppk_delivery_at: list[float] = field(default_factory=lambda: [-2400.0, -2040.0])
    tps_delivery_at: list[float] = field(default_factory=lambda: [-960.0, -480.0])
    pleno_start_at: float = 3420.0
    pleno_min: DistConfig = field(default_factory=DistConfig)
    kpu_recap_start_at: float = 9180.0
    kpu_recap_min: DistConfig = field(default_factory=DistConfig)
    office_guards: int = 2
    kpu_lat: float | None = None  # KPU office; null: at the first polres base
    kpu_lon: float | None = None


@dataclass
class SurgesConfig:
    """incidents.surges: result-driven protest surges at PPK / KPU offices (core/surges.py)."""

    enabled: bool = False
    rate_per_hour: float = 0.0
    extra_mean: float = 0.0
    spread_min: float = 0.0
    type: str = "protest"


@dataclass
class TimelineConfig:
    mode: str = "election_day"  # election_day | steady | operation
    hours: float = 24.0  # steady: length of the single stage
    start_at: float = 360.0
    end_at: float = 2160.0
    open_at: float = 420.0
    close_at: float = 780.0
    late_open_probability: float = 0.0
    late_open_delay_min: DistConfig = field(default_factory=DistConfig)
    close_delay_min: DistConfig = field(default_factory=DistConfig)
    counting_min: DistConfig = field(default_factory=DistConfig)
    count_deadline_at: float = 2159.0  # the values live in conf/timeline/*.yaml
    handover_min: DistConfig = field(default_factory=DistConfig)
    recap_tail_min: float = 60.0
    operation: OperationConfig = field(default_factory=OperationConfig)


@dataclass
class IncidentTypeConfig:
    label_id: str = ""
    label_en: str = ""
    mix: dict[str, float] = field(default_factory=dict)  # stage -> share of the stage's rate
    severity: list[float] = field(default_factory=lambda: [1.0, 0.0, 0.0])
    handling_min: DistConfig = field(default_factory=DistConfig)


@dataclass
class EscalationConfig:
    enabled: bool = False
    threshold_min: float = 30.0
    probability: float = 0.0


@dataclass
class ClusteringConfig:
    enabled: bool = False
    radius_km: float = 3.0
    children_mean: float = 0.0
    delay_mean_min: float = 60.0


@dataclass
class IncidentsConfig:
    model: str = "stage_rates"  # stage_rates | poisson
    rate_scale: float = 1.0  # multiplies every rate (tension scenarios)
    rate_per_hour: float | None = None  # poisson: region total
    handling_mean_min: float | None = None  # poisson: exponential on-scene time
    severity: list[float] = field(default_factory=lambda: [1.0, 0.0, 0.0])  # poisson: mix
    stage_rate_per_hour: dict[str, float] = field(default_factory=dict)
    category_factor: dict[str, float] = field(default_factory=dict)
    hourly_profile: list[float] = field(default_factory=lambda: [1.0] * 24)
    types: dict[str, IncidentTypeConfig] = field(default_factory=dict)
    units_needed: list[int] = field(default_factory=lambda: [1, 1, 1])
    severity_handling_factor: list[float] = field(default_factory=lambda: [1.0, 1.0, 1.0])
    reporting_delay_min: DistConfig = field(default_factory=DistConfig)
    escalation: EscalationConfig = field(default_factory=EscalationConfig)
    clustering: ClusteringConfig = field(default_factory=ClusteringConfig)
    surges: SurgesConfig = field(default_factory=SurgesConfig)
    tension_cv: float = 0.0  # day-level gamma random effect on all hazards (0 = off)
    voters_exponent: float = 0.0  # stage_rates: TPS rate ∝ voters^exponent (0 = off)
    signal_extra_delay_min: dict[str, float] = field(  # by tps.csv signal (all 0 = off)
        default_factory=lambda: {"good": 0.0, "weak": 0.0, "none": 0.0}
    )


@dataclass
class UnitKindConfig:
    label: str = ""
    crew: int = 4
    capability: int = 2
    mobilisation_min: float = 5.0
    tier: int = 0  # 0 police, 1 second tier (TNI), 2 third tier (Brimob BKO)
    police: bool = True  # counted in staffing.personnel_total


@dataclass
class FixedUnitsConfig:
    kind: str = MISSING
    count: int = 1
    base: str = MISSING  # base_id, or a base kind (polres, polsek, pos, kodim) to spread over


@dataclass
class PatrolConfig:
    """``staffing.reserve_mode=patrol``: how reserve teams patrol (pilkadasim.core.patrol)."""

    dwell_min: float = 15.0  # stop at each TPS of the route
    kinds: list[str] = field(default_factory=list)  # unit kinds on patrol; empty: reserve_kind


@dataclass
class StaffingConfig:
    personnel_total: int = 363
    guard_pattern: str = "standard"
    guard_patterns: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    reserve_units: int = 12
    fill_budget: bool = False  # true: reserve_units = what personnel_total leaves after guards
    support_min: int = 25  # with fill_budget: personnel kept for command post, desks, traffic
    reserve_kind: str = "sabhara"
    mobilisation: bool = True  # false: units roll at once (the poisson validation preset)
    placement: str = "polsek"  # polres | polsek | mixed | posts
    allow_bko: bool = False  # a sweep may recommend a plan over personnel_total (BKO reinforcement)
    plan: dict[str, str] = field(default_factory=dict)  # unit_id -> base_id, over placement
    plan_file: str | None = None  # a plan.csv (unit_id, base_id), e.g. from optimise_staging
    unit_kinds: dict[str, UnitKindConfig] = field(default_factory=dict)
    fixed_units: dict[str, FixedUnitsConfig] = field(default_factory=dict)
    partners: PartnersConfig = field(default_factory=PartnersConfig)  # outside personnel_total
    reserve_mode: str = "standby"  # standby | patrol (pilkadasim.core.patrol)
    patrol: PatrolConfig = field(default_factory=PatrolConfig)
    shift_hours: float = 0.0  # crew change every this many hours; 0: one crew all day
    handover_min: float = 0.0  # a unit is out of service this long at each crew change


@dataclass
class DispatchConfig:
    policy: str = "nearest"
    reserve_k: int = 2
    cutoff_severity: int = 2
    doctrine: str = "first_responder"  # first_responder | capable_only
    capability_wait_min: float = 30.0  # after the first arrival; then proceed without it
    guard_max_travel_min: float = 20.0  # a guard farther away leaves the call to the reserve


@dataclass
class TravelConfig:
    mode: str = "road"  # road | matrix | zero
    detour_factor: float = 1.3
    speed_kmh: dict[str, float] = field(default_factory=dict)
    reference_speed_kmh: float = 40.0
    hourly_factor: list[float] = field(default_factory=lambda: [1.0] * 24)
    rain_probability: float = 0.0
    rain_from_at: float = 780.0
    rain_until_at: float = 1080.0
    rain_factor: float = 1.0
    matrix_file: str = "travel_minutes.csv"


@dataclass
class ReportConfig:
    lang: str = "id"  # id | en
    targets_min: list[float] = field(default_factory=lambda: [10.0, 30.0])
    figures: bool = True
    html: bool = True
    decision_metric: str = "reserve_response_min"  # reserve_response_min | response_min
    decision_rule: str = "p90"  # p90: p90 <= target; share: share within target >= goal
    decision_target_min: float = 30.0
    decision_goal: float = 0.9


@dataclass
class OptimiseConfig:
    """``experiment=optimise_staging``: where reserve teams wait (pilkadasim.optimise)."""

    enabled: bool = False
    metric: str = "reserve_response_min.p90"  # a summary key path; within_target.* maximised
    candidates: Any = "all"  # "all" or a list of base ids
    budget: int | None = None  # reserve teams; None: staffing.reserve_units or units.csv
    move_fixed: bool = False  # also move the fixed units (Dalmas, TNI)
    split: bool = False  # also choose the guard pattern within staffing.personnel_total
    delta_min: float = 1.0  # indifference zone of the selection, minutes (time metrics)
    delta_share: float = 0.01  # the same for a share metric (within_target.*)
    delta_count: float = 0.1  # the same for a count metric (unserved, …), incidents per day
    alpha: float = 0.05  # 1 - probability of correct selection
    cover_min: float | None = None  # coverage radius of the MEXCLP start; None: from metric
    search_replications: int = 100  # days per plan in the local search (common numbers)
    batch_days: int = 10  # days per observation (batch statistic) in the search and selection
    neighbours: int = 24  # moves simulated per step (the most promising by coverage)
    max_steps: int = 30  # local-search steps at most
    finalists: int = 5  # plans entering the ranking-and-selection step
    max_batches: int = 600  # cap on KN observations per plan (no PCS claimed if reached)


@dataclass
class PilkadasimConfig:
    run: RunConfig = field(default_factory=RunConfig)
    region: RegionConfig = field(default_factory=RegionConfig)
    timeline: TimelineConfig = field(default_factory=TimelineConfig)
    incidents: IncidentsConfig = field(default_factory=IncidentsConfig)
    staffing: StaffingConfig = field(default_factory=StaffingConfig)
    dispatch: DispatchConfig = field(default_factory=DispatchConfig)
    travel: TravelConfig = field(default_factory=TravelConfig)
    report: ReportConfig = field(default_factory=ReportConfig)
    optimise: OptimiseConfig = field(default_factory=OptimiseConfig)
    experiment_name: str = "default"
    question: str = ""
    question_en: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def register() -> None:
    """Register the schema (idempotent)."""
    ConfigStore.instance().store(name="pilkadasim_schema", node=PilkadasimConfig)


register()
