"""Confidence intervals across replications.

Each replication is one independent election day, so uncertainty is measured *between*
replications, never by pooling incidents as if they were independent (incidents of one day
share its weather, its timeline and its queue). Quantiles and ratios are estimated on all
incidents pooled, with intervals from *sectioning*: the replications are split into ``b``
consecutive batches, the statistic is computed per batch, and a Student-t interval is formed
from the batch values around the pooled estimate (Asmussen & Glynn, *Stochastic Simulation*,
§III.5).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats

MAX_BATCHES = 20


def t_interval(
    values: np.ndarray, centre: float | None = None, level: float = 0.95
) -> list[float] | None:
    """Student-t interval from i.i.d. ``values`` (around ``centre``, default their mean)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if values.size < 2:
        return None
    mid = float(values.mean()) if centre is None else centre
    half = stats.t.ppf(0.5 + level / 2, values.size - 1) * values.std(ddof=1) / np.sqrt(values.size)
    return [mid - float(half), mid + float(half)]


def batches(replications: np.ndarray, n_reps: int) -> np.ndarray:
    """Batch number of every row, from its replication (``min(20, n_reps)`` batches)."""
    b = min(MAX_BATCHES, n_reps)
    return (np.asarray(replications) * b) // max(n_reps, 1)


def sectioned(
    values: np.ndarray,
    replications: np.ndarray,
    n_reps: int,
    statistic: Callable[[np.ndarray], float],
) -> tuple[float, list[float] | None]:
    """Pooled ``statistic(values)`` with a sectioning 95% interval over replication batches."""
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return float("nan"), None
    point = float(statistic(values))
    batch = batches(replications, n_reps)
    per_batch = [statistic(values[batch == k]) for k in np.unique(batch)]
    per_batch_arr = np.array([v for v in per_batch if np.isfinite(v)])
    if per_batch_arr.size < 2:
        return point, None
    return point, t_interval(per_batch_arr, point)


def quantile(q: float) -> Callable[[np.ndarray], float]:
    def stat(x: np.ndarray) -> float:
        return float(np.quantile(x, q)) if x.size else float("nan")

    return stat


def mean(x: np.ndarray) -> float:
    return float(x.mean()) if x.size else float("nan")
