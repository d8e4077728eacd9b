"""Distributions know their moments; samples agree with them (seeded, 6-sigma bounds)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pilkadasim.core.distributions import Deterministic, Exponential, LogNormal, Uniform

CASES = [
    Deterministic(5.0),
    Exponential(20.0),
    Uniform(2.0, 8.0),
    LogNormal(180.0, 0.42),
    LogNormal.from_mean_cv(30.0, 0.7),
]


@pytest.mark.parametrize("dist", CASES, ids=repr)
def test_sample_mean_matches_declared_mean(dist):
    n = 200_000
    x = dist.sample(np.random.default_rng(7), n)
    se = math.sqrt(dist.variance / n)
    assert abs(x.mean() - dist.mean) <= 6 * se + 1e-12


def test_lognormal_from_median_p95():
    d = LogNormal.from_median_p95(180.0, 360.0)
    x = d.sample(np.random.default_rng(1), 400_000)
    assert np.quantile(x, 0.5) == pytest.approx(180.0, rel=0.01)
    assert np.quantile(x, 0.95) == pytest.approx(360.0, rel=0.01)


def test_from_mean_cv_round_trip():
    d = LogNormal.from_mean_cv(30.0, 0.7)
    assert d.mean == pytest.approx(30.0)
    assert math.sqrt(d.variance) / d.mean == pytest.approx(0.7)


@pytest.mark.parametrize(
    "make",
    [
        lambda: Exponential(0.0),
        lambda: Uniform(5, 1),
        lambda: LogNormal(-1, 0.5),
        lambda: Deterministic(-2.0),
    ],
)
def test_bad_parameters_are_rejected(make):
    with pytest.raises(ValueError, match=r"must|need"):
        make()
