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


def point(scale: float, seed: int) -> Point:
    """Reserve-needed incidents with response ~ exponential(scale), 3 per day."""
    rng = np.random.default_rng(seed)
    d = np.repeat(np.arange(DAYS), 3)
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


def run(axis, levels, scales, over=None, allow_bko=False):
    table = pd.DataFrame({axis: levels, "staffing.over_budget": over or [0] * len(levels)})
    points = [point(s, i) for i, s in enumerate(scales)]
    boots = [DayBootstrap(DAYS, 1)] * len(points)
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
        assert "× 0.5" in text  # options are named by what they are
