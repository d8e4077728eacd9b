"""Closed forms against published numbers (Larson & Odoni ch. 5; Erlang tables)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pilkadasim.analysis import theory

LARSON_LAM = [0.50, 0.25, 0.35, 0.40]  # grouped: 1→2→3, 1→3→2, 2→1→3, 3→1→2
LARSON_PREF = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [2, 0, 1]]


def test_erlang_b_and_c_textbook():
    assert theory.erlang_b(3, 1.5) == pytest.approx(0.134328, abs=1e-6)
    assert theory.erlang_c(3, 1.5) == pytest.approx(9 / 38, rel=1e-12)
    assert theory.erlang_b(1, 1.0) == pytest.approx(0.5)
    assert theory.erlang_c(1, 0.5) == pytest.approx(0.5)  # M/M/1: P(wait) = ρ


def test_erlang_c_rejects_unstable():
    with pytest.raises(ValueError, match="unstable"):
        theory.erlang_c(2, 2.0)


def test_mmc_mean_wait_and_tail():
    # M/M/1, λ = 0.5, μ = 1: Wq = ρ/(μ − λ) = 1, P(W > t) = ρ e^{-(μ-λ)t}
    assert theory.mmc_mean_wait(1, 0.5, 1.0) == pytest.approx(1.0)
    assert theory.mmc_wait_tail(1, 0.5, 1.0, 2.0) == pytest.approx(0.5 * math.exp(-1.0))
    assert theory.mmc_wait_tail(3, 1.5, 1.0, 0.0) == pytest.approx(9 / 38)


def test_cobham_conserves_work():
    """Kleinrock's conservation law: the λ-weighted mean wait equals FIFO's."""
    waits = theory.cobham_waits(3, [0.5, 1.0], 1.0)
    assert (0.5 * waits[0] + 1.0 * waits[1]) / 1.5 == pytest.approx(
        theory.mmc_mean_wait(3, 1.5, 1.0)
    )
    assert waits[0] < theory.mmc_mean_wait(3, 1.5, 1.0) < waits[1]


def test_hypercube_larson_odoni_example():
    cube = theory.hypercube(LARSON_LAM, LARSON_PREF, 3, 1.0, infinite_line=True)
    np.testing.assert_allclose(cube.workload, [0.5574, 0.4734, 0.4693], atol=1e-4)
    assert cube.p_all_busy == pytest.approx(0.23684, abs=1e-5)
    assert cube.dispatch_fraction.sum() == pytest.approx(1.0)


def test_hypercube_zero_line_is_erlang_b():
    cube = theory.hypercube(LARSON_LAM, LARSON_PREF, 3, 1.0, infinite_line=False)
    assert cube.p_all_busy == pytest.approx(theory.erlang_b(3, 1.5))
    # carried load equals total workload
    assert cube.workload.sum() == pytest.approx(1.5 * (1 - theory.erlang_b(3, 1.5)))


def test_hypercube_symmetric_units_share_equally():
    cube = theory.hypercube([0.5, 0.5], [[0, 1], [1, 0]], 2, 1.0)
    assert cube.workload[0] == pytest.approx(cube.workload[1])
    assert cube.workload.sum() == pytest.approx(1.0)  # λ/μ busy units on average


def test_hypercube_mean_travel():
    travel = np.array([[1.0, 5.0], [5.0, 1.0]])
    cube = theory.hypercube([0.1, 0.1], [[0, 1], [1, 0]], 2, 1.0, travel=travel)
    assert cube.mean_travel[0] == pytest.approx(cube.mean_travel[1])
    assert 1.0 < cube.mean_travel[0] < 1.5  # mostly the near unit


def test_mt_m_inf_mean_busy():
    # constant rate: m(t) = λ/μ (1 − e^{-μt})
    assert theory.mt_m_inf_mean_busy(2.0, [0.0], [3.0], 1.0) == pytest.approx(
        3 * (1 - math.exp(-2))
    )
    # step 3 → 9 at 12: at 13 h, 3e^{-1}(1 − e^{-12}) + 9(1 − e^{-1})
    expected = 3 * (math.exp(-1) - math.exp(-13)) + 9 * (1 - math.exp(-1))
    assert theory.mt_m_inf_mean_busy(13.0, [0.0, 12.0], [3.0, 9.0], 1.0) == pytest.approx(expected)


def test_little():
    assert theory.little_l(2.0, 3.0) == 6.0
