"""The optimised metric on simulated outcomes: pooled value, batch values, intervals.

The pooled value is computed exactly as ``summary.json`` computes it (percentiles over all
incidents with an unreached one as +∞, the mean over the reached ones, shares over all
incidents with an unreached one as a miss), so the value reported for a plan equals the summary
of a run of that plan. Batch values (the statistic over ``batch_days`` consecutive days) are the
observations of the search and of the ranking-and-selection step: batches of days are
independent, and close to normal. A plan's own interval in ``optimise.json`` is built as in
summary.json (:mod:`pilkadasim.analysis.stats`: Woodruff for percentiles, the ratio estimator
over days for a mean or a share; the day bootstrap for counts and utilisation); improvements
use the paired day bootstrap (the same days drawn for both plans).
"""

from __future__ import annotations

import numpy as np

from pilkadasim.analysis.stats import (
    DayBootstrap,
    percentile_interval,
    quantile_interval,
    ratio_interval,
)
from pilkadasim.core.records import HANDLED_BY
from pilkadasim.optimise.evaluate import Outcome
from pilkadasim.optimise.keys import Metric

QUANTILE = {"p50": 0.5, "p90": 0.9, "p95": 0.95}
HANDLED = {h: i for i, h in enumerate(HANDLED_BY)}


def _counted(metric: Metric, out: Outcome, rows: np.ndarray) -> np.ndarray:
    """Per incident of ``rows``: 1 when the count metric counts it."""
    hit: np.ndarray
    if metric.count_of == "unreached":
        hit = np.isnan(out.response[rows])
    elif metric.count_of == "proceeded_without_capability":
        hit = out.proceeded[rows]
    else:
        hit = out.handled[rows] == HANDLED[str(metric.count_of)]
    return np.asarray(hit, float)


def _util(metric: Metric, util: np.ndarray) -> float:
    per_unit = util.mean(axis=0)
    if per_unit.size == 0:
        return float("nan")
    return float(per_unit.max() if metric.stat == "util_max" else per_unit.mean())


def _values(metric: Metric, out: Outcome, rows: np.ndarray, days: np.ndarray) -> float:
    """The statistic over incidents ``rows`` (and, for utilisation, replications ``days``:
    offsets from ``out.start``) as summary.json computes it; a count is the total."""
    if metric.stat == "count":
        return float(_counted(metric, out, rows).sum())
    if metric.stat.startswith("util"):
        return _util(metric, out.util[days])
    resp = np.nan_to_num(out.response[rows], nan=np.inf)  # never reached: +inf
    if resp.size == 0:
        return float("nan")
    if metric.stat == "share":
        return float((resp <= float(metric.target or 0.0)).mean())
    if metric.stat == "mean":
        reached = resp[np.isfinite(resp)]
        return float(reached.mean()) if reached.size else float("nan")
    with np.errstate(invalid="ignore"):
        q = float(np.quantile(resp, QUANTILE[metric.stat], method="inverted_cdf"))
    return q if np.isfinite(q) else float("inf")


def _replicates(metric: Metric, out: Outcome, boot: DayBootstrap) -> np.ndarray:
    """Day-bootstrap replicates of the statistic (days ``rep - start``)."""
    rows = _rows(metric, out)
    resp = np.nan_to_num(out.response[rows], nan=np.inf)
    days = out.rep[rows] - out.start
    if metric.stat == "count":
        per_day = np.bincount(days, weights=_counted(metric, out, rows), minlength=out.n)
        return boot.day_means(per_day[: out.n]) * out.n
    if metric.stat.startswith("util"):
        per_unit = boot.weights @ out.util / max(out.n, 1)  # (n_boot, units)
        if per_unit.shape[1] == 0:
            return np.full(boot.n_boot, np.nan)
        reps: np.ndarray = per_unit.max(axis=1) if metric.stat == "util_max" else per_unit.mean(1)
        return reps
    if metric.stat == "share":
        return boot.means((resp <= float(metric.target or 0.0)).astype(float), days)
    if metric.stat == "mean":
        ok = np.isfinite(resp)
        return boot.means(resp[ok], days[ok])
    return boot.quantiles(resp, days, [QUANTILE[metric.stat]])[:, 0]


def _rows(metric: Metric, out: Outcome) -> np.ndarray:
    if metric.scope == "reserve":
        return out.reserve
    if metric.sites is not None:
        return np.isin(out.site, np.asarray(metric.sites, np.int64))
    return np.ones(len(out.response), bool)


def pooled(metric: Metric, out: Outcome) -> float:
    return _values(metric, out, _rows(metric, out), np.arange(out.n))


def by_batch(metric: Metric, out: Outcome, batch_of_rep: np.ndarray) -> np.ndarray:
    """The statistic per batch (``batch_of_rep[r - start]``: batch of replication ``r``); a
    count per day of the batch, so that δ of a count is in incidents per day."""
    rows = _rows(metric, out)
    batch = batch_of_rep[out.rep - out.start]
    n_batches = int(batch_of_rep.max()) + 1
    values = []
    for k in range(n_batches):
        days = np.flatnonzero(batch_of_rep == k)
        v = _values(metric, out, rows & (batch == k), days)
        values.append(v / max(days.size, 1) if metric.stat == "count" else v)
    return np.array(values)


def day_batches(n: int, batch_days: int) -> np.ndarray:
    """Batch of each of ``n`` days: consecutive runs of ``batch_days``."""
    return np.arange(n) // batch_days


def batch_values(metric: Metric, out: Outcome, batch_days: int) -> np.ndarray:
    return by_batch(metric, out, day_batches(out.n, batch_days))


def with_ci(metric: Metric, out: Outcome) -> tuple[float, list[float | None] | None]:
    """Pooled value and its 95 % interval, as summary.json builds it for that statistic."""
    value = pooled(metric, out)
    if metric.stat in QUANTILE or metric.stat in ("share", "mean"):
        rows = _rows(metric, out)
        resp = np.nan_to_num(out.response[rows], nan=np.inf)
        days = out.rep[rows] - out.start
        if metric.stat == "share":
            hit = (resp <= float(metric.target or 0.0)).astype(float)
            return value, ratio_interval(hit, days, out.n, "logit")
        if metric.stat == "mean":
            ok = np.isfinite(resp)
            return value, ratio_interval(resp[ok], days[ok], out.n, "log")
        return value, quantile_interval(resp, days, out.n, QUANTILE[metric.stat])
    boot = DayBootstrap(out.n)
    return value, percentile_interval(_replicates(metric, out, boot), out.n)


def paired_gain(
    metric: Metric, base: Outcome, new: Outcome
) -> tuple[float, list[float | None] | None]:
    """How much better ``new`` is than ``base`` (positive: better), with a 95 % interval from
    a paired day bootstrap (the same days drawn for both: common random numbers)."""
    assert (base.start, base.n) == (new.start, new.n), "paired outcomes need the same days"
    sign = 1.0 if metric.maximise else -1.0
    point = sign * (pooled(metric, new) - pooled(metric, base))
    boot = DayBootstrap(base.n)
    with np.errstate(invalid="ignore"):
        diff = sign * (_replicates(metric, new, boot) - _replicates(metric, base, boot))
    return point, percentile_interval(diff, base.n)
