"""The tornado table and figure of experiment=sensitivity, from a sweep table."""

from __future__ import annotations

import pandas as pd
from matplotlib.figure import Figure

from pilkadasim.analysis.sensitivity import tornado_table
from pilkadasim.plotting.sensitivity import tornado

KEY = "delta.reserve_response_min.p90"


def sweep_table() -> pd.DataFrame:
    rows = [("baseline", 0.0), ("rate_low", -8.0), ("rate_high", 12.0)]
    rows += [("speed_low", 3.0), ("speed_high", -1.0), ("rain_high", 0.5)]
    return pd.DataFrame(
        {
            "sensitivity": [c for c, _ in rows],
            KEY: [d for _, d in rows],
            f"{KEY}.lo": [d - 2 for _, d in rows],
            f"{KEY}.hi": [d + 2 for _, d in rows],
        }
    )


def test_tornado_rows_are_paired_changes_ordered_by_swing():
    rows = tornado_table(sweep_table(), "reserve_response_min")
    assert rows["assumption"].tolist() == ["rate", "speed", "rain"]
    first = rows.iloc[0]
    assert (first["low"], first["high"], first["swing"]) == (-8.0, 12.0, 12.0)
    assert first["high.lo"] == 10.0
    assert pd.isna(rows.iloc[2]["low"])  # only the high side was run


def test_a_swing_whose_interval_reaches_zero_ranks_below_a_certain_one():
    table = sweep_table()
    table.loc[table["sensitivity"] == "rate_high", f"{KEY}.lo"] = -1.0  # 12 [-1, 14]
    table.loc[table["sensitivity"] == "rate_low", f"{KEY}.hi"] = 0.0  # -8 [-10, 0]
    rows = tornado_table(table, "reserve_response_min")
    assert rows["assumption"].tolist() == ["speed", "rate", "rain"]
    assert rows["moves"].tolist() == [True, False, False]


def test_tornado_figure_has_a_bar_per_assumption_and_side():
    rows = tornado_table(sweep_table(), "reserve_response_min")
    fig = tornado(rows, "p90", "en", {"speed": "Sabhara travel speed"})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["rate", "Sabhara travel speed", "rain"]
    assert len(ax.patches) == 2 * len(rows)


def test_tornado_fades_assumptions_that_do_not_move_the_answer():
    rows = tornado_table(sweep_table(), "reserve_response_min")
    rows.loc[rows["assumption"] == "rain", "moves"] = False
    ax = tornado(rows, "p90", "en").axes[0]
    alphas = sorted({p.get_alpha() for p in ax.patches})
    assert alphas == [0.35, 1.0]
    assert "faded" in ax.get_xlabel()
