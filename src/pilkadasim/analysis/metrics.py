"""The run summary (``summary.json``, docs/reference/outputs.md): response-time statistics
with 95% CIs.

Response time is first unit (or guard) on scene minus the report. An incident never reached
is a miss everywhere: it enters every percentile as +∞, so a percentile above the reached
share is "not reached" (``None`` in summary.json), and "within target" counts it as a miss.
The mean is over reached incidents and stands next to the count of unreached ones. All
intervals resample whole days (replications): see :mod:`pilkadasim.analysis.stats`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd

from pilkadasim.analysis.contracts import Provenance, StaffingPlan, Summary
from pilkadasim.analysis.stats import DayBootstrap, mean, percentile_interval
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


def response_block(
    inc: pd.DataFrame,
    n_reps: int,
    boot: DayBootstrap | None = None,
) -> dict[str, Any]:
    """``n`` reached incidents, their mean, ``unreached`` count, and p50/p90/p95 over all
    incidents with the unreached as +∞; intervals from the day bootstrap."""
    vals = np.nan_to_num(inc["response_min"].to_numpy(dtype=float), nan=np.inf)
    reps = inc["replication"].to_numpy()
    reached = np.isfinite(vals)
    boot = boot or DayBootstrap(n_reps)
    block: dict[str, Any] = {"n": int(reached.sum()), "unreached": int((~reached).sum())}
    ci: dict[str, Any] = {}
    block["mean"] = mean(vals[reached])
    ci["mean"] = percentile_interval(boot.means(vals[reached], reps[reached]), n_reps)
    reps_q = boot.quantiles(vals, reps, list(QUANTILES.values()))
    for k, (name, q) in enumerate(QUANTILES.items()):
        block[name] = percentile(q)(vals)
        ci[name] = percentile_interval(reps_q[:, k], n_reps)
    block["ci95"] = ci
    return block


def within_targets(
    inc: pd.DataFrame, n_reps: int, targets: list[float], boot: DayBootstrap | None = None
) -> dict[str, Any]:
    out = {}
    boot = boot or DayBootstrap(n_reps)
    resp = inc["response_min"].to_numpy()
    reps = inc["replication"].to_numpy()
    for t in targets:
        hit = np.nan_to_num(resp, nan=np.inf) <= t
        p = mean(hit.astype(float))
        out[f"{t:g}"] = {
            "p": p,
            "ci95": percentile_interval(boot.means(hit.astype(float), reps), n_reps),
        }
    return out


def per_day(inc: pd.DataFrame, n_reps: int, boot: DayBootstrap | None = None) -> dict[str, Any]:
    counts = np.bincount(inc["replication"].to_numpy(), minlength=n_reps).astype(float)
    mean_count = float(counts.mean()) if n_reps else float("nan")
    boot = boot or DayBootstrap(n_reps)
    return {"mean": mean_count, "ci95": percentile_interval(boot.day_means(counts), n_reps)}


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
    boot = DayBootstrap(replications, seed)
    util = units.groupby("unit_id", observed=True)["utilization"].mean() if len(units) else None
    summary = {
        "replications": replications,
        "seed": seed,
        "incidents_per_day": per_day(incidents, replications, boot),
        "response_min": response_block(incidents, replications, boot),
        "within_target": within_targets(incidents, replications, targets, boot),
        "reserve_response_min": response_block(reserve, replications, boot),
        "reserve_within_target": within_targets(reserve, replications, targets, boot),
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
