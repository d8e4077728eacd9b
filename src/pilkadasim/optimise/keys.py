"""Which ``summary.json`` key paths ``optimise.metric`` may name, and whether each is
maximised or minimised.

A metric is any numeric summary key that measures the plan:

- ``response_min.<s>`` and ``reserve_response_min.<s>`` with ``s`` one of mean, p50, p90, p95
  (minutes) or ``unreached`` (a count);
- ``within_target.<T>`` and ``reserve_within_target.<T>`` (optionally ``.p``), ``T`` one of
  ``report.targets_min``;
- ``by_category.<c>.<s>`` and ``by_kecamatan.<k>.<s>`` with ``s`` one of p50, p90 or
  ``within_<T>`` (``T`` the largest target, as summary.json has it);
- ``unserved``, ``proceeded_without_capability`` and ``handled_by.<guard|reserve|tni|unserved>``
  (counts of incidents over the run);
- ``utilization.mean`` and ``utilization.max`` (share of the day units are busy).

**Direction rule**: a share of incidents reached within a time — a key under
``within_target`` / ``reserve_within_target`` or a key ``within_<T>`` — is maximised; every other
key (times, counts, utilisation) is minimised. Keys that do not depend on where teams wait
(``replications``, ``seed``, ``incidents_per_day``, ``staffing.*``, ``escalated``, the ``n`` and
``ci95`` entries) are not metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from pilkadasim.core.records import HANDLED_BY
from pilkadasim.core.scenario import CATEGORIES, Scenario
from pilkadasim.errors import InputError

TIME_FAMILIES = ("response_min", "reserve_response_min")
SHARE_FAMILIES = ("within_target", "reserve_within_target")
GROUP_FAMILIES = {"by_category": "category", "by_kecamatan": "kecamatan"}
STATS = ("mean", "p50", "p90", "p95")
COUNT_KEYS = ("unserved", "proceeded_without_capability")


@dataclass(frozen=True)
class Metric:
    path: str
    scope: str  # incidents counted: all | reserve | category | kecamatan
    stat: str  # mean | p50 | p90 | p95 | share | count | util_mean | util_max
    target: float | None = None  # share within this many minutes
    group: str | None = None  # category or kecamatan name
    count_of: str | None = None  # count: unreached | proceeded | a handled_by value
    sites: tuple[int, ...] | None = None  # the group's sites (set by :func:`bind`)

    @property
    def reserve(self) -> bool:
        return self.scope == "reserve"

    @property
    def maximise(self) -> bool:
        return self.stat == "share"

    @property
    def kind(self) -> str:
        """Units of the metric: minutes, share (0-1) or count (incidents)."""
        if self.stat in STATS:
            return "minutes"
        return "count" if self.stat == "count" else "share"

    def loss(self, value: float) -> float:
        """What the search minimises: the value, or minus a share."""
        return -value if self.maximise else value


def valid_keys(targets: list[float]) -> str:
    ts = "|".join(f"{t:g}" for t in targets)
    big = f"{max(targets):g}" if targets else "T"
    return (
        "response_min.<mean|p50|p90|p95|unreached>, reserve_response_min.<same>, "
        f"within_target.<{ts}>, reserve_within_target.<{ts}>, "
        f"by_category.<category>.<p50|p90|within_{big}>, by_kecamatan.<kecamatan>.<same>, "
        f"unserved, proceeded_without_capability, handled_by.<{'|'.join(HANDLED_BY)}>, "
        "utilization.<mean|max>"
    )


def parse_metric(path: str, targets: list[float]) -> Metric:
    """The metric named by a summary key path; an :class:`InputError` (one line, listing the
    valid keys) for anything else."""
    parts = str(path).split(".")
    got = _parse(str(path), parts, targets)
    if got is None:
        raise InputError(
            f"optimise.metric = {path!r}: not an optimisable summary key; valid: "
            + valid_keys(targets)
        )
    return got


def _parse(path: str, parts: list[str], targets: list[float]) -> Metric | None:
    family, rest = parts[0], parts[1:]
    if family in TIME_FAMILIES and len(rest) == 1:
        scope = "reserve" if family.startswith("reserve") else "all"
        if rest[0] in STATS:
            return Metric(path, scope, rest[0])
        if rest[0] == "unreached":
            return Metric(path, scope, "count", count_of="unreached")
    if family in SHARE_FAMILIES and len(rest) in (1, 2) and rest[-1] in ("p", rest[0]):
        scope = "reserve" if family.startswith("reserve") else "all"
        return Metric(path, scope, "share", _target(path, rest[0], targets))
    if family in GROUP_FAMILIES and len(rest) == 2:
        scope, stat = GROUP_FAMILIES[family], rest[1]
        if stat in ("p50", "p90"):
            return Metric(path, scope, stat, group=rest[0])
        if stat.startswith("within_") and targets:
            target = _target(path, stat.removeprefix("within_"), targets)
            if target != max(targets):
                raise InputError(
                    f"optimise.metric = {path!r}: summary.json's {family} has only "
                    f"within_{max(targets):g} (the largest of report.targets_min)"
                )
            return Metric(path, scope, "share", target, group=rest[0])
    if family in COUNT_KEYS and not rest:
        return Metric(path, "all", "count", count_of=family)
    if family == "handled_by" and len(rest) == 1 and rest[0] in HANDLED_BY:
        return Metric(path, "all", "count", count_of=rest[0])
    if family == "utilization" and len(rest) == 1 and rest[0] in ("mean", "max"):
        return Metric(path, "all", f"util_{rest[0]}")
    return None


def _target(path: str, text: str, targets: list[float]) -> float:
    try:
        target = float(text)
    except ValueError:
        raise InputError(f"optimise.metric = {path!r}: {text!r} is not minutes") from None
    if target not in targets:
        raise InputError(
            f"optimise.metric = {path!r}: summary.json has it only for "
            f"report.targets_min {targets}; add {target:g} there"
        )
    return target


def bind(metric: Metric, scenario: Scenario) -> Metric:
    """``metric`` with the sites of its category or kecamatan (checked against the region)."""
    if metric.scope not in ("category", "kecamatan"):
        return metric
    sites = scenario.region.sites
    names = CATEGORIES if metric.scope == "category" else scenario.region.kecamatan
    codes = sites.category if metric.scope == "category" else sites.kecamatan
    present = sorted({names[int(c)] for c in np.unique(codes) if int(c) >= 0})
    if metric.group not in present:
        raise InputError(
            f"optimise.metric = {metric.path!r}: no {metric.scope} {metric.group!r} in the "
            f"region; valid: {', '.join(present)}"
        )
    index = list(names).index(str(metric.group))
    return replace(metric, sites=tuple(int(i) for i in np.flatnonzero(codes == index)))
