"""Exact traces of micro-scenarios: one TPS, one base, deterministic times.

Every number is worked out by hand in the test's docstring; if the engine's event order or
arithmetic changes, these fail with the exact difference.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from micro import dispatch_spec, fixed_log, micro_scenario
from pilkadasim.core.distributions import Deterministic
from pilkadasim.core.model import DayModel, run_replication
from pilkadasim.core.scenario import Escalation


def rows(records):
    inc = records.incidents
    keys = ("occurred_at", "reported_at", "dispatched_at", "arrived_at", "cleared_at")
    return [tuple(inc[k][i] for k in keys) for i in range(len(inc["occurred_at"]))]


def test_single_incident_exact_times():
    """Occurs 10, reported +2 = 12, mobilise 3 and drive 7 → on scene 22, 20 min → 42."""
    sc = micro_scenario(travel_min=7.0, mobilisation=3.0)
    rec = run_replication(sc, 0, 1, log=fixed_log([10.0], delay=[2.0], handling=[20.0]))
    assert rows(rec) == [(10.0, 12.0, 12.0, 22.0, 42.0)]
    assert rec.incidents["handled_by"] == [1]  # reserve
    assert rec.units["dispatches"] == [1]
    assert rec.units["busy_min"] == [30.0]  # 12 → 42


def test_second_incident_waits_for_the_only_unit():
    """Unit busy 10→35 (drive 5, 20 on scene); the call at 15 waits, is taken straight from
    the first scene at 35 (no mobilisation): drive 5 → 40, clears at 60."""
    sc = micro_scenario(n_tps=2, travel_min=5.0, mobilisation=0.0)
    rec = run_replication(sc, 0, 1, log=fixed_log([10.0, 15.0], sites=[0, 1]))
    assert rows(rec) == [(10.0, 10.0, 10.0, 15.0, 35.0), (15.0, 15.0, 35.0, 40.0, 60.0)]


def test_queue_serves_higher_severity_first():
    """Two calls queue behind the unit; the later, more severe one goes first."""
    sc = micro_scenario(n_tps=1, travel_min=0.0)
    log = fixed_log([0.0, 1.0, 2.0], severity=[1, 1, 2], handling=[10.0, 10.0, 10.0])
    rec = run_replication(sc, 0, 1, log=log)
    assert rec.incidents["arrived_at"] == [0.0, 20.0, 10.0]


def test_redispatch_while_returning_uses_partial_position():
    """Return trip home takes 10 min (10→20 after clearing at 10). At 15 the unit is half-way:
    time to the other TPS is 0.5×(scene→TPS1=10) + 0.5×(base→TPS1=10) = 10 → arrives 25."""
    sc = micro_scenario(n_tps=2, travel_min=10.0)
    log = fixed_log([-10.0 + 10.0, 15.0], sites=[0, 1], handling=[0.0, 5.0])
    rec = run_replication(sc, 0, 1, log=log)
    first, second = rows(rec)
    assert first == (0.0, 0.0, 0.0, 10.0, 10.0)
    assert second == (15.0, 15.0, 15.0, 25.0, 30.0)


def test_multi_unit_incident_waits_for_all_units_then_clears():
    """capable_only: severity 3 needs 2 units: one at 0 min, the other mobilises 0 and drives
    0 too, but the second unit is busy until 30; handling starts when both are there."""
    sc = micro_scenario(
        n_tps=1,
        units=2,
        travel_min=0.0,
        units_needed=(1, 1, 2),
        dispatch=dispatch_spec(doctrine="capable_only"),
    )
    log = fixed_log([0.0, 5.0], severity=[1, 3], handling=[30.0, 10.0])
    rec = run_replication(sc, 0, 1, log=log)
    # call 1 takes unit 0 until 30; call 2 at 5 takes unit 1 at once (first arrival 5) and
    # unit 0 at 30, so handling runs 30→40
    assert rows(rec)[1] == (5.0, 5.0, 5.0, 5.0, 40.0)
    assert rec.incidents["units_sent"] == [1, 2]


def test_escalation_raises_severity_of_unreached_call():
    """The only unit is busy until 100; the waiting call escalates at 30 + 30 = 60."""
    sc = micro_scenario(
        n_tps=1, travel_min=0.0, escalation=Escalation(True, threshold_min=30.0, probability=0.5)
    )
    log = fixed_log([0.0, 30.0], handling=[100.0, 10.0], escalation=[0.9, 0.1])
    rec = run_replication(sc, 0, 1, log=log)
    assert rec.incidents["severity"] == [1, 2]
    assert rec.incidents["escalated"] == [False, True]


def test_unreached_calls_are_unserved_at_the_horizon():
    sc = micro_scenario(hours=1.0, travel_min=0.0)
    rec = run_replication(sc, 0, 1, log=fixed_log([0.0, 1.0], handling=[500.0, 1.0]))
    assert rec.incidents["handled_by"] == [1, 3]
    assert math.isnan(rec.incidents["arrived_at"][1])


def test_illegal_transition_is_caught():
    sc = micro_scenario()
    model = DayModel(sc, 0, 1, log=fixed_log([]))
    from pilkadasim.core.units import UnitStatus

    with pytest.raises(AssertionError, match="illegal transition IDLE -> ON_SCENE"):
        model.fleet.move(0, UnitStatus.ON_SCENE)


def test_no_unit_capable_means_the_most_capable_goes():
    sc = micro_scenario(capability=2, travel_min=1.0)
    rec = run_replication(sc, 0, 1, log=fixed_log([0.0], severity=[3]))
    assert rec.incidents["arrived_at"] == [1.0]


def test_reporting_delay_distribution_is_applied():
    """The reporting delay is drawn from the configured distribution (the log is generated,
    not given): Uniform(2, 10), mean 6, sd 8/√12 = 2.31. One TPS at 2 incidents an hour for
    100 hours, travel 0 and no mobilisation, so each call is reported ``delay`` after it
    occurs and a unit is dispatched at once (8 units, 1-minute jobs: never a queue). The mean
    of ~200 delays lies within the 99.99 % normal interval of 6 (±0.63 at n = 200); every
    delay within [2, 10]; the response (on scene − occurred) is the delay exactly. Sampling
    a fixed 4 (the old test's value), 0, or any other distribution's mean fails."""
    from scipy import stats

    from pilkadasim.core.distributions import Uniform

    sc = micro_scenario(
        reporting=Uniform(2.0, 10.0),
        travel_min=0.0,
        units=8,
        rate_per_hour=2.0,
        hours=100.0,
        handling=Deterministic(1.0),
    )
    inc = run_replication(sc, 0, 5).incidents
    occurred, reported = np.array(inc["occurred_at"]), np.array(inc["reported_at"])
    delay = reported - occurred
    assert len(delay) > 150
    z = stats.norm.ppf(1 - 0.0001 / 2)
    assert abs(delay.mean() - 6.0) < z * (8.0 / np.sqrt(12.0)) / np.sqrt(len(delay))
    assert delay.min() >= 2.0
    assert delay.max() <= 10.0
    assert delay.std() > 1.5  # spread like the uniform (sd 2.31), not a constant
    np.testing.assert_allclose(np.array(inc["arrived_at"]) - occurred, delay, atol=1e-9)
