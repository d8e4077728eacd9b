"""The day bootstrap: weighted quantiles equal the resampled data's, unreached is "not reached",
intervals stay in range and are paired across design points."""

from __future__ import annotations

import numpy as np
import pytest

from pilkadasim.analysis.stats import (
    DayBootstrap,
    day_mean_interval,
    expanded_tail,
    percentile_interval,
    quantile_interval,
    quantile_upper_bound,
    ratio_interval,
)


def _data(seed=1, days=30):
    rng = np.random.default_rng(seed)
    n = rng.poisson(7, days)
    d = np.repeat(np.arange(days), n)
    v = np.where(rng.random(d.size) < 0.7, 0.0, rng.exponential(25, d.size))
    return v, d


def test_weighted_quantiles_and_means_match_explicit_resampling():
    v, d = _data()
    boot = DayBootstrap(30, seed=3, n_boot=50)
    q = boot.quantiles(v, d, [0.5, 0.9, 0.95])
    m = boot.means(v, d)
    for b in range(50):
        rep = np.repeat(v, boot.weights[b][d])
        expect = np.quantile(rep, [0.5, 0.9, 0.95], method="inverted_cdf")
        np.testing.assert_allclose(q[b], expect)
        np.testing.assert_allclose(m[b], rep.mean())


def test_unreached_incidents_make_the_bound_not_reached():
    v, d = _data()
    v[::10] = np.inf  # 10 % never reached
    boot = DayBootstrap(30, seed=3)
    reps = boot.quantiles(v, d, [0.5, 0.95])
    med = percentile_interval(reps[:, 0], 30)  # the median is reached: a finite interval
    assert med is not None
    assert None not in med
    finite = v[np.isfinite(v)]
    assert finite.min() <= med[0] <= med[1] <= finite.max()
    assert percentile_interval(reps[:, 1], 30) == [None, None]
    assert np.isinf(boot.means(v, d)).all()


def test_intervals_stay_inside_the_possible_range():
    v, d = _data()
    boot = DayBootstrap(30, seed=3)
    p50 = percentile_interval(boot.quantiles(v, d, [0.5])[:, 0], 30)
    share = percentile_interval(boot.means((v <= 1.0).astype(float), d), 30)
    assert p50[0] >= 0.0
    assert 0.0 <= share[0] <= share[1] <= 1.0


def test_expanded_interval_is_wider_for_few_days_and_nominal_for_many():
    assert expanded_tail(0.025, 10) < expanded_tail(0.025, 50) < 0.025
    assert abs(expanded_tail(0.025, 10_000) - 0.025) < 1e-3
    assert expanded_tail(0.025, None) == 0.025


def test_weights_are_deterministic_and_shared():
    a, b = DayBootstrap(40, seed=9), DayBootstrap(40, seed=9)
    np.testing.assert_array_equal(a.weights, b.weights)
    assert (a.weights.sum(axis=1) == 40).all()
    assert not np.array_equal(a.weights, DayBootstrap(40, seed=10).weights)


def _clustered_days(rng, n_days, lam=2.0):
    """Days with few reserve-needed incidents: two response modes and a day effect."""
    n = rng.poisson(lam, n_days)
    d = np.repeat(np.arange(n_days), n)
    fast = rng.random(d.size) < 0.7
    v = np.where(fast, rng.gamma(4, 3, d.size), 40 + rng.gamma(3, 8, d.size))
    return v + rng.normal(0, 3, n_days)[d], d


def test_woodruff_upper_bound_covers_the_p90_with_few_incidents():
    # ~2 incidents a day over 50 days: ~10 incidents above the p90, where the percentile
    # bootstrap's upper bound covered ~0.86 here (0.89 on the Bangka day). The Woodruff bound
    # must cover within the validation band; truth from 1,000,000 days.
    rng = np.random.default_rng(11)
    truth = np.quantile(_clustered_days(rng, 1_000_000)[0], 0.9, method="inverted_cdf")
    hits = []
    for _ in range(400):
        v, d = _clustered_days(rng, 50)
        ub = quantile_upper_bound(v, d, 50, 0.9)
        assert ub >= np.quantile(v, 0.9, method="inverted_cdf")
        hits.append(truth <= ub)
    assert 0.92 <= np.mean(hits) <= 0.98


def test_woodruff_upper_bound_edges():
    v, d = np.array([1.0, 2.0, np.inf, 4.0]), np.array([0, 1, 2, 3])
    assert quantile_upper_bound(v, d, 4, 0.9) == np.inf  # beyond the last incident
    assert np.isnan(quantile_upper_bound(v[:2], d[:2], 4, 0.5))  # fewer than 3 days
    assert np.isnan(quantile_upper_bound(v[:0], d[:0], 4, 0.5))
    v, d = _data(days=200)
    ub = quantile_upper_bound(v, d, 200, 0.9)
    assert np.quantile(v, 0.9, method="inverted_cdf") <= ub <= np.quantile(v, 0.97)


@pytest.mark.parametrize("q", [0.5, 0.9, 0.95])
def test_woodruff_interval_covers_two_sided_with_few_incidents(q):
    # The two-sided interval of summary.json on days with ~2 incidents and two response modes:
    # coverage inside the validation band for the median and both tail percentiles (at the p95
    # only ~5 incidents lie above the estimate), and both ends are observed values; an upper
    # end beyond the data (too few incidents above the p95) is None.
    rng = np.random.default_rng(12)
    truth = np.quantile(_clustered_days(rng, 1_000_000)[0], q, method="inverted_cdf")
    hits, open_ended = [], 0
    for _ in range(400):
        v, d = _clustered_days(rng, 50)
        lo, hi = quantile_interval(v, d, 50, q)
        assert lo in v
        assert hi is None or hi in v
        open_ended += hi is None
        hi = np.inf if hi is None else hi
        assert lo <= np.quantile(v, q, method="inverted_cdf") <= hi
        hits.append(lo <= truth <= hi)
    assert 0.92 <= np.mean(hits) <= 0.98
    assert open_ended < (40 if q == 0.95 else 1)  # rare, and only in the far tail


def test_woodruff_with_few_incidents_never_collapses_onto_one_point():
    # 9 incidents: the p90 estimate is the largest value; the upper end lies beyond the data
    # (None; the one-sided bound inf, so a recommendation cannot pass on it), the lower end
    # below the estimate.
    v = np.array([3.0, 5.0, 8.0, 9.0, 12.0, 15.0, 20.0, 24.0, 30.0])
    d = np.arange(9)
    lo, hi = quantile_interval(v, d, 50, 0.9)
    assert lo < 30.0
    assert hi is None
    assert quantile_upper_bound(v, d, 50, 0.9) == np.inf


def test_woodruff_interval_edges_and_unreached():
    v, d = _data()
    v[::10] = np.inf  # 10 % never reached
    med = quantile_interval(v, d, 30, 0.5)
    assert med is not None
    assert None not in med
    assert quantile_interval(v, d, 30, 0.95) == [None, None]  # p95 falls among the unreached
    lo, hi = quantile_interval(v, d, 30, 0.89)  # reached, but its upper end is not
    assert lo is not None
    assert hi is None
    assert quantile_interval(v[:2], d[:2], 30, 0.5) is None  # fewer than 3 days
    # an atom: most incidents handled on the spot at 0 min, so the median is exactly 0
    atom = np.where(np.arange(v.size) % 5 == 0, 10.0, 0.0)
    assert quantile_interval(atom, d, 30, 0.5) == [0.0, 0.0]


def _tense_days(rng, n_days):
    """Days whose hazard is multiplied by a gamma tension factor (cv 0.5): day totals skewed."""
    n = rng.poisson(6 * rng.gamma(4, 0.25, n_days))
    d = np.repeat(np.arange(n_days), n)
    slow = rng.random(d.size) < 0.1 * np.repeat(n, n) / 6
    return np.where(slow, rng.gamma(3, 15, d.size), rng.gamma(2, 2, d.size)), d, n


def test_ratio_intervals_cover_mean_share_and_per_day_at_50_days():
    # Mean (log scale), share within 30 min (logit scale) and incidents per day, 50 days with
    # skewed day totals: each inside the validation band; truths from 400,000 days.
    rng = np.random.default_rng(5)
    v, d, n = _tense_days(rng, 400_000)
    truth = {"mean": v.mean(), "share": (v <= 30).mean(), "per_day": n.mean()}
    hits = dict.fromkeys(truth, 0)
    for _ in range(400):
        v, d, n = _tense_days(rng, 50)
        cis = {
            "mean": ratio_interval(v, d, 50, "log"),
            "share": ratio_interval((v <= 30).astype(float), d, 50, "logit"),
            "per_day": day_mean_interval(n),
        }
        for k, (lo, hi) in cis.items():
            hits[k] += lo <= truth[k] <= hi
    assert all(0.92 <= h / 400 <= 0.98 for h in hits.values()), hits


def test_ratio_intervals_stay_in_range_and_handle_edges():
    v, d = _data()
    share = ratio_interval((v <= 1.0).astype(float), d, 30, "logit")
    assert 0.0 <= share[0] <= (v <= 1.0).mean() <= share[1] <= 1.0
    lo, hi = ratio_interval(v + 1.0, d, 30, "log")
    assert 0.0 < lo <= (v + 1.0).mean() <= hi
    # every incident within target: Clopper-Pearson over the incidents, the estimate inside
    ones = np.ones(v.size)
    assert ratio_interval(ones, d, 30, "logit") == [pytest.approx(0.025 ** (1 / v.size)), 1.0]
    assert ratio_interval(ones * 0, d, 30, "logit")[0] == 0.0
    assert ratio_interval(np.zeros(5), np.arange(5), 5, "log") == [0.0, 0.0]
    assert ratio_interval(v[:0], d[:0], 30, "log") is None
    lower = ratio_interval((v <= 1.0).astype(float), d, 30, "logit", side="lower")
    assert lower[1] is None
    assert share[0] <= lower[0] <= (v <= 1.0).mean()  # one-sided: nearer the estimate


def test_identical_days_do_not_collapse_and_day_numbers_are_checked():
    # five days that look exactly alike show no spread over days; the interval then uses the
    # spread of independent incidents instead of collapsing onto the estimate
    d = np.repeat(np.arange(5), 2)
    v = np.tile([1.0, 10.0], 5)
    assert quantile_interval(v, d, 5, 0.5) == [1.0, 10.0]
    lo, hi = ratio_interval((v <= 1.0).astype(float), d, 5, "logit")
    assert lo < 0.5 < hi
    lo, hi = day_mean_interval(np.full(10, 5.0))
    assert lo < 5.0 < hi
    with pytest.raises(ValueError, match=r"day numbers must lie in 0\.\.2"):
        quantile_interval(v, d, 3, 0.5)
