"""Guards and ballot-box escorts through the whole model on an election day, worked by hand.

``micro.election_scenario``: T0 and T1 form one guard group with ONE guard, posted at T0;
B0 holds one reserve unit (B0 → T0 10 min, → T1 20 min, no mobilisation); T0 ↔ T1 6 min;
T0 → PPK 15, T1 → PPK 25 (box factor 2). Nobody opens late: close 780 + 10 = 790, count 240
→ 1030 at both TPS; T0's box at the PPK 1030 + 30 + 20 = 1080, T1's 1030 + 50 + 20 = 1100.

Escort plan (guards.py): T0's box goes with the guard at 1030, away for twice the trip
(2 × 50 = 100) → 1030-1130. T1's box is the guard's too; the guard is out, so it waits at T1
and leaves when the guard is back: 1130 → 1130 + 2 × 70 = 1270.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from micro import election_scenario, fixed_log
from pilkadasim.core.model import DayModel
from pilkadasim.core.records import HandledBy
from pilkadasim.core.scenario import GuardSpec, frozen_array
from pilkadasim.core.timeline import COUNTING, TRANSPORT

GUARD, RESERVE = int(HandledBy.GUARD), int(HandledBy.RESERVE)  # record codes


def one_guard(**kw):
    guards = GuardSpec(
        frozen_array([0, 0], np.int64),  # T0, T1 in group 0
        frozen_array([0], np.int64),  # one guard, of group 0
        frozen_array([0], np.int64),  # posted at T0
    )
    return election_scenario(guards=guards, box_factor=2.0, **kw)


def run(sc, log):
    model = DayModel(sc, 0, 1, log=log)
    rec = model.run()
    return model, rec.incidents


def test_escort_plan_of_one_guard_with_two_boxes():
    model, _ = run(one_guard(), fixed_log([]))
    pool = model.guards
    pool.plan_all()
    assert pool.windows[0] == [(1030.0, 1130.0), (1130.0, 1270.0)]
    assert pool.escort_of == [0, 0]
    assert pool.box_start == [1030.0, 1130.0]


def test_who_handles_what_around_the_escorts():
    """Severity 1, reporting delay 2 each.

    0. T1 at 900, 20 min on scene: the guard is told at 902, walks 6 → there 908, clear 928,
       back at T0 by 934, before the escort at 1030: the guard's.
    1. The same at 1000: back by 1034 would run into the escort (1030): the reserve goes,
       told 1002, 20 min drive → 1022, clear 1042, home by 1062.
    2. T0 at 1040, in T0's transport stage, 15 min: trouble at the box on its way — its escort
       (the guard) handles it at once: 1040 → 1055.
    3. T1 at 1070 (T1's transport stage, but its box still waits at T1 for the guard, and the
       guard is on T0's escort until 1130): the reserve, told 1072, on scene 1092, clear 1102.
    """
    log = fixed_log(
        [900.0, 1000.0, 1040.0, 1070.0],
        sites=[1, 1, 0, 1],
        handling=[20.0, 20.0, 15.0, 10.0],
        delay=[2.0] * 4,
        stage=[COUNTING, COUNTING, TRANSPORT, TRANSPORT],
    )
    _, inc = run(one_guard(), log)
    assert inc["handled_by"] == [GUARD, RESERVE, GUARD, RESERVE]
    assert inc["reported_at"] == [902.0, 1002.0, 1040.0, 1072.0]
    assert inc["arrived_at"] == [908.0, 1022.0, 1040.0, 1092.0]
    assert inc["cleared_at"] == [928.0, 1042.0, 1055.0, 1102.0]
    assert inc["first_guard"] == [0, -1, 0, -1]


def test_guard_walks_at_guard_speed_in_traffic():
    """Guard factor 1.5 and an hour-of-day factor 2 in 15:00-16:00 (900-960): the 6-min walk
    takes 6 × 1.5 × 2 = 18 min. Incident at T1 at 900, told 902, there 920, clear 940 (back
    at T0 by 958, before the escort). At 09:00 (540, factor 1): 9 min → there 551."""
    from dataclasses import replace

    sc = one_guard(guard_factor=1.5)
    hourly = np.ones(24)
    hourly[15] = 2.0
    sc = replace(sc, travel=replace(sc.travel, hourly_factor=frozen_array(hourly, float)))
    log = fixed_log(
        [540.0, 900.0], sites=[1, 1], handling=[20.0, 20.0], delay=[2.0, 2.0], stage=[1, 2]
    )
    _, inc = run(sc, log)
    assert inc["handled_by"] == [GUARD, GUARD]
    assert inc["arrived_at"] == [551.0, 920.0]
    assert inc["cleared_at"] == [571.0, 940.0]


@pytest.mark.parametrize(("limit", "who"), [(5.0, RESERVE), (7.0, GUARD)])
def test_guard_travel_limit(limit, who):
    """The walk T0 → T1 is 6 min: a limit of 5 leaves the call to the reserve (told 902,
    20 min → 922), a limit of 7 lets the guard go (there at 908)."""
    from dataclasses import replace

    sc = one_guard()
    sc = replace(sc, dispatch=replace(sc.dispatch, guard_max_travel_min=limit))
    log = fixed_log([900.0], sites=[1], delay=[2.0], stage=[COUNTING])
    _, inc = run(sc, log)
    assert inc["handled_by"] == [who]
    assert inc["arrived_at"] == [922.0 if who == RESERVE else 908.0]


def test_unguarded_tps_goes_to_the_reserve():
    """Without guards every call is the reserve's: T0 at 900, told 902, 10 min → 912."""
    sc = election_scenario(box_factor=2.0)
    _, inc = run(sc, fixed_log([900.0], sites=[0], delay=[2.0], stage=[COUNTING]))
    assert inc["handled_by"] == [RESERVE]
    assert inc["arrived_at"] == [912.0]
    assert not math.isnan(inc["cleared_at"][0])
