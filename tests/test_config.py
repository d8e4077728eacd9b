"""Every option of every config group composes; bad values fail with a clear message."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
from omegaconf import DictConfig, OmegaConf

import pilkadasim
from pilkadasim.config.builders import to_scenario
from pilkadasim.errors import InputError

CONF = Path(str(resources.files("pilkadasim.conf")))
STUDIES = Path(str(resources.files("pilkadasim.experiments")))
GROUPS = sorted(
    p.name for p in CONF.iterdir() if p.is_dir() and p.name not in ("hydra", "__pycache__")
)


SLOW_GROUPS = ("experiment", "sensitivity")  # many options of the default model: full suite


def options():
    for group in GROUPS:
        marks = [pytest.mark.slow] if group in SLOW_GROUPS else []
        for f in sorted((CONF / group).glob("*.yaml")):
            yield pytest.param(group, f.stem, marks=marks, id=f"{group}-{f.stem}")


NEEDS = {  # options that need companions to make sense
    ("incidents", "poisson"): ["timeline=steady"],
    ("region", "custom"): ["region.dir=examples/custom_region"],
    ("travel", "matrix"): ["region=custom", "region.dir=examples/custom_region"],
}


DEFAULT_GROUPS = {  # the groups named in the defaults list of conf/config.yaml
    key.lstrip("/").split("@")[0]
    for entry in OmegaConf.load(CONF / "config.yaml").defaults
    if isinstance(entry, DictConfig)
    for key in entry
}


@pytest.mark.slow  # ~20 builds of ~0.8 s: keeps make test-fast under a minute
@pytest.mark.parametrize(("group", "option"), list(options()))
def test_every_option_composes(group, option):
    """Each option composes and builds a scenario (groups outside the defaults list, such as
    the sensitivity variants, are appended as a study would)."""
    plus = "" if group in DEFAULT_GROUPS else "+"
    cfg = pilkadasim.compose([f"{plus}{group}={option}", *NEEDS.get((group, option), [])])
    scenario = to_scenario(cfg).scenario
    assert scenario.region.sites.n_tps > 0


def test_debug_smoke_runs_the_same_days_shorter(small_results):
    """debug=smoke keeps the model and cuts the run: 4 of the same days (replications are
    independent, so they equal the first 4 of the 6-day run), serial, no figures or HTML."""
    cfg = pilkadasim.compose(["debug=smoke"])
    assert (cfg.run.replications, cfg.run.workers) == (4, 1)
    assert not cfg.report.figures
    assert not cfg.report.html
    smoke = pilkadasim.simulate(cfg)
    assert smoke.summary["replications"] == 4
    first4 = small_results.incidents[small_results.incidents["replication"] < 4]
    assert len(smoke.incidents) > 0
    pd.testing.assert_frame_equal(
        smoke.incidents.reset_index(drop=True),
        first4.reset_index(drop=True),
        check_categorical=False,  # the categories are the values seen in each run
    )


def test_groups_are_the_documented_ones():
    assert {
        "region",
        "timeline",
        "incidents",
        "staffing",
        "dispatch",
        "travel",
    } <= set(GROUPS)
    assert "experiment" not in GROUPS  # the studies are experiments/, Hydra's group `experiment`
    assert {"reserve_sweep", "sensitivity"} <= {p.stem for p in STUDIES.glob("*.yaml")}


def test_contract_keys_exist():
    cfg = pilkadasim.compose()
    for key in (
        "run.replications",
        "run.seed",
        "run.workers",
        "staffing.reserve_units",
        "staffing.guard_pattern",
        "region",
        "region.dir",
        "dispatch",
        "travel",
        "incidents",
        "report.lang",
        "report.targets_min",
    ):
        head, _, tail = key.partition(".")
        assert head in cfg, key
        assert not tail or tail in cfg[head], key


def test_misspelled_key_fails_at_compose():
    with pytest.raises(InputError, match="reserve_unit"):
        pilkadasim.compose(["staffing.reserve_unit=4"])


def test_wrong_type_fails_at_compose():
    with pytest.raises(InputError, match="replications"):
        pilkadasim.compose(["run.replications=many"])


@pytest.mark.parametrize(
    ("override", "expect"),
    [
        ("run.replications=0", "run.replications = 0: must be >= 1"),
        ("staffing.reserve_units=-3", "staffing.reserve_units = -3: must be >= 0"),
        ("staffing.guard_pattern=heavy", "staffing.guard_pattern = 'heavy': unknown; use one of"),
        ("incidents.escalation.probability=1.5", "must be <= 1"),
        ("report.lang=fr", "report.lang = 'fr': unknown; use one of id, en"),
        ("dispatch.policy=closest", "dispatch.policy = 'closest': unknown"),
        ("incidents.stage_rate_per_hour.voting=-1", "stage_rate_per_hour.voting = -1.0"),
        ("region=custom", "region.dir"),
    ],
)
def test_bad_values_give_clear_messages(override, expect):
    cfg = pilkadasim.compose([override])
    with pytest.raises(InputError) as err:
        to_scenario(cfg)
    assert expect in str(err.value)


def test_all_problems_reported_at_once():
    cfg = pilkadasim.compose(["run.replications=0", "report.lang=xx"])
    with pytest.raises(InputError) as err:
        to_scenario(cfg)
    assert "2 problems" in str(err.value)


def test_over_budget_plan_is_reported_not_rejected():
    built = to_scenario(pilkadasim.compose(["staffing.reserve_units=20"]))
    st = built.staffing
    assert st["over_budget"] == st["tps_guards"] + st["reserve"] - 363 > 0


def test_baseline_accounts_for_all_363():
    st = to_scenario(pilkadasim.compose()).staffing
    assert st["tps_guards"] + st["reserve"] + st["command_and_support"] == 363
    assert st["over_budget"] == 0


@pytest.mark.parametrize("study", sorted(p.stem for p in STUDIES.glob("*.yaml")))
def test_every_study_asks_its_question_in_both_languages(study):
    """A study with a question asks it in Indonesian and in English (an English report or deck
    shows ``question_en``), and the English one is not the Indonesian text copied."""
    from pilkadasim.report.content import asked_question

    cfg = pilkadasim.compose([f"experiment={study}"])
    if not cfg.question:
        assert not cfg.question_en, f"{study}: question_en without a question"
        return
    assert cfg.question_en, f"{study}.yaml: add question_en, the question in English"
    assert asked_question(cfg, "en") == cfg.question_en != cfg.question
    assert asked_question(cfg, "id") == cfg.question
