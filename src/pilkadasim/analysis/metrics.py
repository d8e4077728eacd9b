"""The run summary (``summary.json``, DESIGN §4.5): response-time statistics with 95% CIs.

Response time is first unit (or guard) on scene minus the report. Quantiles and the mean are
over incidents that were reached; "within target" counts every incident, an unreached one as
a miss. All intervals resample whole days (replications): see :mod:`pilkadasim.analysis.stats`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pilkadasim.analysis.stats import DayBootstrap, mean, percentile_interval, quantile

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


def response_block(
    inc: pd.DataFrame, n_reps: int, boot: DayBootstrap | None = None
) -> dict[str, Any]:
    served = inc[inc["response_min"].notna()]
    vals = served["response_min"].to_numpy()
    reps = served["replication"].to_numpy()
    boot = boot or DayBootstrap(n_reps)
    block: dict[str, Any] = {"n": len(vals)}
    ci: dict[str, Any] = {}
    for name, stat in {"mean": mean, **{k: quantile(q) for k, q in QUANTILES.items()}}.items():
        block[name] = stat(vals)
    ci["mean"] = percentile_interval(boot.means(vals, reps), n_reps)
    reps_q = boot.quantiles(vals, reps, list(QUANTILES.values()))
    for k, name in enumerate(QUANTILES):
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


def breakdown(inc: pd.DataFrame, by: str, targets: list[float]) -> dict[str, Any]:
    """Per group: incidents per day, p50/p90 and the share within the largest target."""
    n_reps = int(inc["replication"].max()) + 1 if len(inc) else 0
    out = {}
    big = max(targets)
    for key, grp in inc.groupby(by, observed=True):
        r = grp["response_min"].dropna().to_numpy()
        out[str(key)] = {
            "incidents_per_day": len(grp) / max(n_reps, 1),
            "p50": float(np.quantile(r, 0.5)) if r.size else None,
            "p90": float(np.quantile(r, 0.9)) if r.size else None,
            f"within_{big:g}": float(
                (np.nan_to_num(grp["response_min"].to_numpy(), nan=np.inf) <= big).mean()
            ),
        }
    return out


def reserve_needed(inc: pd.DataFrame) -> np.ndarray:
    """Incidents that needed the mobile reserve (a reserve or TNI team, or nobody came)."""
    handled = inc["handled_by"]
    return np.asarray(handled.isin(["reserve", "tni"]) | (handled == "unserved"))


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
        "unserved": int((incidents["handled_by"] == "unserved").sum()),
        "escalated": escalated,
        "handled_by": {
            str(k): int(v) for k, v in incidents["handled_by"].value_counts(sort=False).items()
        },
        "by_category": breakdown(incidents, "category", targets),
        "by_kecamatan": breakdown(incidents, "kecamatan", targets),
        "staffing": staffing or {},
        "provenance": provenance,
    }
    cleaned: dict[str, Any] = _clean(summary)
    return cleaned
