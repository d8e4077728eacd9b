"""The optimised metric on simulated outcomes: pooled value, batch values, intervals.

The pooled value is computed exactly as ``summary.json`` computes it (quantiles and means over
the reached incidents, shares over all incidents with an unreached one as a miss), so the
value reported for a plan equals the summary of a run of that plan. Batch values (the
statistic over ``batch_days`` consecutive days) are the observations of the search and of the
ranking-and-selection step: batches of days are independent, and close to normal.
"""

from __future__ import annotations

import numpy as np

from pilkadasim.analysis.stats import batches, t_interval
from pilkadasim.optimise.evaluate import Outcome
from pilkadasim.optimise.settings import Metric

QUANTILE = {"p50": 0.5, "p90": 0.9, "p95": 0.95}


def _values(metric: Metric, out: Outcome, rows: np.ndarray) -> float:
    resp = out.response[rows]
    if metric.stat == "share":
        hit = np.nan_to_num(resp, nan=np.inf) <= float(metric.target or 0.0)
        return float(hit.mean()) if hit.size else float("nan")
    resp = resp[np.isfinite(resp)]
    if resp.size == 0:
        return float("nan")
    if metric.stat == "mean":
        return float(resp.mean())
    return float(np.quantile(resp, QUANTILE[metric.stat]))


def _rows(metric: Metric, out: Outcome) -> np.ndarray:
    return out.reserve if metric.reserve else np.ones(len(out.response), bool)


def pooled(metric: Metric, out: Outcome) -> float:
    return _values(metric, out, _rows(metric, out))


def by_batch(metric: Metric, out: Outcome, batch_of_rep: np.ndarray) -> np.ndarray:
    """The statistic per batch (``batch_of_rep[r - start]``: batch of replication ``r``)."""
    rows = _rows(metric, out)
    batch = batch_of_rep[out.rep - out.start]
    n_batches = int(batch_of_rep.max()) + 1
    return np.array([_values(metric, out, rows & (batch == k)) for k in range(n_batches)])


def day_batches(n: int, batch_days: int) -> np.ndarray:
    """Batch of each of ``n`` days: consecutive runs of ``batch_days``."""
    return np.arange(n) // batch_days


def batch_values(metric: Metric, out: Outcome, batch_days: int) -> np.ndarray:
    return by_batch(metric, out, day_batches(out.n, batch_days))


def with_ci(metric: Metric, out: Outcome) -> tuple[float, list[float] | None]:
    """Pooled value and its 95 % sectioning interval (the batches summary.json uses)."""
    point = pooled(metric, out)
    per = by_batch(metric, out, batches(np.arange(out.n), out.n))
    return point, t_interval(per[np.isfinite(per)], point)


def paired_gain(metric: Metric, base: Outcome, new: Outcome) -> tuple[float, list[float] | None]:
    """How much better ``new`` is than ``base`` (positive: better), with a 95 % interval from
    the per-batch paired differences on common random numbers."""
    assert (base.start, base.n) == (new.start, new.n), "paired outcomes need the same days"
    sign = 1.0 if metric.maximise else -1.0
    point = sign * (pooled(metric, new) - pooled(metric, base))
    b = batches(np.arange(base.n), base.n)
    diff = sign * (by_batch(metric, new, b) - by_batch(metric, base, b))
    return point, t_interval(diff[np.isfinite(diff)], point)
