"""Confidence intervals across replications, with the day as the independent unit.

Each replication is one independent election day; incidents of one day are dependent (they share
its tension, its weather, its timeline and its queue). Three estimators, each chosen by its
measured coverage (``pilkadasim-validate``, :mod:`pilkadasim.validation.coverage`,
``docs/validation.md``):

- **Percentiles** (p50/p90/p95): the Woodruff interval with days as clusters
  (:func:`quantile_interval`, :func:`quantile_upper_bound`; Woodruff 1952, Francisco & Fuller
  1991). It inverts a test on the probability scale, with the spread of the empirical CDF
  estimated over days at the estimate itself; its ends are observed response times.
- **Means, shares within target, incidents per day**: ratio-estimator t-intervals over days
  on the log (means, counts) or logit (shares) scale (:func:`ratio_interval`,
  :func:`day_mean_interval`): a mean stays positive, a share inside [0, 1].
- **Paired differences** between design points or plans (sweeps, the what-if page, the
  optimiser): a bootstrap that resamples whole days (:class:`DayBootstrap`), the same days for
  both. One replicate draws ``n_days`` days with replacement (multinomial weights over days),
  every incident of a drawn day enters with its day's weight, and the pooled statistic is
  recomputed; the 95 % interval is read from the replicates' percentiles (Efron & Tibshirani,
  *An Introduction to the Bootstrap*, ch. 13), expanded for the number of days (Hesterberg
  2015).

Why not the Student-t over batches of days (sectioning) used at first: the p90 of this model sits
in a gap between two response modes (guard or Linmas on site vs. reserve team on the road), so
batch percentiles are far from normal and the t-interval covered the truth in only 46–68 % of
repetitions. Why not the bootstrap for percentiles: its upper tail is read where the resampled
percentile lands on higher ranks, where the binomial spread is smaller, so for a tail percentile
from few incidents it came out a rank short (0.89–0.90 coverage).

Cost: bootstrap weights are drawn once per run; a weighted percentile (paired differences) is a
cumulative sum over the sorted incidents per replicate and one ``searchsorted`` (no Python loop
over replicates), processed in blocks to bound memory. A Woodruff interval needs one sort.
Unreached incidents may be passed as ``+inf``: a percentile that falls on them is ``inf``
("not reached"), an interval end ``None`` (the data do not bound it).
"""

from __future__ import annotations

import functools

import numpy as np

N_BOOT = 1000  # bootstrap replicates per run
LEVEL = 0.95
_BLOCK_CELLS = 4_000_000  # replicates × incidents per block (bounds memory to ~32 MB)
_SEED_SALT = 0xB007  # bootstrap weights never share a stream with the simulation


class DayBootstrap:
    """Multinomial day weights ``(n_boot, n_days)``, drawn once from ``seed`` so that every
    statistic of a run — and every design point of a sweep on the same days (common random
    numbers) — is resampled with the same days: paired differences are then valid."""

    def __init__(self, n_days: int, seed: int = 0, n_boot: int = N_BOOT) -> None:
        self.n_days = int(n_days)
        rng = np.random.default_rng(np.random.SeedSequence([_SEED_SALT, int(seed), self.n_days]))
        probs = np.full(self.n_days, 1.0 / max(self.n_days, 1))
        self.weights = rng.multinomial(self.n_days, probs, size=n_boot).astype(np.int32)

    @property
    def n_boot(self) -> int:
        return int(self.weights.shape[0])

    def quantiles(self, values: np.ndarray, days: np.ndarray, qs: list[float]) -> np.ndarray:
        """``(n_boot, len(qs))`` weighted inverted-CDF quantiles (``inf`` allowed in values;
        ``nan`` where a replicate drew no incident at all)."""
        values, days = np.asarray(values, dtype=float), np.asarray(days, dtype=np.int64)
        out = np.full((self.n_boot, len(qs)), np.nan)
        if values.size == 0:
            return out
        order = np.argsort(values, kind="stable")
        sv, sd = values[order], days[order]
        step = max(1, _BLOCK_CELLS // sv.size)
        for start in range(0, self.n_boot, step):
            w = self.weights[start : start + step][:, sd]
            cum = np.cumsum(w, axis=1, dtype=np.int64)
            out[start : start + step] = _row_quantiles(cum, sv, qs)
        return out

    def means(self, values: np.ndarray, days: np.ndarray) -> np.ndarray:
        """``(n_boot,)`` pooled means (total over the drawn days ÷ their incident count)."""
        values, days = np.asarray(values, dtype=float), np.asarray(days, dtype=np.int64)
        total = np.bincount(days, weights=values, minlength=self.n_days)[: self.n_days]
        count = np.bincount(days, minlength=self.n_days)[: self.n_days].astype(float)
        num = _dot(self.weights, total) if np.isfinite(total).all() else _inf_safe_dot(self, total)
        den = _dot(self.weights, count)
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(den > 0, num / np.where(den > 0, den, 1), np.nan)

    def day_means(self, per_day: np.ndarray) -> np.ndarray:
        """``(n_boot,)`` means of one number per day (e.g. incidents per day)."""
        return _dot(self.weights, np.asarray(per_day, dtype=float)) / max(self.n_days, 1)


def _dot(weights: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``weights @ v`` without BLAS (``einsum`` without ``optimize`` sums in its own loops), so
    the result is bit-identical whatever the BLAS library or its thread count."""
    out: np.ndarray = np.einsum("ij,j->i", weights, np.asarray(v, dtype=float))
    return out


def _inf_safe_dot(boot: DayBootstrap, total: np.ndarray) -> np.ndarray:
    """``weights @ total`` where a day total may be ``inf`` (weight 0 × inf counts as 0)."""
    finite = np.where(np.isfinite(total), total, 0.0)
    hit_inf = boot.weights[:, ~np.isfinite(total)].sum(axis=1) > 0
    return np.where(hit_inf, np.inf, _dot(boot.weights, finite))


def _row_quantiles(cum: np.ndarray, sorted_values: np.ndarray, qs: list[float]) -> np.ndarray:
    """Per row of cumulative weights, the first sorted value whose cumulative weight reaches
    ``q × total`` — one flat ``searchsorted`` with a per-row offset (rows are nondecreasing)."""
    rows, n = cum.shape
    total = cum[:, -1]
    span = int(total.max()) + 1
    offset = (np.arange(rows, dtype=np.int64) * span)[:, None]
    flat = (cum + offset).ravel()
    out = np.empty((rows, len(qs)))
    for k, q in enumerate(qs):
        target = np.ceil(q * total - 1e-9).clip(min=1).astype(np.int64)
        idx = np.searchsorted(flat, target + offset[:, 0], side="left") - np.arange(rows) * n
        out[:, k] = sorted_values[np.clip(idx, 0, n - 1)]
    out[total == 0] = np.nan
    return out


def expanded_tail(alpha: float, n: int | None) -> float:
    """Tail probability of the *expanded* percentile interval (Hesterberg 2015, "What teachers
    should know about the bootstrap", §5.2): the bootstrap distribution is too narrow by about
    √((n−1)/n) and uses z where t fits, so the nominal tail ``alpha`` becomes
    Φ(−√(n/(n−1)) · t_{1−alpha, n−1}). ``n`` is the number of days; ``None`` leaves ``alpha``."""
    if n is None or n < 3:
        return alpha
    from scipy import stats

    return float(stats.norm.cdf(-np.sqrt(n / (n - 1)) * stats.t.ppf(1 - alpha, n - 1)))


def _defined(replicates: np.ndarray) -> np.ndarray | None:
    """The replicates where the statistic is defined; ``None`` when fewer than 90 % are."""
    r = np.asarray(replicates, dtype=float)
    ok = r[~np.isnan(r)]
    return ok if ok.size >= max(2, 0.9 * r.size) else None


def percentile_interval(
    replicates: np.ndarray, n: int | None = None, level: float = LEVEL
) -> list[float | None] | None:
    """Two-sided (expanded) percentile-bootstrap interval over ``n`` days; an infinite bound is
    ``None`` ("not reached"). ``None`` when too few replicates are defined (too few incidents) or
    fewer than 3 days were resampled (one or two days give no spread to read)."""
    r = _defined(replicates)
    if r is None or (n is not None and n < 3):
        return None
    tail = expanded_tail((1 - level) / 2, n)
    lo, hi = np.quantile(r, [tail, 1 - tail], method="inverted_cdf")
    return [_finite(lo), _finite(hi)]


def quantile_upper_bound(
    values: np.ndarray, days: np.ndarray, n_days: int, q: float, level: float = LEVEL
) -> float:
    """One-sided upper confidence bound of the pooled ``q``-quantile over ``n_days`` days
    (Woodruff 1952, with days as clusters; Francisco & Fuller 1991; Sitter & Wu 2001).

    The bound is found on the probability scale and mapped back: the variance of the empirical
    CDF at the estimate, F̂(q̂) = Σ A_d / Σ N_d (A_d incidents of day d at or below q̂, N_d all
    incidents of day d), is the ratio-estimator variance over days
    ``n/(n−1) · Σ_d (A_d − F̂ N_d)² / (Σ_d N_d)²``; the bound is the inverted-CDF quantile at
    ``q + t_{level, n−1} · se``. Unlike the percentile bootstrap it takes the spread of F̂ at
    ``q`` itself, not at the higher ranks the bootstrap's upper tail lands on (where the
    binomial spread is smaller): with ~10 incidents above a p90 the bootstrap bound covered
    only 0.89 (``docs/validation.md``). ``inf`` when the bound lies beyond the last incident
    or on an unreached one; ``nan`` when fewer than 3 days have an incident."""
    w = _woodruff(values, days, n_days, q)
    if w is None:
        return float("nan")
    sv, se = w
    return _at(sv, q + _t(level, n_days) * se)


def quantile_interval(
    values: np.ndarray, days: np.ndarray, n_days: int, q: float, level: float = LEVEL
) -> list[float | None] | None:
    """Two-sided Woodruff interval of the pooled ``q``-quantile over ``n_days`` days: the
    inverted-CDF quantiles at ``q ∓ t_{(1+level)/2, n−1} · se`` with ``se`` as in
    :func:`quantile_upper_bound`. Both ends are observed response times, so the interval stays
    in the possible range. An upper end the data do not give is ``None``: it falls on a
    never-reached incident, or ``q + t · se`` passes 1 (too few incidents above the percentile:
    a p95 needs about 75 incidents, a p90 about 35). The result is ``None`` when fewer than 3
    days have an incident. Its coverage at 50 and 200 days is measured in
    ``docs/validation.md``: the expanded percentile bootstrap it replaced covered a
    reserve-needed p95 (~5 incidents above it at 50 days) only 0.90."""
    w = _woodruff(values, days, n_days, q)
    if w is None:
        return None
    sv, se = w
    half = _t((1 + level) / 2, n_days) * se
    return [_finite(_at(sv, q - half)), _finite(_at(sv, q + half))]


def _woodruff(
    values: np.ndarray, days: np.ndarray, n_days: int, q: float
) -> tuple[np.ndarray, float] | None:
    """Sorted values and the day-cluster standard error of the empirical CDF at the
    ``q``-quantile estimate. With few incidents the estimate can be the largest value; every
    incident is then at or below it, the cluster estimate is 0 and the interval would collapse
    onto one point, so there (and whenever the days show no spread at all) the binomial one of
    independent incidents, ``√(q(1−q)/n)``, is used (the upper end then usually lies beyond
    the data: ``None``). An interval stays one point only when the incidents themselves sit on
    one value around the percentile (e.g. most at 0 min). ``None`` when fewer than
    3 days have an incident."""
    v = np.asarray(values, dtype=float)
    d = _days(days, n_days)
    counts = np.bincount(d, minlength=n_days)
    if v.size == 0 or n_days < 3 or np.count_nonzero(counts) < 3:
        return None
    sv = np.sort(v)
    est = _at(sv, q)
    below = np.bincount(d, weights=(v <= est).astype(float), minlength=n_days)
    share = below.sum() / v.size
    z = below - share * counts
    se = _cluster_se(z, n_days, v.size)
    if se == 0 or est >= sv[-1]:  # no spread over days to read (see above)
        se = max(se, float(np.sqrt(q * (1 - q) / v.size)))
    return sv, se


def _days(days: np.ndarray, n_days: int) -> np.ndarray:
    """Day numbers as integers, checked to lie in ``0 … n_days − 1``."""
    d = np.asarray(days, dtype=np.int64)
    if d.size and (d.min() < 0 or d.max() >= n_days):
        raise ValueError(f"day numbers must lie in 0..{n_days - 1}, got {d.min()}..{d.max()}")
    return d


def _at(sorted_values: np.ndarray, u: float) -> float:
    """Inverted-CDF quantile at probability ``u`` (clipped below at the smallest value;
    ``inf`` above the largest)."""
    k = max(int(np.ceil(u * sorted_values.size - 1e-9)), 1)
    return float(sorted_values[k - 1]) if k <= sorted_values.size else float("inf")


def _cluster_se(z: np.ndarray, n_days: int, n_incidents: float) -> float:
    """Linearised standard error of a pooled ratio over days from the day residuals ``z``:
    ``√(n/(n−1) · Σ z²) / N`` (used by the Woodruff and the ratio intervals)."""
    return float(np.sqrt(n_days / (n_days - 1) * _dot_plain(z)) / n_incidents)


@functools.lru_cache(maxsize=256)
def _t(p: float, n_days: int) -> float:
    """Student-t quantile with ``n_days − 1`` degrees of freedom (cached: a sweep asks the same
    few, and scipy's ppf costs milliseconds)."""
    from scipy import stats

    return float(stats.t.ppf(p, n_days - 1))


def ratio_interval(
    values: np.ndarray,
    days: np.ndarray,
    n_days: int,
    scale: str,
    level: float = LEVEL,
    side: str = "two",
) -> list[float | None] | None:
    """Interval of a pooled mean over incidents, Σ y ÷ Σ N over days (a ratio estimator with
    days as clusters): the mean response of reached incidents (``scale="log"``) or a share
    within target (``values`` 0/1, ``scale="logit"``).

    The standard error is the linearised (Taylor) one over days,
    ``√(n/(n−1) · Σ_d (Y_d − r̂ N_d)²) / Σ_d N_d`` (Y_d the day's total, N_d its incidents); the
    interval ``r̂ ∓ t_{n−1} · se`` is built on the log or logit scale and mapped back, so a mean
    stays positive and a share inside [0, 1], and the skew of a response mean or of a share near
    1 is followed (on the original scale the misses fell 3:1 to 7:1 on one side and a share
    within 30 min covered 0.93 at 50 days; on these scales 0.938–0.961,
    ``docs/validation.md``). A share
    of exactly 0 or 1 gets the Clopper–Pearson bound over its incidents (e.g. all 400 within
    target: 0.991 – 1). ``side="lower"``/``"upper"`` gives the one-sided bound at ``level``
    as ``[bound, None]`` / ``[None, bound]``. ``None`` when fewer than 3 days have an incident
    (the spread over days cannot be estimated), as for the percentiles."""
    y = np.asarray(values, dtype=float)
    d = _days(days, n_days)
    if y.size == 0 or n_days < 3:
        return None
    total = np.bincount(d, weights=y, minlength=n_days)
    count = np.bincount(d, minlength=n_days).astype(float)
    if np.count_nonzero(count) < 3:
        return None
    return _ratio(total, count, n_days, scale, level, side)


def day_mean_interval(per_day: np.ndarray, level: float = LEVEL) -> list[float | None] | None:
    """Interval of the mean of one number per day (e.g. incidents per day), on the log scale;
    no incident on any day gives the exact Poisson bound ``[0, −ln(0.025)/n]`` (3.7/n)."""
    x = np.asarray(per_day, dtype=float)
    if x.size < 3:
        return None
    if not x.any():
        return [0.0, float(-np.log((1 - level) / 2) / x.size)]
    return _ratio(x, np.ones_like(x), x.size, "log", level, "two")


def _ratio(
    total: np.ndarray, count: np.ndarray, n: int, scale: str, level: float, side: str
) -> list[float | None] | None:
    big_n = float(count.sum())
    if big_n == 0:
        return None
    est = float(total.sum()) / big_n
    tail = (1 - level) / 2 if side == "two" else 1 - level
    if scale == "log" and est <= 0:
        lo, hi = 0.0, 0.0
    elif scale == "logit" and not 0 < est < 1:
        # every incident a hit (or none): Clopper–Pearson, the days carry no spread to use
        edge = tail ** (1 / big_n)
        lo, hi = (edge, 1.0) if est >= 1 else (0.0, 1 - edge)
    else:
        z = total - est * count
        se = _cluster_se(z, n, big_n)
        if se == 0:  # the days show no spread: that of independent incidents (or counts)
            se = float(np.sqrt((est * (1 - est) if scale == "logit" else est) / big_n))
        t = _t(1 - tail, n)
        if scale == "log":
            lo, hi = est * float(np.exp(-t * se / est)), est * float(np.exp(t * se / est))
        else:
            logit = float(np.log(est / (1 - est)))
            half = t * se / (est * (1 - est))
            lo = 1 / (1 + float(np.exp(-(logit - half))))
            hi = 1 / (1 + float(np.exp(-(logit + half))))
    lo, hi = min(lo, est), max(hi, est)
    if side == "lower":
        return [lo, None]
    if side == "upper":
        return [None, hi]
    return [lo, hi]


def _dot_plain(z: np.ndarray) -> float:
    return float(np.einsum("i,i->", z, z))


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def mean(x: np.ndarray) -> float:
    return float(x.mean()) if x.size else float("nan")
