"""Paired comparisons of design points run on the same days (common random numbers).

A design point's incidents are kept as arrays (response with ``inf`` for never reached, day);
bootstrap replicates of a statistic are drawn with day weights shared by every point of the
sweep, so the difference of two points' replicates is a paired bootstrap of their difference.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pilkadasim.analysis.metrics import reserve_needed
from pilkadasim.analysis.stats import DayBootstrap, percentile_interval


@dataclass
class Point:
    """One design point's incidents as arrays: response (``inf`` = never reached) and day."""

    values: np.ndarray
    days: np.ndarray
    all_values: np.ndarray
    all_days: np.ndarray


def load_point(path: Path) -> Point:
    inc = pd.read_parquet(
        path / "incidents.parquet", columns=["replication", "response_min", "handled_by"]
    )
    resp = inc["response_min"].to_numpy(dtype=float, na_value=np.inf)
    days = inc["replication"].to_numpy()
    mask = reserve_needed(inc)
    return Point(resp[mask], days[mask], resp, days)


def arrays(point: Point, metric: str) -> tuple[np.ndarray, np.ndarray]:
    if metric == "reserve_response_min":
        return point.values, point.days
    return point.all_values, point.all_days


def replicates(point: Point, metric: str, stat: str, boot: DayBootstrap, target: float) -> Any:
    """Bootstrap replicates of ``stat`` (``p90``, ``mean`` or ``share``) of the metric."""
    v, d = arrays(point, metric)
    if stat == "mean":
        return boot.means(v, d)
    if stat == "share":
        return boot.means((v <= target).astype(float), d)
    return boot.quantiles(v, d, [float(stat[1:]) / 100])[:, 0]


def point_value(point: Point, metric: str, stat: str, target: float) -> float:
    v, _ = arrays(point, metric)
    if v.size == 0:
        return float("nan")
    if stat == "mean":
        return float(v.mean())
    if stat == "share":
        return float((v <= target).mean())
    return float(np.quantile(v, float(stat[1:]) / 100, method="inverted_cdf"))


def paired_columns(
    points: list[Point], ref: int, metric: str, boot: DayBootstrap | None
) -> list[dict[str, Any]]:
    """Δmean and Δp90 of each point minus the reference with paired day-bootstrap 95 % CIs
    (the same resampled days for both: valid under common random numbers). No CI (``None``)
    when the points were not run on the same days."""
    out = []
    for p in points:
        row: dict[str, Any] = {}
        for stat in ("mean", "p90"):
            key = f"delta.{metric}.{stat}"
            row[key] = _finite(
                point_value(p, metric, stat, 0) - point_value(points[ref], metric, stat, 0)
            )
            ci = None
            if boot is not None:
                diff = _diff(
                    replicates(p, metric, stat, boot, 0),
                    replicates(points[ref], metric, stat, boot, 0),
                )
                ci = percentile_interval(diff, boot.n_days)
            row[f"{key}.lo"], row[f"{key}.hi"] = ci or [None, None]
        out.append(row)
    return out


def _diff(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a − b per replicate; ``inf − inf`` (both unreached) is undefined (nan)."""
    with np.errstate(invalid="ignore"):
        diff: np.ndarray = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return diff


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def _num(x: Any) -> Any:
    if isinstance(x, np.integer | np.floating):
        x = x.item()
    if isinstance(x, float):
        return int(x) if x.is_integer() else round(x, 4)
    return x


# ----------------------------------------------------------------------------- sweeps
def same_days(jobs: list[Any]) -> bool:
    """All jobs ran the same days (same seed and replications: common random numbers)."""
    first = jobs[0].summary
    return all(
        j.summary["seed"] == first["seed"] and j.summary["replications"] == first["replications"]
        for j in jobs
    )


def bootstraps(jobs: list[Any]) -> list[DayBootstrap]:
    """One shared day bootstrap when the jobs ran the same days, else one per job."""
    if same_days(jobs):
        shared = DayBootstrap(int(jobs[0].summary["replications"]), int(jobs[0].summary["seed"]))
        return [shared] * len(jobs)
    return [DayBootstrap(int(j.summary["replications"]), int(j.summary["seed"])) for j in jobs]


def paired(jobs: list[Any], ref: int, metric: str) -> list[dict[str, Any]]:
    """The ``delta.*`` columns of ``sweep_summary.csv`` (see :func:`paired_columns`)."""
    points = [load_point(j.path) for j in jobs]
    boot = bootstraps(jobs)[0] if same_days(jobs) else None
    return paired_columns(points, ref, metric, boot)
