"""Statistical validation against queueing theory (docs/validation.md), seeded and deterministic.

Each check compares a theoretical value with the mean of per-replication estimates and passes
when the theory lies inside the 99% Student-t interval across replications. Assumptions of
each check are in its docstring in ``pilkadasim.validate`` and in docs/validation.md.
"""

from __future__ import annotations

import pytest

from pilkadasim import validate as V

SEED = 7
pytestmark = pytest.mark.slow


def assert_all(checks):
    bad = [c.row() for c in checks if not c.passed]
    assert not bad, f"failed checks: {bad}"


def test_mmc_erlang_c_tail_and_mean(tmp_path):
    assert_all(V.mmc_checks(tmp_path, SEED, reps=10))


def test_priority_against_cobham(tmp_path):
    assert_all(V.cobham_checks(tmp_path, SEED, reps=10))


def test_hypercube_larson_example(tmp_path):
    assert_all(V.hypercube_checks(tmp_path, SEED, reps=8))


def test_hypercube_random_spatial_matrix(tmp_path):
    assert_all(
        V.hypercube_checks(
            tmp_path,
            SEED,
            reps=8,
            atoms=V.random_spatial_atoms(SEED),
            label="Hypercube (random 8×4)",
        )
    )


def test_time_varying_infinite_server(tmp_path):
    assert_all(V.mt_infinite_checks(tmp_path, SEED, reps=100))


def test_littles_law_on_bangka():
    assert_all(V.little_checks(SEED, reps=10))


def test_more_reserve_never_worse():
    assert_all(V.monotone_checks(SEED, reps=40))


def test_ci_coverage(tmp_path):
    assert_all(V.coverage_checks(tmp_path, seeds=40))


def test_validate_command_exit_code(monkeypatch):
    failing = V.Check("x", "y", 1.0, 2.0, (1.5, 2.5), False)
    monkeypatch.setattr(V, "run_all", lambda quick, seed: [failing])
    assert V.main(["--quick"]) == 1
    monkeypatch.setattr(
        V, "run_all", lambda quick, seed: [failing.__class__("x", "y", 1.0, 1.0, (0.5, 1.5), True)]
    )
    assert V.main(["--quick"]) == 0
