"""Exact traces, worked by hand, of the response doctrine, zero-length phases and guards.

Micro scenarios: steady timeline, severity factors 1, every number in the docstrings.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from micro import dispatch_spec, fixed_log, micro_scenario
from pilkadasim.core.day import DayTimeline
from pilkadasim.core.guards import GuardPool
from pilkadasim.core.model import DayModel, run_replication
from pilkadasim.core.scenario import GuardSpec, UnitSpec, frozen_array


def times(rec, key):
    return rec.incidents[key]


# ----------------------------------------------------------------------------- zero phases
def test_zero_length_phases_mixed_with_long_ones():
    """One unit, travel 0. Call 0 (t=0, 10 min) holds the unit 0→10; calls 1 (t=1, 0 min)
    and 2 (t=2, 5 min) queue. At 10 the unit takes call 1: dispatch, drive, arrive and clear
    all at 10 (each a scheduled event), then call 2: on scene 10, cleared 15. This crashed
    with `list.remove(x): x not in list` when zero delays ran re-entrantly."""
    sc = micro_scenario(travel_min=0.0)
    rec = run_replication(sc, 0, 1, log=fixed_log([0, 1, 2], handling=[10, 0, 5]))
    assert times(rec, "dispatched_at") == [0.0, 10.0, 10.0]
    assert times(rec, "arrived_at") == [0.0, 10.0, 10.0]
    assert times(rec, "cleared_at") == [10.0, 10.0, 15.0]
    assert rec.trips["cleared_at"] == [10.0, 10.0, 15.0]
    assert rec.units["dispatches"] == [3]


def test_many_zero_calls_at_one_instant_are_served_in_order():
    """Three zero-length calls at t=5, one unit, nothing takes time: all done at 5, in
    report order, each by its own dispatch (no call served twice, none skipped)."""
    sc = micro_scenario(travel_min=0.0)
    rec = run_replication(sc, 0, 1, log=fixed_log([5, 5, 5], handling=[0, 0, 0]))
    assert times(rec, "cleared_at") == [5.0, 5.0, 5.0]
    assert rec.trips["incident_id"] == [0, 1, 2]
    assert rec.incidents["units_sent"] == [1, 1, 1]


# ----------------------------------------------------------------------------- capability
def mixed_fleet(doctrine: str = "first_responder", wait: float = 30.0, needed=(1, 1, 1)):
    """U0 a Sabhara team (capability 2) at B0, 5 min from T0; U1 a Dalmas section
    (capability 3) at B1, 20 min away; no mobilisation."""
    sc = micro_scenario(
        n_bases=2,
        units=2,
        unit_base=[0, 1],
        minutes=[[5.0], [20.0], [0.0]],
        units_needed=needed,
        dispatch=dispatch_spec(doctrine=doctrine, capability_wait_min=wait),
    )
    units = (
        UnitSpec("sabhara", 0, "sabhara", 4, 2, 0.0, 1.0, 0, True),
        UnitSpec("dalmas", 1, "dalmas", 15, 3, 0.0, 1.0, 0, True),
    )
    return replace(sc, units=units)


def test_first_responder_then_capable_backup():
    """Severity 3, 30 min of work. The nearest unit (Sabhara, 5 min) goes first, the Dalmas
    at once as backup (20 min). The Sabhara works at 2/3 pace 5→20 (10 min of work done);
    with the Dalmas there the remaining 20 run at full pace: cleared at 40."""
    rec = run_replication(mixed_fleet(), 0, 1, log=fixed_log([0.0], severity=[3], handling=[30]))
    assert rec.incidents["first_unit"] == [0]
    assert times(rec, "arrived_at") == [5.0]
    assert times(rec, "capable_at") == [20.0]
    assert times(rec, "cleared_at") == [pytest.approx(40.0)]
    assert rec.incidents["units_sent"] == [2]
    assert rec.incidents["proceeded_without_capability"] == [False]


def test_capable_only_waits_for_the_capable_unit():
    """The old rule: only the Dalmas goes; on scene at 20, 30 min of work → cleared 50."""
    sc = mixed_fleet("capable_only")
    rec = run_replication(sc, 0, 1, log=fixed_log([0.0], severity=[3], handling=[30]))
    assert rec.incidents["first_unit"] == [1]
    assert times(rec, "arrived_at") == [20.0]
    assert times(rec, "cleared_at") == [50.0]


def test_capability_nobody_has_enough_of_first_responder():
    """Severity 3 needs 2 capable units; the fleet has one (the Dalmas). The Sabhara is on
    scene at 5 (effort 2/3 of one of the 2 → pace 1/3), the Dalmas at 20 (pace (1+2/3)/2 =
    5/6). Work 30: 5 done by 20; at 35 (30 min after the first arrival) the command post
    stops waiting: 12.5 more done, the last 12.5 at full pace → cleared at 47.5."""
    sc = mixed_fleet(needed=(1, 1, 2))
    rec = run_replication(sc, 0, 1, log=fixed_log([0.0], severity=[3], handling=[30]))
    assert rec.incidents["proceeded_without_capability"] == [True]
    assert math.isnan(times(rec, "capable_at")[0])
    assert times(rec, "cleared_at") == [pytest.approx(47.5)]


def test_capability_nobody_has_enough_of_capable_only():
    """capable_only, same call: the Dalmas alone on scene at 20 waits for a second capable
    unit that does not exist; at 50 (20 + 30) it proceeds at full pace → cleared 80. Before
    the wait existed it stood there for the rest of the day."""
    sc = mixed_fleet("capable_only", needed=(1, 1, 2))
    rec = run_replication(sc, 0, 1, log=fixed_log([0.0], severity=[3], handling=[30]))
    assert rec.incidents["proceeded_without_capability"] == [True]
    assert times(rec, "cleared_at") == [80.0]
    assert rec.units["busy_min"] == [0.0, 80.0]


def test_backup_still_on_its_way_when_the_scene_clears_is_freed_on_arrival():
    """Severity 3, 6 min of work: the Sabhara (5→) finishes alone at 2/3 pace by 14; the
    Dalmas arrives at 20 to a cleared scene and is free at once (its leg ends at 20)."""
    rec = run_replication(mixed_fleet(), 0, 1, log=fixed_log([0.0], severity=[3], handling=[6]))
    assert times(rec, "cleared_at") == [pytest.approx(14.0)]
    assert sorted(zip(rec.trips["unit"], rec.trips["cleared_at"], strict=True)) == [
        (0, pytest.approx(14.0)),
        (1, 20.0),
    ]


def test_no_unit_is_sent_to_a_call_that_needs_none():
    """Two severity-1 calls at 0 and 1, both units free: each gets exactly one unit."""
    rec = run_replication(mixed_fleet(), 0, 1, log=fixed_log([0.0, 1.0]))
    assert rec.incidents["units_sent"] == [1, 1]
    assert rec.incidents["first_unit"] == [0, 1]


# ----------------------------------------------------------------------------- guards
def guard_scenario(posts, groups, max_travel=math.inf):
    """TPS T0, T1, T2 of one group; 4 min between any two TPS; guards at ``posts``."""
    minutes = np.full((4, 3), 4.0)
    minutes[1 + np.arange(3), np.arange(3)] = 0.0
    sc = micro_scenario(
        n_tps=3, minutes=minutes, dispatch=dispatch_spec(guard_max_travel_min=max_travel)
    )
    guards = GuardSpec(
        frozen_array(groups, np.int64),
        frozen_array([0] * len(posts), np.int64),
        frozen_array(posts, np.int64),
    )
    return replace(sc, guards=guards)


def day(count_end, arrival):
    n = len(count_end)
    return DayTimeline(
        np.zeros((n, 6, 2)), np.array(count_end, float), np.array(arrival, float), False
    )


def test_two_boxes_for_one_guard_do_not_overlap():
    """One guard, boxes of T0 (count ends 100, at the PPK 130: away 100→160) and T1 (ends
    120): the guard is still out, so T1's box waits and goes 160→220 (2 × 30)."""
    pool = GuardPool(guard_scenario([0], [0, 0, -1]), day([100, 120, 0], [130, 150, 0]))
    pool.plan_all()
    assert pool.windows[0] == [(100.0, 160.0), (160.0, 220.0)]
    assert pool.escort_of[:2] == [0, 0]


def test_second_box_goes_with_another_free_guard():
    """Guards g0 (T0) and g1 (T1); T0→g0, T1→g1, T2→g0 by the plan. g0 is out 100→160,
    g1 100→120; T2's count ends 130: g0 is away, so g1 takes it (130→150)."""
    pool = GuardPool(guard_scenario([0, 1], [0, 0, 0]), day([100, 100, 130], [130, 110, 140]))
    pool.plan_all()
    assert pool.escort_of == [0, 1, 1]
    assert pool.windows[1] == [(100.0, 120.0), (130.0, 150.0)]


def test_guard_on_escort_does_not_respond():
    """The only guard escorts 100→160. An incident at T1 at 110 finds no guard; at 50 a
    job that ends back at the post by 100 (report 50+2, walk 4, 40 on scene, walk 4) is
    taken, one that would end at 105 is not. Trouble at the box on its way (T0 at 120) is
    handled by its escort at once."""
    sc = guard_scenario([0], [0, 0, -1])
    d = day([100, 300, 0], [130, 330, 0])
    assert GuardPool(sc, d).take(1, 110.0, 1.0, 2.0, 10.0, on_escort=False) is None
    assert GuardPool(sc, d).take(1, 50.0, 1.0, 2.0, 40.0, on_escort=False) == (
        0,
        52.0,
        56.0,
        96.0,
    )
    assert GuardPool(sc, d).take(1, 50.0, 1.0, 2.0, 45.0, on_escort=False) is None
    assert GuardPool(sc, d).take(0, 120.0, 1.0, 2.0, 10.0, on_escort=True) == (
        0,
        120.0,
        120.0,
        130.0,
    )


def test_guard_too_far_leaves_the_call_to_the_reserve():
    """The guard's post is 4 min from T1. With a 3-min limit the reserve unit goes (travel
    4 min from its base, no mobilisation: reported 0 → on scene 4); with 5 min the guard,
    told after the reporting delay of 0, walks over: on scene at 4 as well, as a guard."""
    log = fixed_log([0.0], sites=[1])
    far = run_replication(guard_scenario([0], [0, 0, -1], max_travel=3.0), 0, 1, log=log)
    assert far.incidents["handled_by"] == [1]  # reserve
    near = run_replication(guard_scenario([0], [0, 0, -1], max_travel=5.0), 0, 1, log=log)
    assert near.incidents["handled_by"] == [0]  # guard
    assert near.incidents["first_guard"] == [0]


def test_guard_plan_runs_in_the_model():
    """Steady days have no escorts; a model with guards builds and runs."""
    model = DayModel(guard_scenario([0, 1], [0, 0, 0]), 0, 1, log=fixed_log([1.0, 2.0]))
    rec = model.run()
    assert rec.incidents["handled_by"] == [0, 0]


def test_a_zero_delay_is_a_scheduled_event_not_a_call():
    model = DayModel(micro_scenario(), 0, 1, log=fixed_log([]))
    ran: list[int] = []
    model.after(0.0, lambda: ran.append(1))
    assert ran == []  # not run inside the caller
    model.env.step()
    assert ran == [1]


def test_a_long_burst_of_zero_length_calls_does_not_recurse():
    """2,000 zero-length calls at one instant, one unit, nothing takes time: run
    re-entrantly, each call nests the next (free → send → drive → arrive → clear → free)
    and the stack overflows; as events, all are cleared at 1 in order."""
    n = 2000
    sc = micro_scenario(travel_min=0.0)
    rec = run_replication(sc, 0, 1, log=fixed_log([1.0] * n, handling=[0.0] * n))
    assert rec.incidents["cleared_at"] == [1.0] * n
    assert rec.trips["incident_id"] == list(range(n))


def test_doctrines_agree_when_every_unit_is_capable_and_one_is_needed():
    """The validation presets' case: the first responder is the nearest capable unit, so both
    doctrines give the same day, event for event."""
    sc = micro_scenario(n_tps=3, units=3, rate_per_hour=4.0, travel_min=6.0, mobilisation=2.0)
    a = run_replication(sc, 0, 11)
    b = run_replication(replace(sc, dispatch=dispatch_spec(doctrine="capable_only")), 0, 11)
    assert len(a.incidents["cleared_at"]) > 30
    assert a.incidents == b.incidents
    assert a.trips == b.trips
