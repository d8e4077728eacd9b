"""Issue 14 mechanisms: day-to-day tension, voters-weighted TPS rates, reporting delay by the
TPS's mobile signal. Each is off in the validation presets and has a hand-worked or a
deterministic statistical test that fails when the mechanism is broken."""

from __future__ import annotations

import numpy as np
import pytest

import pilkadasim
from micro import fixed_log, micro_scenario, replace
from pilkadasim.config.builders import to_scenario
from pilkadasim.config.builders.incidents import voters_weight
from pilkadasim.core.distributions import Deterministic
from pilkadasim.core.incidents import day_tension, generate_incidents
from pilkadasim.core.model import run_replication
from pilkadasim.core.rng import Stream, Streams, stream
from pilkadasim.core.scenario import frozen_array
from pilkadasim.core.timeline import draw_day
from pilkadasim.errors import InputError


def _log(scenario, rep, seed=11):
    streams = Streams(seed, rep)
    return generate_incidents(scenario, draw_day(scenario, streams), streams)


def _with_tension(scenario, cv):
    return replace(scenario, incidents=replace(scenario.incidents, tension_cv=cv))


# ------------------------------------------------------------------ tension
def test_tension_factor_is_its_own_gamma_stream():
    """Hand-worked: the factor is gamma(shape 1/cv², scale cv²) from stream TENSION; cv = 0
    gives exactly 1 and draws nothing."""
    streams = Streams(5, 3)
    expected = stream(5, 3, Stream.TENSION).gamma(4.0, 0.25)
    assert day_tension(0.5, streams) == pytest.approx(expected, rel=0, abs=0)
    fresh = Streams(5, 3)
    assert day_tension(0.0, fresh) == 1.0
    assert Stream.TENSION not in fresh._cache
    assert int(Stream.TENSION) == 12  # appended: no other stream id moved


def test_tension_off_reproduces_the_log_exactly():
    sc = micro_scenario(n_tps=3, rate_per_hour=2.0, hours=10)
    a, b = _log(sc, 4), _log(_with_tension(sc, 0.0), 4)
    assert a.tension == b.tension == 1.0
    np.testing.assert_array_equal(a.occurred_at, b.occurred_at)


def test_tension_overdispersion_matches_negative_binomial():
    """Daily counts with mean μ = 10: Var/Mean is 1 without tension and 1 + μ·cv² = 3.5 with
    cv = 0.5 (gamma-Poisson). 600 fixed-seed days; bounds from the sampling spread."""
    sc = micro_scenario(n_tps=2, rate_per_hour=1.0, hours=10)
    plain = np.array([len(_log(sc, r)) for r in range(600)])
    tense_sc = _with_tension(sc, 0.5)
    logs = [_log(tense_sc, r) for r in range(600)]
    tense = np.array([len(x) for x in logs])
    factors = np.array([x.tension for x in logs])
    assert abs(plain.mean() - 10) < 3 * np.sqrt(10 / 600)
    assert abs(tense.mean() - 10) < 3 * np.sqrt(35 / 600)  # mean unchanged
    assert 0.8 < plain.var() / plain.mean() < 1.2
    assert 2.8 < tense.var() / tense.mean() < 4.3
    assert abs(factors.mean() - 1) < 3 * 0.5 / np.sqrt(600)
    # counts follow the day's factor (same stream draws, so a broken link shows here)
    assert np.corrcoef(factors, tense)[0, 1] > 0.6


def test_tension_does_not_depend_on_staffing():
    """Common random numbers: more units, same incidents and the same tension factor."""
    one = _with_tension(micro_scenario(n_tps=2, units=1), 0.5)
    five = _with_tension(micro_scenario(n_tps=2, units=5), 0.5)
    a, b = _log(one, 2), _log(five, 2)
    assert a.tension == b.tension != 1.0
    np.testing.assert_array_equal(a.occurred_at, b.occurred_at)


# ------------------------------------------------------------------ voters
def _sites_with_voters(voters, category):
    sc = micro_scenario(n_tps=len(voters))
    s = sc.region.sites
    return replace(
        s,
        voters=frozen_array(voters, float),
        category=frozen_array(category, np.int64),
    )


def test_voters_weight_hand_worked():
    s = _sites_with_voters([100, 300, 50, 0], [0, 0, 1, 1])
    np.testing.assert_allclose(voters_weight(s, 1.0), [0.5, 1.5, 2.0, 0.0])
    root = np.sqrt([100.0, 300.0])
    np.testing.assert_allclose(voters_weight(s, 0.5)[:2], 2 * root / root.sum())
    np.testing.assert_array_equal(voters_weight(s, 0.0), np.ones(4))
    # a category with no voters anywhere keeps weight 1
    np.testing.assert_array_equal(voters_weight(_sites_with_voters([0, 0], [2, 2]), 1.0), [1, 1])


def test_voters_share_of_incidents():
    """Two TPS of one category with 100 and 300 voters, exponent 1: the busy one sees 3/4 of
    the incidents (fixed seeds, 3-sigma binomial bound)."""
    sc = micro_scenario(n_tps=2, rate_per_hour=1.0, hours=10)
    w = voters_weight(_sites_with_voters([100, 300], [0, 0]), 1.0) / 2
    sc = replace(sc, incidents=replace(sc.incidents, site_weight=frozen_array(w, float)))
    sites = np.concatenate([_log(sc, r).site for r in range(200)])
    share = (sites == 1).mean()
    assert abs(share - 0.75) < 3 * np.sqrt(0.75 * 0.25 / sites.size)


def test_bangka_total_rate_kept_by_voters_exponent():
    base = ["run.replications=1", "run.progress=false"]
    on = to_scenario(pilkadasim.compose(base)).scenario.incidents
    off = to_scenario(pilkadasim.compose([*base, "incidents.voters_exponent=0"])).scenario
    assert on.site_weight.std() > 0.05  # the default uses voters
    assert on.site_weight.sum() == pytest.approx(off.incidents.site_weight.sum(), rel=1e-12)


# ------------------------------------------------------------------ signal
def test_signal_extra_delay_trace():
    """Hand-worked: base reporting delay 2 min; site 1 has a weak signal (+10). Incident at
    site 1 at t = 0, zero travel, 20 min on scene: reported and dispatched at 12, on scene at
    12, cleared at 32. The same incident at site 0 is cleared at 22."""
    sc = micro_scenario(n_tps=2, reporting=Deterministic(2.0))
    extra = frozen_array([0.0, 10.0], float)
    sc = replace(sc, incidents=replace(sc.incidents, report_extra_min=extra))
    streams = Streams(1, 0)
    log = generate_incidents(sc, draw_day(sc, streams), streams)
    np.testing.assert_allclose(log.reporting_delay_min, 2.0 + extra[log.site])
    fixed = fixed_log([0.0, 100.0], sites=[1, 0], delay=[12.0, 2.0])
    inc = run_replication(sc, 0, 1, log=fixed).incidents
    assert inc["dispatched_at"] == [12.0, 102.0]
    assert inc["cleared_at"] == [32.0, 122.0]


def test_bangka_signal_column_and_defaults():
    built = to_scenario(pilkadasim.compose(["run.replications=1", "run.progress=false"]))
    tps = built.region.tps
    assert (tps["signal"] == "weak").sum() == 11  # Bawaslu Bangka: 11 TPS with network trouble
    extra = built.scenario.incidents.report_extra_min
    assert extra is not None
    assert (extra == 10.0).sum() == 11


def test_signal_missing_means_good_and_bad_value_is_named(tmp_path):
    from pilkadasim.data.loaders import load_region

    (tmp_path / "tps.csv").write_text(
        "tps_id,kecamatan,desa,lat,lon,voters,category\nT1,K,D,-1.9,106.1,300,rawan\n"
    )
    (tmp_path / "bases.csv").write_text("base_id,name,kind,lat,lon\nB1,Polsek,polsek,-1.9,106.1\n")
    data = load_region("custom", str(tmp_path))
    assert list(data.tps["signal"]) == ["good"]
    (tmp_path / "tps.csv").write_text(
        "tps_id,kecamatan,desa,lat,lon,voters,category,signal\nT1,K,D,-1.9,106.1,300,rawan,patchy\n"
    )
    with pytest.raises(InputError, match="column signal: 'patchy' is not allowed; use one of good"):
        load_region("custom", str(tmp_path))


# ------------------------------------------------------------------ presets reduce exactly
def test_validation_preset_has_every_mechanism_off():
    cfg = pilkadasim.compose(["timeline=steady", "incidents=poisson", "run.progress=false"])
    inc = to_scenario(cfg).scenario.incidents
    assert inc.tension_cv == 0.0
    assert inc.report_extra_min is None


def test_bad_values_are_named():
    for key, bad in (("incidents.tension_cv", -0.1), ("incidents.voters_exponent", 5)):
        with pytest.raises(InputError, match=key.replace(".", r"\.")):
            to_scenario(pilkadasim.compose([f"{key}={bad}", "run.progress=false"]))


# ------------------------------------------------------------------ trips
def test_trip_legs_trace():
    """Hand-worked: one unit at base B0 (lat 0), 10 min to the TPS, 5 min mobilisation, 20
    min on scene. Incident at t = 0: dispatched 0, on scene 15, cleared 35, travel 10, from
    the base. A second incident at t = 36 finds it returning (1 of 10 min driven): a new leg
    from 10 % of the way home, 1 min back to the TPS."""
    sc = micro_scenario(minutes=[[10.0], [0.0]], mobilisation=5.0)
    lat = frozen_array([-1.0, -2.0], float)  # base, TPS
    sites = replace(sc.region.sites, lat=lat[1:])
    bases = replace(sc.region.bases, lat=lat[:1])
    sc = replace(sc, region=replace(sc.region, sites=sites, bases=bases))
    trips = run_replication(sc, 0, 1, log=fixed_log([0.0, 36.0])).trips
    assert trips["dispatched_at"] == [0.0, 36.0]
    assert trips["arrived_at"] == [15.0, 37.0]
    assert trips["cleared_at"] == [35.0, 57.0]
    assert trips["travel_min"] == pytest.approx([10.0, 1.0])
    assert trips["from_lat"] == pytest.approx([-1.0, -1.9])
