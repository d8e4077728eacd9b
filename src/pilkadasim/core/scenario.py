"""Scenario: everything one replication needs, as frozen value objects.

A scenario is to a replication what a map and an order of battle are to an exercise: the
region (sites and bases), the shape of the day, the incident model, the guards and reserve
units, the dispatch rule and the travel times. It is built once per run by
``pilkadasim.config.builders.to_scenario`` (the only converter from configuration) and never
changes.

Values come only from the configuration (``conf/``): a field the YAML sets has no default
here, so the two cannot drift apart. The ``off()`` / ``steady()`` constructors give the neutral
values of a switched-off mechanism.

Sites are the places incidents happen: the TPS first (indices ``0 … n_tps-1``), then one PPK
office per kecamatan. Travel is tabulated from *nodes* — bases first, then sites — to sites.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from pilkadasim.core.distributions import Distribution
from pilkadasim.core.partners import LinmasSpec
from pilkadasim.core.rosters import PatrolSpec, ShiftSpec
from pilkadasim.core.specs import OperationSpec, SurgeSpec
from pilkadasim.core.travel import TravelTable

CATEGORIES: tuple[str, ...] = ("kurang_rawan", "rawan", "sangat_rawan", "khusus", "ppk")
TPS_CATEGORIES: tuple[str, ...] = CATEGORIES[:4]
STAGES: tuple[str, ...] = (
    *("preparation", "voting", "counting", "transport", "recap", "steady"),
    *("logistics", "storage", "pleno", "kpu_recap"),  # timeline=operation only
)
ELECTION_STAGES: tuple[str, ...] = STAGES[:5]
DAY_STAGES: tuple[str, ...] = STAGES[:6]  # the stages of timeline=election_day|steady
BASE_KINDS: tuple[str, ...] = ("polres", "polsek", "pos", "kodim", "koramil", "polda")
SEVERITIES = 3
DOCTRINES: tuple[str, ...] = ("first_responder", "capable_only")
SIGNALS: tuple[str, ...] = ("good", "weak", "none")  # mobile signal at a TPS (tps.csv)
MINUTES_PER_HOUR = 60.0

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def frozen_array(values: object, dtype: type) -> NDArray:  # type: ignore[type-arg]
    """A read-only numpy copy, so a shared scenario cannot be changed by accident."""
    arr: NDArray = np.array(values, dtype=dtype)  # type: ignore[type-arg]
    arr.setflags(write=False)
    return arr


@dataclass(frozen=True)
class Sites:
    """TPS followed by PPK offices. ``category`` indexes :data:`CATEGORIES`."""

    ids: tuple[str, ...]
    kecamatan: IntArray  # index into Region.kecamatan
    category: IntArray
    lat: FloatArray
    lon: FloatArray
    voters: FloatArray
    n_tps: int
    ppk_site: IntArray  # for each TPS: the site index of its kecamatan's PPK office

    def __post_init__(self) -> None:
        n = len(self.ids)
        for name in ("kecamatan", "category", "lat", "lon", "voters"):
            assert len(getattr(self, name)) == n, f"Sites.{name} has the wrong length"
        assert len(self.ppk_site) == self.n_tps

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Bases:
    """Police and TNI bases. ``kind`` indexes :data:`BASE_KINDS`."""

    ids: tuple[str, ...]
    kind: IntArray
    kecamatan: IntArray  # -1 when outside every kecamatan of the region
    lat: FloatArray
    lon: FloatArray

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Region:
    name: str
    kecamatan: tuple[str, ...]
    sites: Sites
    bases: Bases


@dataclass(frozen=True)
class TimelineSpec:
    """Election-day stages per TPS (minutes since 00:00), or one ``steady`` stage.

    ``mode == "steady"`` (:meth:`steady`): every site is in stage ``steady`` over
    ``[0, end_at)``; the election-day fields are unused.
    """

    mode: str  # "election_day" | "steady" | "operation"
    start_at: float  # operation (and utilisation window) start
    end_at: float  # horizon: the run stops here
    open_at: float
    close_at: float
    late_open_probability: float
    late_open_delay: Distribution | None
    close_delay: Distribution | None
    counting: Distribution | None
    count_deadline_at: float
    handover: Distribution | None
    recap_tail_min: float
    operation: OperationSpec | None = None  # timeline=operation: the days around the vote

    def __post_init__(self) -> None:
        assert self.mode in ("election_day", "steady", "operation"), self.mode
        assert self.operation is None or self.mode == "operation"
        assert self.end_at > self.start_at  # before 00:00 of election day: negative

    @staticmethod
    def steady(start_at: float, end_at: float) -> TimelineSpec:
        """One constant stage from ``start_at`` to the horizon ``end_at``."""
        return TimelineSpec(
            "steady", start_at, end_at, start_at, end_at, 0.0, None, None, None, end_at, None, 0.0
        )


@dataclass(frozen=True)
class IncidentType:
    name: str
    severity_probs: FloatArray  # P(severity = 1, 2, 3)
    handling: Distribution  # on-scene time at severity 1; scaled by severity factor


@dataclass(frozen=True)
class Escalation:
    """An incident not reached ``threshold_min`` after its report escalates (severity + 1)
    with ``probability`` — slow response makes incidents worse."""

    enabled: bool
    threshold_min: float
    probability: float

    @staticmethod
    def off() -> Escalation:
        return Escalation(False, 0.0, 0.0)


@dataclass(frozen=True)
class Clustering:
    """Self-exciting incidents: each incident spawns Poisson(``children_mean``) more at sites
    within ``radius_km`` after an exponential delay (a Hawkes cluster process)."""

    enabled: bool
    children_mean: float
    delay_mean_min: float
    neighbors: tuple[IntArray, ...]  # per site: sites within the radius (itself included)

    @staticmethod
    def off() -> Clustering:
        return Clustering(False, 0.0, 0.0, ())


@dataclass(frozen=True)
class IncidentSpec:
    """Non-homogeneous Poisson incidents: rate[stage, category, type] per hour at each site,
    times ``site_weight[site]`` and ``hourly_profile[hour of day]``."""

    types: tuple[IncidentType, ...]
    rate_per_hour: FloatArray  # shape (len(STAGES), len(CATEGORIES), len(types))
    site_weight: FloatArray  # per site
    hourly_profile: FloatArray  # 24 multipliers
    units_needed: tuple[int, int, int]  # by severity 1..3
    severity_factor: tuple[float, float, float]  # handling-time multiplier by severity
    reporting_delay: Distribution
    escalation: Escalation
    clustering: Clustering
    # day-to-day tension: every hazard of a day is multiplied by a gamma(mean 1, CV
    # ``tension_cv``) factor drawn once per replication; 0 = off (factor exactly 1)
    tension_cv: float
    # extra minutes added to the reporting delay of an incident at each site (the TPS's mobile
    # signal); None = none anywhere
    report_extra_min: FloatArray | None
    surges: SurgeSpec | None = None  # result-driven protest surges at offices; None = off

    def __post_init__(self) -> None:
        assert self.tension_cv >= 0
        assert self.report_extra_min is None or self.report_extra_min.shape == (
            len(self.site_weight),
        )
        assert self.rate_per_hour.shape == (len(STAGES), len(CATEGORIES), len(self.types))
        assert self.hourly_profile.shape == (24,)
        assert (self.rate_per_hour >= 0).all()
        assert (self.hourly_profile >= 0).all()


@dataclass(frozen=True)
class GuardSpec:
    """TPS guards. TPS ``i`` belongs to guard group ``group_of_tps[i]`` (-1: unguarded);
    guard ``g`` belongs to ``guard_group[g]`` and is posted at TPS ``guard_post[g]``."""

    group_of_tps: IntArray
    guard_group: IntArray
    guard_post: IntArray
    max_severity: int = 1
    # derived once: the guards of each group, and who escorts each TPS's ballot box (guard
    # p mod n of a group takes the box of the group's p-th TPS)
    members: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    escort_of_tps: tuple[int, ...] = field(init=False, repr=False, compare=False)
    tps_of_guard: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)
    tps_of_group: tuple[tuple[int, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        group_of = self.group_of_tps.tolist()
        members: list[list[int]] = [[] for _ in range(max(group_of, default=-1) + 1)]
        for g, grp in enumerate(self.guard_group.tolist()):
            members[grp].append(g)
        escort = [-1] * len(group_of)
        boxes: list[list[int]] = [[] for _ in range(len(self.guard_group))]
        position = [0] * len(members)
        for tps, grp in enumerate(group_of):
            if grp >= 0 and members[grp]:
                g = members[grp][position[grp] % len(members[grp])]
                position[grp] += 1
                escort[tps] = g
                boxes[g].append(tps)
        object.__setattr__(self, "members", tuple(tuple(m) for m in members))
        object.__setattr__(self, "escort_of_tps", tuple(escort))
        object.__setattr__(self, "tps_of_guard", tuple(tuple(b) for b in boxes))
        tps_of_group: list[list[int]] = [[] for _ in members]
        for tps, grp in enumerate(group_of):
            if grp >= 0:
                tps_of_group[grp].append(tps)
        object.__setattr__(self, "tps_of_group", tuple(tuple(t) for t in tps_of_group))

    @property
    def n_guards(self) -> int:
        return len(self.guard_group)

    @staticmethod
    def none(n_tps: int) -> GuardSpec:
        empty = frozen_array([], np.int64)
        return GuardSpec(frozen_array(np.full(n_tps, -1), np.int64), empty, empty)


@dataclass(frozen=True)
class UnitSpec:
    """One mobile reserve unit (a Sabhara team, a Dalmas section, a TNI squad, …)."""

    unit_id: str
    base: int  # index into Region.bases
    kind: str
    crew: int
    capability: int  # highest severity it handles alone
    mobilisation_min: float  # from idle at base to rolling
    speed_factor: float  # multiplies reference travel minutes
    tier: int  # 0 police; 1 TNI, 2 Brimob BKO: a tier goes only when no lower one is free
    police: bool  # counted in the personnel total


@dataclass(frozen=True)
class TravelSpec:
    """Reference minutes from nodes (bases, then sites) to sites; a unit's time is
    ``minutes[node, site] * speed_factor * hourly_factor[hour] * (rain factor if raining)``."""

    mode: str
    minutes: FloatArray | TravelTable  # indexed as shape (n_bases + n_sites, n_sites)
    guard_factor: float
    box_factor: float
    hourly_factor: FloatArray
    rain_probability: float
    rain_from_at: float
    rain_until_at: float
    rain_factor: float


@dataclass(frozen=True)
class DispatchSpec:
    """Which policy picks units, and its parameters (see ``core.dispatch``)."""

    policy: str
    reserve_k: int  # reserve_cutoff: units held back for severity >= cutoff_severity
    cutoff_severity: int
    # first_responder: the nearest unit of any kind goes first, capable units as backup;
    # capable_only: only units capable of the severity go, handling waits for all of them
    doctrine: str
    capability_wait_min: float  # after the first arrival: stop waiting for capability
    guard_max_travel_min: float  # a guard farther than this leaves it to the reserve
    preference: tuple[tuple[int, ...], ...] = ()  # fixed_preference: unit order per site

    def __post_init__(self) -> None:
        assert self.doctrine in DOCTRINES, self.doctrine


@dataclass(frozen=True)
class Scenario:
    region: Region
    timeline: TimelineSpec
    incidents: IncidentSpec
    guards: GuardSpec
    units: tuple[UnitSpec, ...]
    dispatch: DispatchSpec
    travel: TravelSpec
    linmas: LinmasSpec | None = None  # Linmas at each TPS (core.partners); None = off
    patrol: PatrolSpec = field(default_factory=PatrolSpec)  # reserve teams on patrol
    shifts: ShiftSpec = field(default_factory=ShiftSpec)  # crew changes

    def __post_init__(self) -> None:
        assert not self.patrol.routes or len(self.patrol.routes) == len(self.units)
        n_nodes = len(self.region.bases) + len(self.region.sites)
        assert self.travel.minutes.shape == (n_nodes, len(self.region.sites)), "travel shape"
        assert len(self.incidents.site_weight) == len(self.region.sites)
        assert len(self.guards.group_of_tps) == self.region.sites.n_tps
        for u in self.units:
            assert 0 <= u.base < len(self.region.bases), f"unit {u.unit_id}: unknown base"
