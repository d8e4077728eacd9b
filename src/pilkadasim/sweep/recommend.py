"""The decision of a sweep: ``recommendation.json`` and its headline sentence.

Two kinds of axis:

- **Sizing axes** (more is never worse: reserve teams, fixed unit counts) get a recommendation
  "the smallest value that meets the target with 95 % confidence". Every design point is a
  hypothesis H₀(k): "the decision metric misses the target at level k". They are tested in a
  fixed sequence fixed in advance — the largest level first, each at α = 0.05, stopping at the
  first one not rejected (fixed-sequence / step-down procedure, Maurer, Hothorn & Lehmacher 1995;
  Westfall & Krishen 2001). The family-wise error over all levels is then ≤ α without a
  Bonferroni split, so "meets the target with 95 % confidence" holds for the recommended level
  *and* every larger one tested. A test rejects when the one-sided 95 % upper bound of the p90
  (Woodruff bound with days as clusters, :func:`pilkadasim.analysis.stats.quantile_upper_bound`)
  is within the target (rule ``p90``) or the lower bound of the share within target
  reaches the goal (rule ``share``). Monotonicity is checked on common random numbers (paired
  day bootstrap between neighbouring levels); a significant worsening with more units is listed.
- **Other axes** (tension, dispatch policy, staging, guard pattern, several factors at once):
  no "smallest" exists, so the options are ranked by the decision metric, each with its paired
  difference to the best and a 95 % interval; options not distinguishable from the best are said.

Plans needing more personnel than ``staffing.personnel_total`` are listed in ``over_budget`` and
never recommended unless ``staffing.allow_bko=true`` (then the sentence names the BKO
reinforcement needed).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pilkadasim.analysis.metrics import _clean
from pilkadasim.analysis.sensitivity import AXIS as SENSITIVITY_AXIS
from pilkadasim.analysis.sensitivity import tornado_summary
from pilkadasim.analysis.stats import (
    DayBootstrap,
    percentile_interval,
    quantile_interval,
    quantile_upper_bound,
    ratio_interval,
)
from pilkadasim.sweep.paired import (
    Point,
    _diff,
    _finite,
    _num,
    arrays,
    bootstraps,
    load_point,
    paired,
    point_value,
    replicates,
    same_days,
)

__all__ = ["decide", "figure_decision", "paired", "sweep_recommendation", "table_columns"]

ALPHA = 0.05
MIN_DAYS = 50  # the smallest number of days at which the coverage study checks the bounds
SIZING_AXES = ("staffing.reserve_units",)  # plus staffing.fixed_units.<name>.count
METHOD_STEP_DOWN = (
    "fixed-sequence step-down test (largest level first, each at alpha=0.05, stop at the first "
    "level not rejected; family-wise error <= 0.05) on one-sided 95% bounds (p90: Woodruff bound "
    "with days as clusters; share: ratio estimator over days, logit scale)"
)
METHOD_RANKING = (
    "ranking by the point estimate with paired day-bootstrap 95% intervals of the difference "
    "to the best option (common random numbers)"
)


METHOD_SENSITIVITY = (
    "one assumption at a time set low and high on common random numbers; paired day-bootstrap "
    "95% interval of the change of the decision metric against the baseline; an assumption moves "
    "the answer when the interval of either side excludes 0"
)


def is_sizing_axis(axis: str) -> bool:
    """Axes where "the smallest value that meets the target" is a meaningful answer."""
    return axis in SIZING_AXES or (
        axis.startswith("staffing.fixed_units.") and axis.endswith(".count")
    )


@dataclass
class Rule:
    """What is decided: ``metric`` (``reserve_response_min`` or ``response_min``), ``stat``
    (``p90`` or ``share``), the target in minutes and, for ``share``, the goal."""

    metric: str
    stat: str
    target: float
    goal: float
    n_days: int | None = None  # days behind each bound (expanded percentile intervals)

    @classmethod
    def from_cfg(cls, cfg: Any) -> Rule:
        rep = cfg.report
        stat = "share" if str(rep.decision_rule) == "share" else "p90"
        return cls(
            str(rep.decision_metric), stat, float(rep.decision_target_min), float(rep.decision_goal)
        )

    @property
    def name(self) -> str:
        if self.stat == "share":
            return f"{self.metric.replace('response_min', 'within_target')}.{self.target:g}"
        return f"{self.metric}.p90"

    def meets(self, bound: float) -> bool:
        if not np.isfinite(bound):
            return False
        return bool(bound >= self.goal if self.stat == "share" else bound <= self.target)

    def bound(self, point: Point, n_days: int) -> float:
        """The one-sided 95 % bound that must meet the target, built as the point's own interval
        in ``summary.json``: for the share, the lower ratio-estimator bound over days on the
        logit scale; for the p90, the Woodruff upper bound with days as clusters
        (:func:`pilkadasim.analysis.stats.quantile_upper_bound`; the percentile bootstrap's
        upper bound under-covered at 50 days, ``docs/validation.md``)."""
        v, d = arrays(point, self.metric)
        if self.stat == "share":
            ci = ratio_interval((v <= self.target).astype(float), d, n_days, "logit", side="lower")
            return float("nan") if ci is None or ci[0] is None else float(ci[0])
        return quantile_upper_bound(v, d, n_days, 0.9)

    def interval(self, reps: np.ndarray) -> list[float | None] | None:
        """The expanded day-bootstrap interval of replicates (paired differences)."""
        return percentile_interval(reps, self.n_days)

    def point_interval(
        self, point: Point, n_days: int, metric: str | None = None
    ) -> list[float | None] | None:
        """A design point's own 95 % interval, as in its ``summary.json``: Woodruff with days as
        clusters for the p90, the ratio estimator over days (logit scale) for the share."""
        v, d = arrays(point, metric or self.metric)
        if self.stat == "share" and metric is None:
            return ratio_interval((v <= self.target).astype(float), d, n_days, "logit")
        return quantile_interval(v, d, n_days, 0.9)

    def worse(self, diff_ci: list[float | None] | None) -> bool:
        """A paired CI (larger level − smaller level) showing a significant worsening."""
        if diff_ci is None:
            return False
        lo, hi = diff_ci
        if self.stat == "share":
            return bool(hi is not None and hi < 0)
        return bool(lo is not None and lo > 0)


def decide(
    table: pd.DataFrame,
    facs: list[str],
    points: list[Point],
    boots: list[DayBootstrap],
    cfg: Any,
) -> dict[str, Any]:
    """The content of ``recommendation.json`` (see the module docstring)."""
    rule = Rule.from_cfg(cfg)
    rule.n_days = min(b.n_days for b in boots)
    allow_bko = bool(cfg.staffing.get("allow_bko", False))
    axis = facs[0] if len(facs) == 1 else ", ".join(facs)
    labels = [option_label(row, facs) for _, row in table.iterrows()]
    over = _over_budget(table)
    base: dict[str, Any] = {
        "axis": axis,
        "metric": rule.name,
        "target": rule.goal if rule.stat == "share" else rule.target,
        "target_min": rule.target,
        "confidence": 1 - ALPHA,
        "days": rule.n_days,
        "min_days": MIN_DAYS,
        "allow_bko": allow_bko,
        "over_budget": [
            {"option": _num(labels[i]), "personnel_over": int(over[i])}
            for i in range(len(table))
            if over[i] > 0
        ],
    }
    if rule.n_days < MIN_DAYS:
        base["warning"] = (
            f"only {rule.n_days} days per design point: the coverage of the one-sided bound is "
            f"verified from {MIN_DAYS} days up (docs/validation.md); "
            f"use run.replications>={MIN_DAYS} for a decision"
        )
    reps = [
        replicates(p, rule.metric, rule.stat, b, rule.target)
        for p, b in zip(points, boots, strict=True)
    ]
    bounds = [rule.bound(p, b.n_days) for p, b in zip(points, boots, strict=True)]
    options = [
        {
            "option": _num(labels[i]),
            "estimate": _finite(point_value(points[i], rule.metric, rule.stat, rule.target)),
            "ci95": rule.point_interval(points[i], boots[i].n_days),
            "bound": _finite(bounds[i]),
            "decidable": not np.isnan(bounds[i]),  # enough incidents for a bound
            "meets": rule.meets(bounds[i]),
            "over_budget": int(over[i]),
            "all_incidents_p90": _finite(point_value(points[i], "response_min", "p90", 0)),
            "all_incidents_p90_ci95": rule.point_interval(
                points[i], boots[i].n_days, "response_min"
            ),
        }
        for i in range(len(table))
    ]
    numeric = len(facs) == 1 and pd.to_numeric(table[facs[0]], errors="coerce").notna().all()
    if numeric and is_sizing_axis(facs[0]):
        return {**base, **step_down(table, facs[0], options, reps, rule, allow_bko)}
    if facs == [SENSITIVITY_AXIS]:
        return {**base, **sensitivity(table, rule), "options": options}
    return {**base, **ranking(options, reps, rule, allow_bko)}


def sensitivity(table: pd.DataFrame, rule: Rule) -> dict[str, Any]:
    """``experiment=sensitivity``: the cases are not options to choose from, so the answer is
    which estimated assumptions move the decision metric, and the baseline it moves from."""
    return {
        "kind": "sensitivity",
        "method": METHOD_SENSITIVITY,
        "value": None,
        "reason": "sensitivity_study",
        "margin": None,  # the cases are not plans: no target is tested
        **tornado_summary(table, rule.metric),
    }


def step_down(
    table: pd.DataFrame,
    axis: str,
    options: list[dict[str, Any]],
    reps: list[np.ndarray],
    rule: Rule,
    allow_bko: bool,
) -> dict[str, Any]:
    """Fixed-sequence test from the largest level down; the last rejection is the answer."""
    levels = pd.to_numeric(table[axis]).to_numpy()
    order = list(np.argsort(-levels, kind="stable"))
    rejected: list[int] = []
    for i in order:
        options[i]["tested"] = True
        if not options[i]["meets"]:
            break
        rejected.append(i)
    for o in options:
        o.setdefault("tested", False)
    up = order[::-1]  # ascending levels
    violations = [
        [_num(levels[a]), _num(levels[b])]
        for a, b in itertools.pairwise(up)
        if rule.worse(rule.interval(_diff(reps[b], reps[a])))
    ]
    out: dict[str, Any] = {
        "kind": "sizing",
        "method": METHOD_STEP_DOWN,
        "options": [options[i] for i in up],
        "monotone": not violations,
        "monotone_violations": violations,
    }
    return {**out, **_choice(rejected, options, levels, rule, allow_bko)}


def _choice(
    rejected: list[int],
    options: list[dict[str, Any]],
    levels: np.ndarray,
    rule: Rule,
    allow_bko: bool,
) -> dict[str, Any]:
    if not rejected:
        top = options[int(np.argmax(levels))]
        undefined = not any(o["decidable"] for o in options)
        return {
            "value": None,
            "reason": "too_few_incidents" if undefined else "no_level_meets_target",
            "margin": _margin(top["bound"], rule),
            "at": top,
        }
    best = rejected[-1]
    pick = options[best]
    over = pick["over_budget"]
    if over > 0 and not allow_bko:
        return {
            "value": None,
            "reason": "only_over_budget_levels_meet_target",
            "smallest_meeting": _num(levels[best]),
            "bko_needed": over,
            "margin": _margin(pick["bound"], rule),
            "at": pick,
        }
    return {
        "value": _num(levels[best]),
        "reason": None,
        "bko_needed": over,
        "margin": _margin(pick["bound"], rule),
        "at": pick,
    }


def ranking(
    options: list[dict[str, Any]], reps: list[np.ndarray], rule: Rule, allow_bko: bool
) -> dict[str, Any]:
    """Options ranked by the decision statistic, each with a paired CI of its difference to the
    best option that is within budget (or to the best overall when ``allow_bko``)."""
    sign = -1.0 if rule.stat == "share" else 1.0
    key = [sign * (o["estimate"] if o["estimate"] is not None else np.inf) for o in options]
    order = list(np.argsort(key, kind="stable"))
    eligible = [i for i in order if allow_bko or options[i]["over_budget"] == 0] or order
    best = eligible[0]
    ranked = []
    for rank, i in enumerate(order, start=1):
        ci = rule.interval(_diff(reps[i], reps[best]))
        est, ref = options[i]["estimate"], options[best]["estimate"]
        ranked.append(
            {
                **options[i],
                "rank": rank,
                "diff_to_best": None if est is None or ref is None else round(est - ref, 4),
                "diff_to_best_ci95": ci,
                "distinguishable_from_best": bool(i != best and rule.worse(ci)),
            }
        )
    return {
        "kind": "ranking",
        "method": METHOD_RANKING,
        "value": None,
        "reason": "not_a_sizing_axis",
        "best": options[best]["option"],
        "options": ranked,
        "margin": _margin(options[best]["bound"], rule),
    }


def _margin(bound: float | None, rule: Rule) -> float | None:
    """Slack of the one-sided bound against the target (minutes for p90, share points)."""
    if bound is None:
        return None
    return round(bound - rule.goal if rule.stat == "share" else rule.target - bound, 4)


def _over_budget(table: pd.DataFrame) -> list[int]:
    col = table.get("staffing.over_budget")
    if col is None:
        return [0] * len(table)
    return [int(x) if pd.notna(x) else 0 for x in col]


def option_label(row: pd.Series, facs: list[str]) -> Any:
    if len(facs) == 1:
        return row[facs[0]]
    return ", ".join(f"{f}={row[f]}" for f in facs) or str(row.get("job"))


def sweep_recommendation(
    sweep_dir: Path, jobs: list[Any], table: pd.DataFrame, facs: list[str]
) -> dict[str, Any]:
    """Decide, write ``recommendation.json`` atomically at the sweep root, and return it."""
    import json

    from pilkadasim.report.io import atomic_write

    rec = decide(table, facs, [load_point(j.path) for j in jobs], bootstraps(jobs), jobs[0].cfg)
    rec["paired"] = same_days(jobs)
    text = json.dumps(_clean(rec), indent=2, ensure_ascii=False, default=_plain)

    def write(p: Path) -> None:
        p.write_text(text + "\n")

    atomic_write(sweep_dir / "recommendation.json", write)
    return rec


def _plain(x: Any) -> Any:
    """numpy scalars (bool, int) as Python values for JSON."""
    return x.item() if isinstance(x, np.generic) else str(x)


def figure_decision(rec: dict[str, Any], table: pd.DataFrame, cfg: Any) -> dict[str, Any] | None:
    """The inputs of the staffing curve (sizing axes only; ranking axes get no curve)."""
    if rec.get("kind") != "sizing":
        return None
    axis = rec["axis"]
    value = rec["value"]
    rows = [i for i in range(len(table)) if value is not None and table[axis].iloc[i] == value]
    metric = str(cfg.report.decision_metric)
    return {
        "factor": axis,
        "metric": metric,
        "target_min": float(cfg.report.decision_target_min),
        "goal": float(cfg.report.decision_goal),
        "value": value,
        "row": rows[0] if rows else None,
    }


def table_columns(rec: dict[str, Any], table: pd.DataFrame) -> pd.DataFrame:
    """Flag every row of the sweep table: its decision bound, whether it meets the target and
    whether it is over the personnel budget."""
    by_option = {str(o["option"]): o for o in rec["options"]}
    facs = [f for f in str(rec["axis"]).split(", ") if f]  # no axis: a single design point
    labels = [str(_num(option_label(r, facs))) for _, r in table.iterrows()]
    out = table.copy()
    out["decision_bound"] = [by_option[k]["bound"] for k in labels]
    out["meets_target"] = [by_option[k]["meets"] for k in labels]
    out["over_budget"] = [by_option[k]["over_budget"] > 0 for k in labels]
    return out
