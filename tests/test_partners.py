"""Issue 14, partners outside the 363: Linmas at each TPS (first line for minor incidents), TNI
from the Koramil (second tier), Brimob BKO from Polda (third tier, long mobilisation).

Each tier has a hand-worked trace on a micro scenario; each can be switched off, and the
validation preset has them all off."""

from __future__ import annotations

import pandas as pd
import pytest
from omegaconf import OmegaConf

import pilkadasim
from micro import fixed_log, micro_scenario, replace
from pilkadasim.analysis.metrics import reserve_needed
from pilkadasim.config.builders import load_region_data, to_scenario
from pilkadasim.config.checks import validate
from pilkadasim.config.partners import linmas_spec, partner_rows
from pilkadasim.core.model import run_replication
from pilkadasim.core.partners import LINMAS_STAGES, LinmasSpec
from pilkadasim.core.records import HANDLED_BY
from pilkadasim.core.scenario import STAGES, UnitSpec
from pilkadasim.errors import InputError


def _handled(records) -> list[str]:  # type: ignore[no-untyped-def]
    return [HANDLED_BY[h] for h in records.incidents["handled_by"]]


def _units(*specs: tuple[int, int, float]) -> tuple[UnitSpec, ...]:
    """(base, tier, mobilisation) per unit."""
    return tuple(
        UnitSpec(f"U{i}", base, "k", 4, 3, mob, 1.0, tier=tier, police=True)
        for i, (base, tier, mob) in enumerate(specs)
    )


def test_linmas_stages_are_the_named_ones():
    assert sorted(STAGES[s] for s in LINMAS_STAGES) == [
        "counting",
        "preparation",
        "steady",
        "voting",
    ]


# ------------------------------------------------------------------ Linmas (first line)
def test_linmas_trace():
    """Hand-worked, 2 Linmas at the one TPS, one reserve unit 0 min away, 20 min on scene.
    t=0 sev 1: Linmas A (on the spot: reported = arrived = 0, cleared 20). t=2 sev 2: above
    Linmas → the reserve (arrives 2, cleared 22). t=5 sev 1: Linmas B (cleared 25). t=10 sev 1:
    both Linmas busy → reported; the reserve is busy until 22 → arrives 22, cleared 42.
    t=30 sev 1 in the box-transport stage: Linmas are not at the TPS → the reserve."""
    sc = replace(micro_scenario(), linmas=LinmasSpec(per_tps=2, max_severity=1))
    steady, transport = STAGES.index("steady"), STAGES.index("transport")
    log = fixed_log(
        [0.0, 2.0, 5.0, 10.0, 30.0],
        severity=[1, 2, 1, 1, 1],
        stage=[steady] * 4 + [transport],
    )
    rec = run_replication(sc, 0, 1, log=log)
    assert _handled(rec) == ["linmas", "reserve", "linmas", "reserve", "reserve"]
    inc = rec.incidents
    assert inc["reported_at"][:4] == [0.0, 2.0, 5.0, 10.0]
    assert inc["arrived_at"] == [0.0, 2.0, 5.0, 22.0, 42.0]
    assert inc["cleared_at"] == [20.0, 22.0, 25.0, 42.0, 62.0]
    assert inc["units_sent"][:3] == [0, 1, 0]
    # without Linmas the same log is all reserve: the t=5 call waits for the unit to clear
    # t=0 (at 20) and then the queued severity-2 call (severity first: 20 → 40)
    plain = run_replication(micro_scenario(), 0, 1, log=log)
    assert _handled(plain) == ["reserve"] * 5
    assert plain.incidents["arrived_at"][2] == 40.0


def test_linmas_never_count_as_reserve_needed():
    inc = pd.DataFrame({"handled_by": list(HANDLED_BY)})
    needed = dict(zip(HANDLED_BY, reserve_needed(inc), strict=True))
    assert needed == {
        "guard": False,
        "linmas": False,
        "reserve": True,
        "tni": True,
        "brimob": True,
        "unserved": True,
    }


# ------------------------------------------------------------------ TNI Koramil (second tier)
def test_koramil_second_tier_trace():
    """Police unit U0 at B0, 30 min away; TNI squad U1 (tier 1) at B1, 5 min away, 20 min
    mobilisation; 60 min on scene. t=0: the police unit goes although the TNI is nearer
    (arrives 30). t=1: no police unit free → the TNI squad: 1 + 20 + 5 = 26."""
    sc = micro_scenario(n_bases=2, minutes=[[30.0], [5.0], [0.0]])
    sc = replace(sc, units=_units((0, 0, 0.0), (1, 1, 20.0)))
    rec = run_replication(sc, 0, 1, log=fixed_log([0.0, 1.0], handling=[60.0, 60.0]))
    assert _handled(rec) == ["reserve", "tni"]
    assert rec.incidents["arrived_at"] == [30.0, 26.0]
    assert rec.incidents["first_unit"] == [0, 1]


@pytest.fixture(scope="module")
def bangka():  # type: ignore[no-untyped-def]
    return to_scenario(pilkadasim.compose(["run.progress=false"]))


def test_bangka_has_a_koramil_squad_in_every_kecamatan(bangka):
    built = bangka
    sc = built.scenario
    koramil = [u for u in sc.units if u.kind == "koramil"]
    assert len(koramil) == len(sc.region.kecamatan) == 8
    assert sorted(int(sc.region.bases.kecamatan[u.base]) for u in koramil) == list(range(8))
    assert all(u.tier == 1 and not u.police for u in koramil)
    assert built.staffing["partners"]["koramil"] == {"units": 8, "personnel": 80}
    assert built.staffing["partners"]["linmas"] == {"units": 452, "personnel": 904}
    assert built.staffing["tps_guards"] + built.staffing["reserve"] <= 363  # partners outside


# ------------------------------------------------------------------ Brimob BKO (third tier)
def test_brimob_third_tier_trace():
    """U0 police (B0, 10 min), U1 TNI (B1, 10 min, 20 min mobilisation), U2 Brimob (tier 2,
    B2, 30 min, 60 min mobilisation); 100 min on scene, all severity 1. t=0 → police (10);
    t=1 → TNI before Brimob (1 + 20 + 10 = 31); t=2 → Brimob, after its mobilisation:
    2 + 60 + 30 = 92."""
    sc = micro_scenario(n_bases=3, minutes=[[10.0], [10.0], [30.0], [0.0]])
    sc = replace(sc, units=_units((0, 0, 0.0), (1, 1, 20.0), (2, 2, 60.0)))
    log = fixed_log([0.0, 1.0, 2.0], handling=[100.0] * 3)
    rec = run_replication(sc, 0, 1, log=log)
    assert _handled(rec) == ["reserve", "tni", "brimob"]
    assert rec.incidents["arrived_at"] == [10.0, 31.0, 92.0]


def test_bangka_brimob_waits_at_polda_with_a_long_mobilisation(bangka):
    sc = bangka.scenario
    brimob = [u for u in sc.units if u.kind == "brimob"]
    assert len(brimob) == 2
    assert {sc.region.bases.ids[u.base] for u in brimob} == {"polda_babel"}
    assert all(u.tier == 2 and u.mobilisation_min == 60 for u in brimob)


# ------------------------------------------------------------------ switches
OFF = [f"staffing.partners.{p}.enabled=false" for p in ("linmas", "koramil", "brimob")]


def test_each_partner_switches_off():
    cfg = pilkadasim.compose(["run.progress=false"])
    data = load_region_data(cfg)
    assert linmas_spec(cfg) == LinmasSpec(per_tps=2, max_severity=1)
    assert {r[2] for r in partner_rows(cfg, data)} == {"koramil", "brimob"}
    for partner in ("linmas", "koramil", "brimob"):
        off = cfg.copy()
        OmegaConf.update(off, f"staffing.partners.{partner}.enabled", False)
        assert (linmas_spec(off) is None) == (partner == "linmas")
        kinds = {r[2] for r in partner_rows(off, data)}
        assert kinds == {"koramil", "brimob"} - {partner}


def test_partners_off_run_has_no_partner_handling():
    cfg = pilkadasim.compose([*OFF, "run.replications=5", "run.progress=false"])
    res = pilkadasim.simulate(cfg)
    assert not res.incidents["handled_by"].isin(["linmas", "brimob"]).any()
    assert set(res.units["kind"]) == {"sabhara", "dalmas", "tni"}
    assert res.summary["staffing"]["partners"] == {"tni": {"units": 2, "personnel": 20}}


def test_validation_preset_has_no_partners():
    cfg = pilkadasim.compose(
        ["timeline=steady", "incidents=poisson", "staffing.guard_pattern=none"]
    )
    built = to_scenario(cfg)
    assert built.scenario.linmas is None
    assert {u.kind for u in built.scenario.units} <= {"sabhara", "dalmas", "tni"}
    assert built.staffing["partners"] == {"tni": {"units": 2, "personnel": 20}}


def test_missing_partner_base_is_said(tmp_path):
    (tmp_path / "tps.csv").write_text(
        "tps_id,kecamatan,desa,lat,lon,voters,category\nT1,K,D,-1.9,106.1,300,rawan\n"
    )
    (tmp_path / "bases.csv").write_text(
        "base_id,name,kind,lat,lon\npolres,Polres,polres,-1.9,106.1\n"
    )
    cfg = pilkadasim.compose(
        [
            "region=custom",
            f"region.dir={tmp_path}",
            "staffing.placement=polres",
            "staffing.fixed_units.tni.count=0",
            "staffing.fixed_units.dalmas.count=0",
        ]
    )
    st = to_scenario(cfg).staffing
    assert st["partners_missing"] == [
        "koramil: no base of kind 'koramil' in bases.csv",
        "brimob: no base of kind 'polda' in bases.csv",
    ]


def test_bad_partner_values_are_named():
    cfg = pilkadasim.compose(["run.progress=false"])
    for key, bad in (
        ("staffing.partners.linmas.max_severity", 4),
        ("staffing.partners.koramil.kind", "marines"),
        ("staffing.partners.brimob.base_kind", "nowhere"),
    ):
        wrong = cfg.copy()
        OmegaConf.update(wrong, key, bad)
        with pytest.raises(InputError, match=key.replace(".", r"\.")):
            validate(wrong)
