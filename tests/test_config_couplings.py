"""Keys of different config groups that must agree are explicit and checked (issue 10)."""

import pandas as pd
import pytest

import pilkadasim
from pilkadasim.analysis.metrics import reserve_needed
from pilkadasim.config.builders import to_scenario
from pilkadasim.core.records import HANDLED_BY, HandledBy
from pilkadasim.errors import InputError


def test_presets_set_their_companion_keys():
    cfg = pilkadasim.compose(["timeline=steady", "incidents=poisson"])
    assert cfg.staffing.mobilisation is False
    assert cfg.region.ppk is False
    built = to_scenario(cfg)
    assert {u.mobilisation_min for u in built.scenario.units} == {0.0}
    assert len(built.scenario.region.sites) == built.scenario.region.sites.n_tps  # no PPK


def test_default_day_keeps_mobilisation_and_ppk():
    built = to_scenario(pilkadasim.compose([]))
    assert {u.kind: u.mobilisation_min for u in built.scenario.units}["sabhara"] == 5.0
    assert len(built.scenario.region.sites) > built.scenario.region.sites.n_tps


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            ["timeline=steady", "incidents=poisson", "staffing.mobilisation=true"],
            r"staffing\.mobilisation = True: incidents=poisson .* set staffing\.mobilisation=false",
        ),
        (
            ["timeline=steady", "region.ppk=true"],
            r"region\.ppk = True: timeline=steady has no recap stage .* set region\.ppk=false",
        ),
        (
            ["experiment_name=sensitivity", "report.decision_rule=share"],
            r"report\.decision_rule = 'share': experiment=sensitivity measures the change of "
            r"the p90",
        ),
    ],
)
def test_inconsistent_companions_are_refused(overrides, message):
    with pytest.raises(InputError, match=message):
        to_scenario(pilkadasim.compose(overrides))


def test_handled_by_is_one_enum():
    # on-disk names, by code (append-only: linmas and brimob came with the partners)
    assert HANDLED_BY == ("guard", "reserve", "tni", "unserved", "linmas", "brimob")
    frame = pd.DataFrame({"handled_by": list(HANDLED_BY)})
    assert reserve_needed(frame).tolist() == [h.needs_reserve for h in HandledBy]
    assert [h for h in HandledBy if h.by_unit] == [
        HandledBy.RESERVE,
        HandledBy.TNI,
        HandledBy.BRIMOB,
    ]
    assert not HandledBy.LINMAS.needs_reserve  # Linmas at the TPS, like the guard


def test_mobilisation_switch_is_read_by_the_builder():
    built = to_scenario(pilkadasim.compose(["staffing.mobilisation=false"]))
    assert {u.mobilisation_min for u in built.scenario.units} == {0.0}
