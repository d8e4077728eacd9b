"""The typed shapes of what a run hands on: ``summary.json`` (:class:`Summary`) and the
staffing plan (:class:`StaffingPlan`, also ``summary.json``'s ``staffing``).

One definition each; the writers (:func:`pilkadasim.analysis.metrics.summarize`, the staffing
builder in :mod:`pilkadasim.config.builders`) and the readers (the API, reports, sweeps) use
these names. They describe plain JSON-ready dicts: the files on disk are unchanged. The
column layout of the per-replication ``Records`` is :class:`pilkadasim.core.records.Records`;
the documented files are in ``docs/reference/outputs.md``.
"""

from __future__ import annotations

from typing import TypedDict

Interval = list[float] | None  # [low, high] of a 95 % interval; None when it cannot be told


class Estimate(TypedDict):
    mean: float
    ci95: Interval


class ResponseCI(TypedDict):
    mean: Interval
    p50: Interval
    p90: Interval
    p95: Interval


class ResponseBlock(TypedDict):
    """Response times (minutes) of a set of incidents; unreached ones count as +∞ in the
    percentiles."""

    n: int
    unreached: int
    mean: float | None
    p50: float | None
    p90: float | None
    p95: float | None
    ci95: ResponseCI


class Share(TypedDict):
    p: float | None
    ci95: Interval


class Utilization(TypedDict):
    mean: float | None
    max: float | None


class KindCount(TypedDict):
    units: int
    personnel: int


class _StaffingTotals(TypedDict):
    personnel_total: int
    tps_guards: int
    reserve: int
    reserve_teams: int
    command_and_support: int
    over_budget: int
    partner_units: int
    partner_personnel: int


class StaffingPlan(_StaffingTotals, total=False):
    """How the personnel total is used (``over_budget`` > 0: the plan needs more). A country
    of several kabupaten sums the totals and has no ``reserve_by_kind``."""

    reserve_by_kind: dict[str, KindCount]


class Provenance(TypedDict):
    version: str
    config_hash: str
    inputs: dict[str, str]  # input file → SHA-256


class Summary(TypedDict):
    """``summary.json`` of one run (``Results.summary``). ``within_target`` and
    ``reserve_within_target`` are keyed by target minutes ("10", "30"); ``by_category`` and
    ``by_kecamatan`` by group name."""

    replications: int
    seed: int
    incidents_per_day: Estimate
    response_min: ResponseBlock
    within_target: dict[str, Share]
    reserve_response_min: ResponseBlock
    reserve_within_target: dict[str, Share]
    utilization: Utilization
    unserved: int
    escalated: int
    proceeded_without_capability: int
    handled_by: dict[str, int]
    by_category: dict[str, dict[str, float | None]]
    by_kecamatan: dict[str, dict[str, float | None]]
    staffing: StaffingPlan
    provenance: Provenance
