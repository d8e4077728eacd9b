"""Each figure builds from a tiny frame, states its finding in the title, in both languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from pilkadasim.plotting import figures as F
from pilkadasim.report.labels import t


def tiny_incidents(n_reps: int = 2) -> pd.DataFrame:
    rows = []
    for r in range(n_reps):
        for i, (resp, stage, cat, kec) in enumerate(
            [
                (0.0, "voting", "rawan", "A"),
                (12.0, "counting", "kurang_rawan", "B"),
                (45.0, "recap", "ppk", "B"),
            ]
        ):
            occ = 480.0 + 300 * i
            rows.append(
                {
                    "replication": r,
                    "tps_id": f"T{i}",
                    "kecamatan": kec,
                    "category": cat,
                    "stage": stage,
                    "occurred_at": occ,
                    "reported_at": occ,
                    "dispatched_at": occ,
                    "arrived_at": occ + resp,
                    "cleared_at": occ + resp + 30,
                    "response_min": resp,
                    "units_sent": 1,
                    "handled_by": "guard" if resp == 0 else "reserve",
                }
            )
    return pd.DataFrame(rows)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_ecdf(lang):
    fig = F.response_ecdf({"a": tiny_incidents()}, [10, 30], lang)
    assert isinstance(fig, Figure)
    title = fig.axes[0].get_title()
    assert "67" in title  # 2 of 3 incidents within 30 minutes
    assert ("dijangkau" in title) == (lang == "id")


def test_ecdf_many_points_names_the_best():
    slow = tiny_incidents().assign(response_min=lambda d: d["response_min"] + 40)
    fig = F.response_ecdf({"fast": tiny_incidents(), "slow": slow}, [30], "en")
    assert "fast" in fig.axes[0].get_title()
    # cases that are not options (a sensitivity study): no "best" in the title
    fig = F.response_ecdf({"fast": tiny_incidents(), "slow": slow}, [30], "en", best=False)
    assert fig.axes[0].get_title() == "Share of incidents reached by time, per case"


def test_staffing_curve_marks_recommendation():
    sweep = pd.DataFrame({"staffing.reserve_units": [0, 4, 8]})
    for k, v in {
        "response_min.p90": [60, 35, 25],
        "response_min.p90.lo": [55, 30, 21],
        "response_min.p90.hi": [65, 40, 28],
        "within_target.30": [0.7, 0.85, 0.92],
        "within_target.30.lo": [0.65, 0.8, 0.9],
        "within_target.30.hi": [0.75, 0.9, 0.95],
    }.items():
        sweep[k] = v
    fig = F.staffing_curve(sweep, "staffing.reserve_units", 30, 0.9, "en", recommended=8)
    assert "8 reserve teams" in fig._suptitle.get_text()
    fig2 = F.staffing_curve(sweep, "staffing.reserve_units", 30, 0.9, "en", recommended=None)
    assert "No reserve size" in fig2._suptitle.get_text()


def test_staffing_curve_marks_over_budget_points():
    sweep = pd.DataFrame({"staffing.reserve_units": [0, 4, 8, 20]})
    for k, v in {
        "reserve_response_min.p90": [60, 35, 25, 20],
        "reserve_response_min.p90.lo": [55, 30, 21, 17],
        "reserve_response_min.p90.hi": [65, 40, 28, 23],
        "reserve_within_target.30": [0.7, 0.85, 0.92, 0.95],
        "reserve_within_target.30.lo": [0.65, 0.8, 0.9, 0.93],
        "reserve_within_target.30.hi": [0.75, 0.9, 0.95, 0.97],
        "staffing.over_budget": [0, 0, 0, 57],
    }.items():
        sweep[k] = v
    args = (sweep, "staffing.reserve_units", 30, 0.9, "id", "reserve_response_min", 8)
    fig = F.staffing_curve(*args)
    for ax in fig.axes:
        marked = [c for c in ax.collections if c.get_label() == t("over_budget", "id")]
        assert len(marked) == 1
        assert marked[0].get_hatch() == "///"
        assert marked[0].get_offsets()[:, 0].tolist() == [20.0]  # only the 20-team point
        assert t("over_budget", "id") in [x.get_text() for x in ax.get_legend().get_texts()]
    within = F.staffing_curve(sweep.assign(**{"staffing.over_budget": 0}), *args[1:])
    assert not any(c.get_label() == t("over_budget", "id") for c in within.axes[0].collections)


def test_region_map_without_outlines():
    tps = pd.DataFrame(
        {
            "tps_id": ["a", "b"],
            "kecamatan": ["A", "B"],
            "lat": [-1.9, -2.0],
            "lon": [106.0, 106.1],
            "p90": [5.0, np.nan],
        }
    )
    bases = pd.DataFrame({"kind": ["polres"], "lat": [-1.95], "lon": [106.05]})
    fig = F.region_map(tps, None, bases, "p90", "en")
    assert "slowest in A" in fig.axes[0].get_title()


def test_hourly_profile_and_busy_units():
    inc = tiny_incidents(n_reps=2)
    busy = F.units_busy_by_hour(inc, 2, np.arange(37))
    # one reserve incident 13:00→13:42 per day: 42/60 units busy in hour 13 on average
    assert busy[13] == pytest.approx(42 / 60)
    fig = F.hourly_profile(inc, 2, "en")
    assert "peak" in fig.axes[0].get_title()


def test_category_heatmap_names_the_slowest():
    fig = F.category_heatmap(tiny_incidents(), "en")
    assert "PPK office in B (45 min)" in fig.axes[0].get_title()
