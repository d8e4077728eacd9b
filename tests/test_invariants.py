"""Property tests: whatever the micro-scenario, the state machine's invariants hold.

Travel, mobilisation, reporting delay and on-scene time are each drawn as exactly zero or
positive, so zero-length phases meet long ones; fleets mix capabilities, and both doctrines
run. The queue and the units are checked after every single event.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micro import dispatch_spec, micro_scenario
from pilkadasim.core.distributions import Deterministic, Exponential, Uniform
from pilkadasim.core.model import DayModel
from pilkadasim.core.scenario import Escalation
from pilkadasim.core.units import DISPATCHED, ON_SCENE, TRAVELLING

HOURS = 24.0


def zero_or(dist):
    return st.one_of(st.just(Deterministic(0.0)), dist)


@st.composite
def scenarios(draw):
    units = draw(st.integers(1, 4))
    sc = micro_scenario(
        n_tps=draw(st.integers(1, 4)),
        units=units,
        rate_per_hour=draw(st.floats(0.1, 6.0)),
        travel_min=draw(st.one_of(st.just(0.0), st.floats(0.1, 20.0))),
        mobilisation=draw(st.one_of(st.just(0.0), st.floats(0.1, 10.0))),
        hours=HOURS,
        severity=(0.5, 0.25, 0.25),
        reporting=draw(zero_or(st.just(Uniform(0, 5)))),
        handling=draw(zero_or(st.sampled_from([Exponential(30.0), Deterministic(15.0)]))),
        units_needed=(1, draw(st.integers(1, 2)), draw(st.integers(1, 3))),
        escalation=Escalation(draw(st.booleans()), 10.0, 0.5),
        dispatch=dispatch_spec(
            policy=draw(st.sampled_from(["nearest", "reserve_cutoff", "fixed_preference"])),
            reserve_k=1,
            doctrine=draw(st.sampled_from(["first_responder", "capable_only"])),
            capability_wait_min=draw(st.sampled_from([0.0, 30.0])),
        ),
    )
    caps = draw(st.lists(st.integers(1, 3), min_size=units, max_size=units))
    return replace(
        sc, units=tuple(replace(u, capability=c) for u, c in zip(sc.units, caps, strict=True))
    )


def check_state(model: DayModel) -> None:
    """After every event: the queue holds only calls that still need units, every call that
    needs units is queued, and each unit is committed to exactly the call it is busy with."""
    first_any = model.first_any
    waiting = model.queue.waiting()
    for call in waiting:
        assert call.outstanding(first_any) > 0, f"call {call.index} queued but needs no unit"
    queued = {c.index for c in waiting}
    for call in model.calls:
        if not math.isnan(call.reported_at) and call.first_guard < 0:
            needs = call.outstanding(first_any) > 0
            assert needs == (call.index in queued), f"call {call.index}: needs={needs}"
    fleet = model.fleet
    for u in range(fleet.n):
        busy = fleet.status[u] in (DISPATCHED, TRAVELLING, ON_SCENE)
        assert busy == (model.job[u] >= 0), f"unit {u} status vs job"
        if busy:
            call = model.calls[model.job[u]]
            assert u in call.units
            if fleet.status[u] == ON_SCENE:
                assert fleet.scene_node[u] == model.n_bases + call.site
                assert not call.done


def run_checked(sc, seed):
    model = DayModel(sc, 0, seed)
    model.start()
    env, end = model.env, sc.timeline.end_at
    while env.peek() < end:
        env.step()
        check_state(model)
    return model, model.finish()


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(sc=scenarios(), seed=st.integers(0, 2**32 - 1))
def test_invariants_hold_at_every_event(sc, seed):
    model, rec = run_checked(sc, seed)
    inc = {k: np.asarray(v, dtype=float) for k, v in rec.incidents.items() if k.endswith("_at")}
    served = ~np.isnan(inc["arrived_at"])
    o, r, d, a, cap, c = (
        inc[k][served]
        for k in (
            "occurred_at",
            "reported_at",
            "dispatched_at",
            "arrived_at",
            "capable_at",
            "cleared_at",
        )
    )
    assert (o <= r).all()
    assert (r <= d).all()
    assert (d <= a).all()
    assert (a[~np.isnan(cap)] <= cap[~np.isnan(cap)]).all()
    assert (a[~np.isnan(c)] <= c[~np.isnan(c)]).all()
    # every incident reached well before the horizon is cleared: from at most the capability
    # wait after the first arrival on, the work runs at full pace (severity factors are 1)
    end = sc.timeline.end_at
    for call in model.calls:
        if math.isnan(call.arrived_at):
            continue
        slowest = call.arrived_at + sc.dispatch.capability_wait_min + call.handling_min
        if slowest < end - 1e-6:
            assert call.done, f"call {call.index} reached at {call.arrived_at} never cleared"
    # no unit in two places: its legs (dispatch → clearance) never overlap
    trips = rec.trips
    for unit in set(trips["unit"]):
        legs = sorted(
            (s, e)
            for u, s, e in zip(
                trips["unit"], trips["dispatched_at"], trips["cleared_at"], strict=True
            )
            if u == unit
        )
        for (s1, e1), (s2, _e2) in itertools.pairwise(legs):
            assert s1 <= e1 <= s2, f"unit {unit} double-booked: {legs}"
    busy = np.asarray(rec.units["busy_min"])
    assert (busy >= 0).all()
    assert (np.asarray(rec.units["utilization"]) <= 1 + 1e-9).all()
