"""Reserve teams on patrol and crew shifts (core.patrol, core.shifts): hand-worked traces.

Every expected time is worked out by hand in the docstrings; the switch-off tests show that
``standby`` and no shifts leave the engine exactly as it was.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micro import fixed_log, micro_scenario, replace
from pilkadasim.core.model import DayModel, run_replication
from pilkadasim.core.patrol import build_routes
from pilkadasim.core.rosters import PatrolSpec, ShiftSpec
from pilkadasim.core.scenario import frozen_array
from pilkadasim.core.units import Fleet
from test_invariants import run_checked, scenarios

# nodes: base B0, then sites T0, T1, T2; columns: T0, T1, T2
PATROL_MINUTES = [
    [5.0, 25.0, 50.0],  # B0
    [0.0, 20.0, 30.0],  # T0
    [20.0, 0.0, 10.0],  # T1
    [30.0, 10.0, 0.0],  # T2
]


def patrol_scenario(dwell: float = 10.0):
    """T0 and T1 in kecamatan 0 (the base's), T2 in kecamatan 1; latitudes 0, 1, 2."""
    sc = micro_scenario(
        n_tps=3,
        site_kecamatan=[0, 0, 1],
        base_kecamatan=[0],
        minutes=PATROL_MINUTES,
        mobilisation=5.0,
    )
    sites = replace(sc.region.sites, lat=frozen_array([0.0, 1.0, 2.0], float))
    sc = replace(sc, region=replace(sc.region, sites=sites))
    return replace(sc, patrol=PatrolSpec(build_routes(sc, [True]), dwell))


def trips(rec):
    t = rec.trips
    keys = ("dispatched_at", "arrived_at", "cleared_at", "travel_min", "from_lat")
    return [tuple(t[k][i] for k in keys) for i in range(len(t["dispatched_at"]))]


def test_route_rule_nearest_unvisited_in_own_kecamatan():
    """The base is 5 min from T0 and 25 from T1; T2 lies in another kecamatan: route T0, T1."""
    assert patrol_scenario().patrol.routes == ((0, 1),)


def test_routes_split_an_area_into_sectors():
    """Two teams in one kecamatan of four TPS in a row: tour 0,1,2,3 cut into 0,1 and 2,3."""
    pos = np.arange(4.0)
    minutes = np.vstack([np.abs(pos - 0.0)[None, :], np.abs(pos[:, None] - pos[None, :])])
    sc = micro_scenario(n_tps=4, units=2, minutes=minutes)
    assert build_routes(sc, [True, True]) == ((0, 1), (2, 3))
    assert build_routes(sc, [False, True]) == ((), (0, 1, 2, 3))


def test_patrolling_team_is_dispatched_from_mid_route():
    """Cycle (dwell 10, T0→T1 20 min, back 20): at T0 0–10, driving to T1 10–30, at T1
    30–40, driving back 40–60. A call at T2 at 20: the team is half-way T0→T1, so its time to
    T2 is 0.5·30 + 0.5·10 = 20 with no mobilisation → on scene 40 (from its base it would be
    5 + 50 → 75); it left from latitude 0.5. Cleared at 50 (10 min), it rejoins its route at
    the stop nearest to T2 (T1, 10 min) at 60 and dwells there: at 75 it is 15 min into that
    segment, 5 min (a quarter) along T1→T0, so a call at T2 at 75 takes 0.75·10 + 0.25·30 =
    15 → on scene 90, from latitude 0.75."""
    sc = patrol_scenario()
    log = fixed_log([20.0, 75.0], sites=[2, 2], handling=[10.0, 10.0])
    rec = run_replication(sc, 0, 1, log=log)
    assert trips(rec) == [(20.0, 40.0, 50.0, 20.0, 0.5), (75.0, 90.0, 100.0, 15.0, 0.75)]


def test_standby_team_is_dispatched_from_its_base():
    """The same calls without patrol: mobilise 5 + drive 50 → on scene 75, cleared 85; the
    second call (75) waits for the unit and is taken from the scene (T2→T2 0 min) → 85."""
    sc = replace(patrol_scenario(), patrol=PatrolSpec())
    log = fixed_log([20.0, 75.0], sites=[2, 2], handling=[10.0, 10.0])
    rec = run_replication(sc, 0, 1, log=log)
    assert rec.incidents["arrived_at"] == [75.0, 85.0]
    assert rec.trips["from_lat"][0] == 0.0  # the base


SHIFT_MINUTES = [
    [10.0, 10.0],  # B0
    [30.0, 30.0],  # B1
    [0.0, 10.0],  # T0
    [10.0, 0.0],  # T1
]


def test_call_waits_for_the_end_of_a_handover():
    """One unit, shifts of 60 min, handover 20: out of service 60–80. A call at 65 waits;
    at 80 the new crew mounts up (3) and drives 10 → on scene 93."""
    sc = micro_scenario(travel_min=10.0, mobilisation=3.0)
    sc = replace(sc, shifts=ShiftSpec(60.0, 20.0))
    rec = run_replication(sc, 0, 1, log=fixed_log([65.0], handling=[10.0]))
    inc = rec.incidents
    assert (inc["reported_at"], inc["dispatched_at"], inc["arrived_at"]) == ([65.0], [80.0], [93.0])


def test_busy_team_hands_over_after_clearing_and_the_call_goes_to_another():
    """U0 (10 min away) takes a call at T1 at 20: on scene 30, cleared 70 (40 min). At the
    change at 60, idle U1 hands over at once (60–80); U0 hands over when it clears, at the
    scene (70–90). A call at T0 at 85 finds U0 still handing over, so U1 (30 min) goes: on
    scene 115. (Without shifts U0 is home at 80 and arrives at 95.)"""
    sc = micro_scenario(n_tps=2, units=2, n_bases=2, unit_base=[0, 1], minutes=SHIFT_MINUTES)
    sc = replace(sc, shifts=ShiftSpec(60.0, 20.0))
    log = fixed_log([20.0, 85.0], sites=[1, 0], handling=[40.0, 10.0])
    model = DayModel(sc, 0, 1, log=log)
    rec = model.run()
    inc = rec.incidents
    assert inc["arrived_at"] == [30.0, 115.0]
    assert inc["first_unit"] == [0, 1]
    assert model.shifts is not None
    assert model.shifts.log[:3] == [(1, 60.0, 80.0, -1), (0, 70.0, 90.0, 1), (0, 120.0, 140.0, -1)]
    plain = run_replication(replace(sc, shifts=ShiftSpec()), 0, 1, log=log)
    assert plain.incidents["arrived_at"] == [30.0, 95.0]


def test_patrol_stands_still_during_a_handover():
    """Patrol as above, shift 30 min, handover 10: at the change at 30 the team has just
    reached T1 and dwells there 30–40; it hands over 30–40 and then resumes, so at 45 it is
    5 min into its dwell at T1 (not 5 min along T1→T0): a call at T2 takes 10 → on scene 55."""
    sc = replace(patrol_scenario(), shifts=ShiftSpec(30.0, 10.0))
    rec = run_replication(sc, 0, 1, log=fixed_log([45.0], sites=[2], handling=[5.0]))
    assert trips(rec) == [(45.0, 55.0, 60.0, 10.0, 1.0)]


@pytest.fixture(scope="module")
def bangka():
    """The default Bangka scenario (standby, no shifts), ``compose`` and the default config."""
    import pilkadasim
    from pilkadasim.config.builders import to_scenario

    cfg = pilkadasim.compose([])
    return to_scenario(cfg).scenario, pilkadasim.compose, cfg


def days(sc, n=20):
    """Incident rows (first unit, arrival, clearance) of ``n`` days, in order."""
    out = []
    for r in range(n):
        inc = run_replication(sc, r, 2024).incidents
        out += list(zip(inc["first_unit"], inc["arrived_at"], inc["cleared_at"], strict=True))
    return out


def test_switched_off_the_default_scenario_is_unchanged(bangka):
    """standby and no shifts: no patrol routes, no shift clock, the plain fleet."""
    from pilkadasim.config.rosters import with_rosters

    sc, compose, _cfg = bangka
    assert sc.patrol == PatrolSpec()
    assert sc.shifts == ShiftSpec()
    assert with_rosters(compose([]), sc) is sc
    model = DayModel(sc, 0, 1)
    assert type(model.fleet) is Fleet
    assert model.shifts is None


def test_zero_handover_reduces_to_no_shifts(bangka):
    """Crew changes that take no time change nothing: the same incidents at the same times;
    a one-hour handover every 6 hours does change them."""
    from pilkadasim.config.rosters import with_rosters

    sc, compose, _cfg = bangka
    zero = with_rosters(compose(["staffing.shift_hours=6"]), sc)
    assert zero.shifts == ShiftSpec(360.0, 0.0)
    assert days(zero) == days(sc)
    assert days(replace(sc, shifts=ShiftSpec(360.0, 60.0))) != days(sc)


def test_patrol_on_the_bangka_day_changes_where_teams_start(bangka):
    """Patrol mode: Sabhara teams leave from TPS of their own kecamatan, others from bases."""
    from pilkadasim.config.rosters import with_rosters

    sc, compose, _cfg = bangka
    patrol = with_rosters(compose(["staffing.reserve_mode=patrol"]), sc)
    kec = sc.region.sites.kecamatan
    for unit, route in zip(sc.units, patrol.patrol.routes, strict=True):
        assert bool(route) == (unit.kind == "sabhara"), unit.unit_id
        assert all(kec[s] == sc.region.bases.kecamatan[unit.base] for s in route)
    covered = sorted(s for r in patrol.patrol.routes for s in r)
    assert len(covered) == len(set(covered))  # sectors never overlap
    base_lat = sc.region.bases.lat
    from_base = {True: 0, False: 0}
    for r in range(10):
        t = run_replication(patrol, r, 2024).trips
        for u, lat in zip(t["unit"], t["from_lat"], strict=True):
            from_base[sc.units[u].kind == "sabhara"] += lat == base_lat[sc.units[u].base]
    assert from_base[True] == 0
    assert days(patrol, 10) != days(sc, 10)


@pytest.mark.parametrize(
    ("values", "needle"),
    [
        ({"reserve_mode": "roaming"}, "staffing.reserve_mode"),
        ({"patrol": {"dwell_min": 0}}, "staffing.patrol.dwell_min"),
        ({"patrol": {"kinds": ["bus"]}}, r"staffing.patrol.kinds\[0\]"),
        ({"shift_hours": -1}, "staffing.shift_hours"),
        ({"shift_hours": 12, "handover_min": 800}, "staffing.handover_min"),
    ],
)
def test_bad_keys_are_named(bangka, values, needle):
    from omegaconf import OmegaConf

    from pilkadasim.config.checks import validate
    from pilkadasim.errors import InputError

    cfg = copy.deepcopy(bangka[2])
    cfg.staffing = OmegaConf.merge(cfg.staffing, values)
    with pytest.raises(InputError, match=needle):
        validate(cfg)


@settings(max_examples=25, deadline=None)
@given(
    sc=scenarios(),
    seed=st.integers(0, 2**32 - 1),
    shift=st.sampled_from([0.0, 45.0, 120.0]),
    handover=st.sampled_from([0.0, 10.0, 30.0]),
    patrol=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_invariants_hold_with_patrols_and_shifts(sc, seed, shift, handover, patrol):
    """The state-machine invariants of ``test_invariants`` after every event, with random
    patrols and shifts; no unit is sent anywhere while it hands over."""
    routes = build_routes(sc, patrol[: len(sc.units)])
    sc = replace(sc, patrol=PatrolSpec(routes, 7.0), shifts=ShiftSpec(shift, handover))
    model, rec = run_checked(sc, seed)
    windows = model.shifts.log if model.shifts is not None else []
    t = rec.trips
    for unit, frm, until, _site in windows:
        assert until - frm == pytest.approx(handover)
        for u, d in zip(t["unit"], t["dispatched_at"], strict=True):
            assert u != unit or not frm <= d < until, f"unit {u} sent at {d} during handover"


def test_a_change_during_a_handover_does_not_start_a_second_one():
    """One unit 10 min away, shifts of 45 min, handover 30. A call at 20 (handling 90): on
    scene 33 (3 + 10), cleared 123. The change at 45 falls due while it works; it hands over
    at the scene 123–153. The change at 135 falls inside that handover: the crew coming on
    meets it, so at 153 the unit takes the queued call (reported at 140) from the scene (10 min
    in this matrix: on scene 163) and does not hand over again; the next handover is at 180.
    (Found by the property test below: before, the unit took the call at 153 and began a second
    handover the same instant.)"""
    sc = micro_scenario(travel_min=10.0, mobilisation=3.0)
    sc = replace(sc, shifts=ShiftSpec(45.0, 30.0))
    model = DayModel(sc, 0, 1, log=fixed_log([20.0, 140.0], handling=[90.0, 5.0]))
    rec = model.run()
    assert rec.incidents["dispatched_at"] == [20.0, 153.0]
    assert rec.incidents["arrived_at"] == [33.0, 163.0]
    assert model.shifts is not None
    assert [w[1:3] for w in model.shifts.log[:2]] == [(123.0, 153.0), (180.0, 210.0)]
