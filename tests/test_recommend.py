"""The sweep decision on synthetic design points: step-down order, over-budget plans, ranking
for axes that are not sizes, and the headline words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

from pilkadasim.analysis.stats import DayBootstrap
from pilkadasim.report.recommendation import headline
from pilkadasim.sweep.paired import Point
from pilkadasim.sweep.recommend import decide

DAYS = 100


def point(scale: float, seed: int, days: int = DAYS) -> Point:
    """Reserve-needed incidents with response ~ exponential(scale), 3 per day."""
    rng = np.random.default_rng(seed)
    d = np.repeat(np.arange(days), 3)
    v = rng.exponential(scale, d.size)
    return Point(v, d, np.concatenate([v, np.zeros(d.size)]), np.concatenate([d, d]))


def cfg(allow_bko=False):
    return OmegaConf.create(
        {
            "report": {
                "decision_metric": "reserve_response_min",
                "decision_rule": "p90",
                "decision_target_min": 30.0,
                "decision_goal": 0.9,
            },
            "staffing": {"allow_bko": allow_bko},
        }
    )


def run(axis, levels, scales, over=None, allow_bko=False, days=DAYS):
    table = pd.DataFrame({axis: levels, "staffing.over_budget": over or [0] * len(levels)})
    points = [point(s, i, days) for i, s in enumerate(scales)]
    boots = [DayBootstrap(days, 1)] * len(points)
    return decide(table, [axis], points, boots, cfg(allow_bko))


AX = "staffing.reserve_units"


def test_smallest_level_meeting_the_target_from_the_top_down():
    rec = run(AX, [2, 4, 6, 8], [40.0, 20.0, 8.0, 6.0])  # p90 ≈ 92, 46, 18, 14 min
    assert rec["kind"] == "sizing"
    assert rec["value"] == 6
    assert rec["margin"] > 0
    assert "step-down" in rec["method"]
    assert "6 reserve teams" in headline(rec, "en")


def test_step_down_stops_at_the_first_failure_even_if_a_smaller_level_passes():
    rec = run(AX, [2, 4, 6, 8], [6.0, 40.0, 8.0, 6.0])  # level 2 looks fine but 4 does not
    assert rec["value"] == 6
    assert rec["monotone_violations"]  # 2 → 4 teams got significantly worse


def test_no_level_meets_the_target():
    rec = run(AX, [2, 4], [40.0, 30.0])
    assert rec["value"] is None
    assert rec["reason"] == "no_level_meets_target"
    assert rec["margin"] < 0


@pytest.mark.parametrize("allow", [False, True])
def test_over_budget_levels_are_flagged_and_only_recommended_with_bko(allow):
    rec = run(AX, [2, 4, 6], [40.0, 40.0, 8.0], over=[0, 0, 12], allow_bko=allow)
    assert rec["over_budget"] == [{"option": 6, "personnel_over": 12}]
    if allow:
        assert rec["value"] == 6
        assert rec["bko_needed"] == 12
        assert "BKO reinforcement of 12" in headline(rec, "en")
    else:
        assert rec["value"] is None
        assert rec["reason"] == "only_over_budget_levels_meet_target"


def test_other_axes_are_ranked_and_never_called_teams():
    rec = run("incidents.rate_scale", [0.5, 1.0, 2.0], [8.0, 10.0, 30.0])
    assert rec["kind"] == "ranking"
    assert rec["value"] is None
    assert rec["best"] == 0.5
    assert [o["option"] for o in rec["options"]] == [0.5, 1.0, 2.0]
    assert rec["options"][2]["distinguishable_from_best"]
    for lang, word, team in (
        ("id", "Rekomendasi", "tim cadangan cukup"),
        ("en", "Recommend", "teams"),
    ):
        text = headline(rec, lang)
        assert word not in text
        assert team not in text
        assert ("× 0,5" if lang == "id" else "× 0.5") in text  # named by what they are


def test_an_axis_without_words_is_named_by_its_override():
    rec = run("incidents.tension_cv", [0.0, 1.0], [8.0, 30.0])
    assert rec["kind"] == "ranking"
    text = headline(rec, "en")
    assert "1. tension CV 0: " in text  # a word of its own
    rec = run("dispatch.cutoff_min", [20, 40], [8.0, 30.0])
    assert "dispatch.cutoff_min=20" in headline(rec, "en")


def test_sensitivity_names_the_assumptions_that_move_the_answer():
    # The cases of experiment=sensitivity are not options: the answer is which assumptions
    # move the decision metric. "speed" moves it (interval excludes 0); "rain" has the larger
    # swing but its interval reaches 0, so it is listed among those that do not.
    key = "delta.reserve_response_min.p90"
    cases = ["baseline", "speed_low", "speed_high", "rain_low", "rain_high"]
    delta = [0.0, 5.0, -3.0, -6.0, 0.0]
    table = pd.DataFrame(
        {
            "sensitivity": cases,
            "staffing.over_budget": [0] * 5,
            "reserve_response_min.p90": [30.0 + d for d in delta],
            key: delta,
            f"{key}.lo": [0.0, 4.0, -4.0, -9.0, -1.0],
            f"{key}.hi": [0.0, 6.0, -2.0, 0.0, 1.0],
        }
    )
    points = [point(10.0, i) for i in range(5)]
    rec = decide(table, ["sensitivity"], points, [DayBootstrap(DAYS, 1)] * 5, cfg())
    assert rec["kind"] == "sensitivity"
    assert rec["value"] is None
    assert rec["baseline"] == 30.0
    assert [(a["assumption"], a["moves"]) for a in rec["assumptions"]] == [
        ("speed", True),
        ("rain", False),
    ]
    text = headline(rec, "en")
    assert text.startswith("The estimated assumptions that move")
    assert "1. Sabhara travel speed: low +5.0 min (+4.0 – +6.0), high −3.0 min" in text
    assert "No change shown (the interval includes 0): rain slowdown." in text
    assert "Recommend" not in text
    assert "kecepatan tim Sabhara" in headline(rec, "id")


def test_sensitivity_cases_are_named_in_words():
    from pilkadasim.report.recommendation import option_name

    assert option_name("sensitivity", "speed_low", "id") == "kecepatan tim Sabhara: rendah"
    assert option_name("sensitivity", "counting_high", "en") == "counting duration: high"
    assert option_name("sensitivity", "baseline", "id") == "skenario dasar"
    assert option_name("staffing.reserve_units", 8, "id") == "cadangan 8"


def test_one_or_two_days_compare_nothing():
    # one resampled day always draws itself: a paired interval from it would be a point and
    # would call every option significantly different; with fewer than 3 days none is given
    rec = run("incidents.rate_scale", [0.5, 1.0, 2.0], [8.0, 10.0, 30.0], days=2)
    assert all(o["diff_to_best_ci95"] is None for o in rec["options"])
    assert not any(o["distinguishable_from_best"] for o in rec["options"])
    text = headline(rec, "en")
    assert (
        "min. Cannot be compared (too few days or incidents): incidents × 2; incidents × 1." in text
    )
    assert "Not distinguishable" not in text
    assert "Note: only 2 simulated days per point" in text


def test_fixed_unit_counts_are_named_as_units():
    rec = run("staffing.fixed_units.brimob.count", [1, 2, 3], [40.0, 8.0, 6.0])
    assert "factor:" not in headline(rec, "id")
    assert "unit brimob" in headline(rec, "id")
