"""The run summary (``summary.json``, docs/reference/outputs.md): response-time statistics
with 95% CIs.

Response time is first unit (or guard) on scene minus the report. An incident never reached
is a miss everywhere: it enters every percentile as +∞, so a percentile above the reached
share is "not reached" (``None`` in summary.json), and "within target" counts it as a miss.
The mean is over reached incidents and stands next to the count of unreached ones. Every
interval treats the day (replication) as the independent unit: the percentiles by Woodruff
intervals with days as clusters, the mean, shares and incidents per day by ratio-estimator
t-intervals over days on the log or logit scale; see :mod:`pilkadasim.analysis.stats`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd

from pilkadasim.analysis.contracts import Provenance, StaffingPlan, Summary
from pilkadasim.analysis.stats import day_mean_interval, mean, quantile_interval, ratio_interval
from pilkadasim.core.records import RESERVE_NEEDED, HandledBy

QUANTILES = {"p50": 0.5, "p90": 0.9, "p95": 0.95}


def _clean(x: Any) -> Any:
    """JSON-safe numbers: NaN → None, numpy → Python, rounded to 4 decimals."""
    if isinstance(x, dict):
        return {str(k): _clean(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_clean(v) for v in x]
    if isinstance(x, np.integer | int) and not isinstance(x, bool):
        return int(x)
    if isinstance(x, np.floating | float):
        return None if not np.isfinite(x) else round(float(x), 4)
    return x


def percentile(q: float) -> Callable[[np.ndarray], float]:
    """The ``q`` quantile of response times with unreached incidents as +∞ (``inf`` when
    it falls among the unreached)."""

    def stat(x: np.ndarray) -> float:
        if not x.size:
            return float("nan")
        with np.errstate(invalid="ignore"):
            v = float(np.quantile(x, q, method="inverted_cdf"))
        return v if np.isfinite(v) else float("inf")

    return stat


def response_block(inc: pd.DataFrame, n_reps: int) -> dict[str, Any]:
    """``n`` reached incidents, their mean, ``unreached`` count, and p50/p90/p95 over all
    incidents with the unreached as +∞. Intervals treat the day as the unit: the mean's is a
    ratio-estimator t-interval on the log scale, the percentiles' Woodruff intervals
    (:mod:`pilkadasim.analysis.stats`); their coverage is measured in docs/validation.md."""
    vals = np.nan_to_num(inc["response_min"].to_numpy(dtype=float), nan=np.inf)
    reps = inc["replication"].to_numpy()
    reached = np.isfinite(vals)
    block: dict[str, Any] = {"n": int(reached.sum()), "unreached": int((~reached).sum())}
    ci: dict[str, Any] = {}
    block["mean"] = mean(vals[reached])
    ci["mean"] = ratio_interval(vals[reached], reps[reached], n_reps, "log")
    for name, q in QUANTILES.items():
        block[name] = percentile(q)(vals)
        ci[name] = quantile_interval(vals, reps, n_reps, q)
    block["ci95"] = ci
    return block


def within_targets(inc: pd.DataFrame, n_reps: int, targets: list[float]) -> dict[str, Any]:
    """Share of incidents reached within each target (unreached count as misses), with a
    ratio-estimator t-interval over days on the logit scale."""
    out = {}
    resp = inc["response_min"].to_numpy()
    reps = inc["replication"].to_numpy()
    for t in targets:
        hit = (np.nan_to_num(resp, nan=np.inf) <= t).astype(float)
        out[f"{t:g}"] = {"p": mean(hit), "ci95": ratio_interval(hit, reps, n_reps, "logit")}
    return out


def per_day(inc: pd.DataFrame, n_reps: int) -> dict[str, Any]:
    counts = np.bincount(inc["replication"].to_numpy(), minlength=n_reps).astype(float)
    mean_count = float(counts.mean()) if n_reps else float("nan")
    return {"mean": mean_count, "ci95": day_mean_interval(counts)}


def breakdown(inc: pd.DataFrame, by: str, targets: list[float], n_reps: int) -> dict[str, Any]:
    """Per group: incidents per day (over all ``n_reps`` replications, with or without
    incidents), p50/p90 and the share within the largest target."""
    out = {}
    big = max(targets)
    for key, grp in inc.groupby(by, observed=True):
        r = np.nan_to_num(grp["response_min"].to_numpy(dtype=float), nan=np.inf)
        out[str(key)] = {
            "incidents_per_day": len(grp) / max(n_reps, 1),
            "p50": percentile(0.5)(r) if r.size else None,
            "p90": percentile(0.9)(r) if r.size else None,
            f"within_{big:g}": float(
                (np.nan_to_num(grp["response_min"].to_numpy(), nan=np.inf) <= big).mean()
            ),
        }
    return out


def reserve_needed(inc: pd.DataFrame) -> np.ndarray:
    """Incidents that needed the mobile reserve (a reserve, TNI or Brimob team, or nobody
    came); not those a guard or Linmas handled at the TPS."""
    return np.asarray(inc["handled_by"].isin(RESERVE_NEEDED))


def summarize(
    incidents: pd.DataFrame,
    units: pd.DataFrame,
    *,
    replications: int,
    seed: int,
    targets: list[float],
    escalated: int,
    provenance: Provenance,
    staffing: StaffingPlan | None = None,
) -> Summary:
    """The summary dict written as summary.json."""
    reserve = incidents[reserve_needed(incidents)]
    util = units.groupby("unit_id", observed=True)["utilization"].mean() if len(units) else None
    summary = {
        "replications": replications,
        "seed": seed,
        "incidents_per_day": per_day(incidents, replications),
        "response_min": response_block(incidents, replications),
        "within_target": within_targets(incidents, replications, targets),
        "reserve_response_min": response_block(reserve, replications),
        "reserve_within_target": within_targets(reserve, replications, targets),
        "utilization": {
            "mean": float(util.mean()) if util is not None else None,
            "max": float(util.max()) if util is not None else None,
        },
        "unserved": int((incidents["handled_by"] == HandledBy.UNSERVED.label).sum()),
        "escalated": escalated,
        "proceeded_without_capability": int(
            incidents["proceeded_without_capability"].sum()
            if "proceeded_without_capability" in incidents
            else 0
        ),
        "handled_by": {
            str(k): int(v) for k, v in incidents["handled_by"].value_counts(sort=False).items()
        },
        "by_category": breakdown(incidents, "category", targets, replications),
        "by_kecamatan": breakdown(incidents, "kecamatan", targets, replications),
        "staffing": staffing or {},
        "provenance": provenance,
    }
    return cast(Summary, _clean(summary))
