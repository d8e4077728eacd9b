"""Coverage study: do the 95 % intervals of ``summary.json`` cover the truth 95 % of the time?

For a scenario (the default Bangka day and a variant), the *truth* of each statistic is the
pooled statistic of a long independent run (``truth_days`` days, its own seed). A *pool* of
``pool_days`` further days is simulated once; each repetition draws ``R`` distinct days from the
pool at random and computes the intervals exactly as a run of ``R`` replications does. Drawing
from a pool is sound: ``R`` distinct days picked at random from i.i.d. days are themselves ``R``
i.i.d. days (exchangeability), so each repetition's interval has exactly the coverage of a fresh
run. Two repetitions share on average ``R²/pool_days`` days (2 of 200 at the full sizes), which
makes the repetitions very slightly dependent: the hit count is still unbiased, its spread is
close to the binomial one. The cell passes when the observed coverage lies in [0.92, 0.98], a
band that also fails intervals that are too wide.

Checked, as in ``summary.json``: the two-sided 95 % intervals of p50/p90/p95 over all incidents
and over the incidents that needed a reserve team (Woodruff intervals with days as clusters,
:func:`pilkadasim.analysis.stats.quantile_interval`), of the mean response (reached incidents)
and the share within 30 minutes of both groups, and of incidents per day (ratio-estimator
t-intervals over days on the log / logit scale,
:func:`pilkadasim.analysis.stats.ratio_interval`); and the one-sided 95 % upper bound of p90
that the sweep recommendation tests (:func:`pilkadasim.analysis.stats.quantile_upper_bound`,
computed exactly as the recommendation does). ``width`` scales every interval around its
estimate (a deliberately broken interval, to show the check fails).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

BAND = (0.92, 0.98)
QS = {"p50": 0.5, "p90": 0.9, "p95": 0.95}
TARGET = 30.0  # minutes: the "within target" share checked (the default report target)


@dataclass
class Pool:
    """Incidents of many days: response (``inf`` = never reached), day, reserve-needed flag."""

    values: np.ndarray
    days: np.ndarray
    reserve: np.ndarray
    n_days: int


def simulate_pool(overrides: list[str], days: int, seed: int) -> Pool:
    import pilkadasim
    from pilkadasim.analysis.metrics import reserve_needed

    cfg = pilkadasim.compose(
        [
            *overrides,
            f"run.replications={days}",
            f"run.seed={seed}",
            "run.progress=false",
            "report.figures=false",
            "report.html=false",
        ]
    )
    inc = pilkadasim.simulate(cfg).incidents
    values = inc["response_min"].to_numpy(dtype=float, na_value=np.inf)
    return Pool(values, inc["replication"].to_numpy(), reserve_needed(inc), days)


def truth(pool: Pool) -> dict[str, float]:
    out = {"all.per_day": pool.values.size / pool.n_days}
    for group, mask in (("all", np.ones_like(pool.reserve)), ("reserve", pool.reserve)):
        v = pool.values[mask]
        for name, q in QS.items():
            out[f"{group}.{name}"] = float(np.quantile(v, q, method="inverted_cdf"))
        out[f"{group}.mean"] = float(v[np.isfinite(v)].mean())
        out[f"{group}.within {TARGET:g}"] = float(np.mean(v <= TARGET))
    return out


def atoms(pool: Pool, true: dict[str, float], margin: float = 0.05) -> set[str]:
    """Statistics whose truth sits on an atom of the distribution (e.g. the p50 of all incidents
    when more than half are handled on the spot at 0 min): P(X < truth) ≤ q − margin and
    P(X ≤ truth) ≥ q + margin. There the estimate equals the truth in almost every sample and
    so does its interval — coverage 1.0 is exact, not too wide, and the band does not apply."""
    out = set()
    for group, mask in (("all", np.ones_like(pool.reserve)), ("reserve", pool.reserve)):
        v = pool.values[mask]
        for name, q in QS.items():
            x = true[f"{group}.{name}"]
            if np.mean(v < x) <= q - margin and np.mean(v <= x) >= q + margin:
                out.add(f"{group}.{name}")
    return out


def _sample(pool: Pool, pick: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Incidents of the picked days, days renumbered 0..R−1."""
    new_id = np.full(pool.n_days, -1)
    new_id[pick] = np.arange(pick.size)
    d = new_id[pool.days]
    keep = d >= 0
    return pool.values[keep], d[keep], pool.reserve[keep]


def _scaled(est: float, lo: float, hi: float, width: float) -> tuple[float, float]:
    with np.errstate(invalid="ignore"):
        return est - width * (est - lo), est + width * (hi - est)


def repetition_hits(
    pool: Pool, true: dict[str, float], r: int, rng: np.random.Generator, width: float
) -> dict[str, bool]:
    from pilkadasim.analysis.stats import (
        day_mean_interval,
        quantile_interval,
        quantile_upper_bound,
        ratio_interval,
    )

    pick = rng.choice(pool.n_days, size=r, replace=False)
    values, days, reserve = _sample(pool, pick)
    hits = {}

    def hit(key: str, est: float, ci: list[float | None] | None) -> None:
        lo, hi = (np.inf, np.inf) if ci is None else (_inf(ci[0]), _inf(ci[1]))
        lo, hi = _scaled(est, lo, hi, width)
        hits[key] = bool(lo <= true[key] <= hi)

    counts = np.bincount(days, minlength=r).astype(float)
    hit("all.per_day", float(counts.mean()), day_mean_interval(counts))
    for group, mask in (("all", np.ones_like(reserve)), ("reserve", reserve)):
        v, d = values[mask], days[mask]
        fin = np.isfinite(v)
        mean_ci = ratio_interval(v[fin], d[fin], r, "log")
        hit(f"{group}.mean", float(v[fin].mean()), mean_ci)
        within = (v <= TARGET).astype(float)
        share_ci = ratio_interval(within, d, r, "logit")
        hit(f"{group}.within {TARGET:g}", float(within.mean()), share_ci)
        for name, q in QS.items():
            est = float(np.quantile(v, q, method="inverted_cdf"))
            hit(f"{group}.{name}", est, quantile_interval(v, d, r, q))
            if name == "p90":
                ub = est + width * (quantile_upper_bound(v, d, r, q) - est)
                hits[f"{group}.p90 upper"] = bool(true[f"{group}.p90"] <= ub)
    return hits


def _inf(x: float | None) -> float:
    """A bound reported as ``None`` ("not reached") is +∞."""
    return float("inf") if x is None else float(x)


def coverage(
    pool: Pool, true: dict[str, float], r: int, repetitions: int, seed: int, width: float = 1.0
) -> dict[str, float]:
    """Share of ``repetitions`` whose interval covered the truth, per statistic."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, r]))
    counts: dict[str, int] = {}
    for _ in range(repetitions):
        for key, hit in repetition_hits(pool, true, r, rng, width).items():
            counts[key] = counts.get(key, 0) + int(hit)
    return {k: v / repetitions for k, v in counts.items()}


def label(statistic: str) -> str:
    """``reserve.p90 upper`` → "reserve-needed p90, one-sided 95% bound"."""
    group, _, rest = statistic.partition(".")
    if rest == "per_day":
        return "incidents per day, 95% interval"
    who = "all incidents" if group == "all" else "reserve-needed"
    if rest.startswith("within"):
        return f"{who} share within {rest.split()[1]} min, 95% interval"
    name, _, upper = rest.partition(" ")
    return f"{who} {name}, " + ("one-sided 95% bound" if upper else "95% interval")


def in_band(p: float) -> bool:
    return BAND[0] <= p <= BAND[1]


def study(
    scenarios: dict[str, list[str]],
    rs: tuple[int, ...],
    repetitions: int,
    pool_days: int,
    truth_days: int,
    seed: int,
    width: float = 1.0,
) -> list[dict[str, Any]]:
    """Rows ``{scenario, R, statistic, coverage, passed}`` for every scenario, R and statistic."""
    rows = []
    for name, overrides in scenarios.items():
        true = truth(simulate_pool(overrides, truth_days, seed + 1))
        pool = simulate_pool(overrides, pool_days, seed)
        exact = atoms(pool, true)
        for r in rs:
            cov = coverage(pool, true, r, repetitions, seed, width)
            rows += [
                {
                    "scenario": name,
                    "R": r,
                    "statistic": k,
                    "coverage": p,
                    "atom": k.split(" ")[0] in exact,
                    # an atom is exact: it may cover more than the band, never less
                    "passed": in_band(p) or (k.split(" ")[0] in exact and p >= BAND[0]),
                }
                for k, p in cov.items()
            ]
    return rows
