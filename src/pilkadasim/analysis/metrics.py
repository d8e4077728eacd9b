"""The run summary (``summary.json``, docs/reference/outputs.md): response-time statistics
with 95% CIs.

Response time is first unit (or guard) on scene minus the report. An incident never reached
is a miss everywhere: it enters every percentile as +∞, so a percentile above the reached
share is "not reached" (``None`` in summary.json), and "within target" counts it as a miss.
The mean is over reached incidents and stands next to the count of unreached ones. All
intervals are across replications (see :mod:`pilkadasim.analysis.stats`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from pilkadasim.analysis.stats import batches, mean, sectioned, t_interval

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
            v = float(np.quantile(x, q))
        return v if np.isfinite(v) else float("inf")

    return stat


def percentile_with_ci(
    vals: np.ndarray, reps: np.ndarray, n_reps: int, q: float
) -> tuple[float, list[float] | None]:
    """Pooled percentile and its sectioning interval; no interval when the percentile is
    not reached in the pool or in some batch (its upper end would be unbounded)."""
    stat = percentile(q)
    point = stat(vals)
    if not np.isfinite(point):
        return point, None
    batch = batches(reps, n_reps)
    per_batch = np.array([stat(vals[batch == k]) for k in np.unique(batch)])
    if per_batch.size < 2 or not np.isfinite(per_batch).all():
        return point, None
    return point, t_interval(per_batch, point)


def response_block(inc: pd.DataFrame, n_reps: int, column: str = "response_min") -> dict[str, Any]:
    """``n`` reached incidents, their mean, ``unreached`` count, and p50/p90/p95 over all
    incidents with the unreached as +∞."""
    vals = np.nan_to_num(inc[column].to_numpy(dtype=float), nan=np.inf)
    reps = inc["replication"].to_numpy()
    reached = np.isfinite(vals)
    block: dict[str, Any] = {"n": int(reached.sum()), "unreached": int((~reached).sum())}
    ci: dict[str, Any] = {}
    block["mean"], ci["mean"] = sectioned(vals[reached], reps[reached], n_reps, mean)
    for name, q in QUANTILES.items():
        block[name], ci[name] = percentile_with_ci(vals, reps, n_reps, q)
    block["ci95"] = ci
    return block


def within_targets(inc: pd.DataFrame, n_reps: int, targets: list[float]) -> dict[str, Any]:
    out = {}
    resp = inc["response_min"].to_numpy()
    reps = inc["replication"].to_numpy()
    for t in targets:
        hit = np.nan_to_num(resp, nan=np.inf) <= t
        p, ci = sectioned(hit.astype(float), reps, n_reps, mean)
        out[f"{t:g}"] = {"p": p, "ci95": clip(ci, 0.0, 1.0)}
    return out


def per_day(inc: pd.DataFrame, n_reps: int) -> dict[str, Any]:
    counts = np.bincount(inc["replication"].to_numpy(), minlength=n_reps).astype(float)
    mean_count = float(counts.mean()) if n_reps else float("nan")
    return {"mean": mean_count, "ci95": clip(t_interval(counts), 0.0, np.inf)}


def clip(ci: list[float] | None, low: float, high: float) -> list[float] | None:
    """A symmetric t-interval cut to the values the quantity can take (a share, a count)."""
    return None if ci is None else [max(ci[0], low), min(ci[1], high)]


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


def summarize(
    incidents: pd.DataFrame,
    units: pd.DataFrame,
    *,
    replications: int,
    seed: int,
    targets: list[float],
    escalated: int,
    provenance: dict[str, Any],
    staffing: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The summary dict written as summary.json."""
    reserve = incidents[
        incidents["handled_by"].isin(["reserve", "tni"]) | (incidents["handled_by"] == "unserved")
    ]
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
        "unserved": int((incidents["handled_by"] == "unserved").sum()),
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
    cleaned: dict[str, Any] = _clean(summary)
    return cleaned
