"""Exact traces of the dispatch policies on micro-scenarios with two bases."""

from __future__ import annotations

from micro import dispatch_spec, fixed_log, micro_scenario
from pilkadasim.core import run_replication

# two bases (B0 in kecamatan 0, B1 in kecamatan 1), one TPS in kecamatan 1;
# rows: B0, B1, T0 → minutes to T0
MINUTES = [[5.0], [12.0], [0.0]]


def two_base(policy: str, **kw):
    return micro_scenario(
        n_tps=1,
        units=2,
        n_bases=2,
        unit_base=[0, 1],
        site_kecamatan=[1],
        base_kecamatan=[0, 1],
        minutes=MINUTES,
        dispatch=dispatch_spec(policy=policy, **kw),
    )


def test_nearest_sends_the_closest_unit():
    rec = run_replication(two_base("nearest"), 0, 1, log=fixed_log([0.0]))
    assert rec.incidents["first_unit"] == [0]
    assert rec.incidents["arrived_at"] == [5.0]


def test_district_first_sends_the_own_kecamatan_unit():
    rec = run_replication(two_base("district_first"), 0, 1, log=fixed_log([0.0]))
    assert rec.incidents["first_unit"] == [1]
    assert rec.incidents["arrived_at"] == [12.0]


def test_district_first_falls_back_to_other_kecamatan():
    """The own unit is busy 0→32 (12 drive + 20 on scene); the second call goes to B0."""
    rec = run_replication(two_base("district_first"), 0, 1, log=fixed_log([0.0, 1.0]))
    assert rec.incidents["first_unit"] == [1, 0]
    assert rec.incidents["arrived_at"] == [12.0, 6.0]


def test_fixed_preference_keeps_its_order():
    """Preference by home travel: U0 (5 min) then U1. U0 is on its way home at 30 when the
    second call comes; it still goes (fixed list), from part-way."""
    sc = two_base("fixed_preference")
    rec = run_replication(sc, 0, 1, log=fixed_log([0.0, 27.5], handling=[20.0, 20.0]))
    # call 1: U0 arrives 5, clears 25, heads home (5 min, until 30). At 27.5 it is half-way:
    # 0.5 × (T0→T0 = 0) + 0.5 × (B0→T0 = 5) = 2.5 → arrives 30.
    assert rec.incidents["first_unit"] == [0, 0]
    assert rec.incidents["arrived_at"] == [5.0, 30.0]


def test_reserve_cutoff_holds_the_last_unit_for_serious_incidents():
    """k = 1: with one unit left free, a severity-1 call waits; a severity-2 call does not."""
    sc = two_base("reserve_cutoff", reserve_k=1, cutoff_severity=2)
    log = fixed_log([0.0, 1.0, 2.0], severity=[1, 1, 2], handling=[30.0, 30.0, 30.0])
    rec = run_replication(sc, 0, 1, log=log)
    # call 0 (sev 1): 2 free > k=1 → U0 goes. call 1 (sev 1): 1 free = k → waits.
    # call 2 (sev 2): U1 goes at once (12 min, on scene 14 → 44). U0 frees at 35 but is then
    # the only free unit (= k), so it may not take call 1 and heads home; U1 frees at 44 with
    # U0 free too (2 > k) and takes call 1 straight from its scene (0 min).
    assert rec.incidents["first_unit"] == [0, 1, 1]
    assert rec.incidents["dispatched_at"] == [0.0, 44.0, 2.0]


def test_reserve_cutoff_never_starves_a_small_fleet():
    """k larger than the fleet is capped at fleet − 1, so low-severity calls are served."""
    sc = two_base("reserve_cutoff", reserve_k=5, cutoff_severity=2)
    rec = run_replication(sc, 0, 1, log=fixed_log([0.0]))
    assert rec.incidents["first_unit"] == [0]
