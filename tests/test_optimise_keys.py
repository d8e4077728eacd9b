"""The optimiser's metric keys, its honest PCS, the split mode and the plan slide."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from omegaconf import open_dict

import pilkadasim
from pilkadasim.errors import InputError
from pilkadasim.optimise import metric as M
from pilkadasim.optimise.evaluate import Simulator
from pilkadasim.optimise.keys import bind, parse_metric
from pilkadasim.optimise.problem import build_problems
from pilkadasim.optimise.run import _pcs, optimise
from pilkadasim.optimise.selection import kn
from pilkadasim.optimise.settings import read_settings
from test_optimise import KM, toy_cfg, toy_region

TARGETS = [10.0, 30.0]


@pytest.mark.parametrize(
    ("path", "maximise", "kind"),
    [
        ("reserve_response_min.p90", False, "minutes"),
        ("reserve_response_min.mean", False, "minutes"),
        ("response_min.p95", False, "minutes"),
        ("response_min.unreached", False, "count"),
        ("reserve_within_target.30", True, "share"),
        ("within_target.10.p", True, "share"),
        ("by_category.rawan.p90", False, "minutes"),
        ("by_kecamatan.Mendo Barat.within_30", True, "share"),
        ("unserved", False, "count"),
        ("handled_by.tni", False, "count"),
        ("utilization.max", False, "share"),
    ],
)
def test_metric_direction_rule(path, maximise, kind):
    m = parse_metric(path, TARGETS)
    assert (m.maximise, m.kind) == (maximise, kind)


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("all_response_min.p95", "not an optimisable summary key; valid: response_min."),
        ("incidents_per_day.mean", "valid: "),
        ("response_min.ci95.p90", "utilization.<mean|max>"),
        ("staffing.reserve", "by_kecamatan.<kecamatan>"),
        ("within_target.45", "add 45 there"),
        ("by_category.rawan.within_10", "only within_30"),
    ],
)
def test_unknown_metric_is_a_one_line_error_listing_valid_keys(path, message):
    with pytest.raises(InputError) as err:
        parse_metric(path, TARGETS)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.slow  # keeps make test-fast under a minute
def test_every_metric_equals_the_summary_of_a_run(tmp_path):
    """The optimiser's value of a plan is what summary.json says for a run of that plan."""
    tps = [(x, 0, 100 + 40 * x) for x in range(0, 30, 3)]
    region = toy_region(tmp_path / "r", tps, [(0, 0), (15, 0), (27, 0)], [0, 2])
    cfg = toy_cfg(region, "incidents.rate_per_hour=2", "incidents.handling_mean_min=40")
    summary = pilkadasim.simulate(cfg).summary
    current, _ = build_problems(cfg, read_settings(cfg))
    sim = Simulator(
        {current.pattern: current.scenario}, {current.pattern: current.movable}, 2024, 1
    )
    out = sim.run([current.current()], 0, int(cfg.run.replications))[0]
    paths = [
        "response_min.p90",
        "response_min.mean",
        "reserve_response_min.p50",
        "within_target.30",
        "reserve_within_target.10",
        "by_category.kurang_rawan.p90",
        "by_kecamatan.K.within_30",
        "handled_by.reserve",
        "unserved",
        "utilization.mean",
        "utilization.max",
    ]
    for path in paths:
        want = summary
        for part in path.split("."):
            want = want[part]
        want = want["p"] if isinstance(want, dict) else want
        got = M.pooled(bind(parse_metric(path, TARGETS), current.scenario), out)
        assert got == pytest.approx(want, abs=1e-3), path
    assert summary["response_min"]["unreached"] == M.pooled(
        parse_metric("response_min.unreached", TARGETS), out
    )
    # and its interval is the summary's interval for that statistic
    for path, ci in (
        ("response_min.p90", summary["response_min"]["ci95"]["p90"]),
        ("response_min.mean", summary["response_min"]["ci95"]["mean"]),
        ("within_target.30", summary["within_target"]["30"]["ci95"]),
    ):
        got_ci = M.with_ci(bind(parse_metric(path, TARGETS), current.scenario), out)[1]
        assert got_ci == pytest.approx(ci, abs=1e-3), path
    with pytest.raises(InputError, match="no kecamatan 'Nowhere' in the region; valid: K"):
        bind(parse_metric("by_kecamatan.Nowhere.p90", TARGETS), current.scenario)


def test_kn_cut_short_claims_no_pcs():
    rng = np.random.default_rng(1)

    def observe(plans, first, count):  # two plans of equal mean: KN cannot end early
        return rng.normal(0.0, 3.0, (len(plans), count))

    sel = kn(observe, 2, 0.5, 0.05, 10, 12)
    assert not sel.finished
    assert sel.pcs is None
    assert sel.n_max > 12
    settings = type("S", (), {"max_batches": 12})()
    out = _pcs(sel, settings)
    assert out["pcs"] is None
    assert "no probability of correct selection is guaranteed" in out["pcs_reason"]
    assert "pcs_estimate_not_guaranteed" in out["selection"]
    done = kn(observe, 2, 0.5, 0.05, 10, 10_000)
    assert done.finished
    assert done.pcs == pytest.approx(0.95)
    assert _pcs(done, settings)["pcs"] == pytest.approx(0.95)


def split_region(folder: Path) -> Path:
    """Ten ordinary TPS and one 'khusus' TPS with a single voter (next to no incidents): a
    pattern guarding it only takes personnel away from the reserve."""
    folder.mkdir(parents=True, exist_ok=True)
    pts = [(x, 300, "kurang_rawan") for x in range(0, 30, 3)] + [(40, 1, "khusus")]
    rows = ["tps_id,kecamatan,desa,lat,lon,voters,category"]
    rows += [f"t{i},K,D,0,{x * KM:.6f},{v},{c}" for i, (x, v, c) in enumerate(pts)]
    (folder / "tps.csv").write_text("\n".join(rows) + "\n")
    rows = ["base_id,name,kind,lat,lon"]
    rows += [f"b{j},B{j},polsek,0,{x * KM:.6f}" for j, x in enumerate([0, 10, 20, 30])]
    rows += [f"polres,P,polres,0,{15 * KM:.6f}"]
    (folder / "bases.csv").write_text("\n".join(rows) + "\n")
    return folder


@pytest.mark.slow  # keeps make test-fast under a minute
def test_split_finds_the_split_with_the_most_teams(tmp_path):
    """42 personnel, 25 kept for support: guarding the empty 'khusus' TPS with 1, 5 or 9
    police leaves 4, 3 or 2 teams of 4 for 36 incidents a day; the best split is 'few'."""
    cfg = pilkadasim.compose(
        [
            "region=custom",
            f"region.dir={split_region(tmp_path / 'r')}",
            "timeline=steady",
            "timeline.hours=24",
            "incidents=poisson",
            "incidents.rate_per_hour=1.5",
            "incidents.handling_mean_min=30",
            "staffing.personnel_total=42",
            "staffing.support_min=25",
            "staffing.reserve_units=2",
            "run.replications=20",
            "run.workers=1",
            "run.progress=false",
            "optimise.enabled=true",
            "optimise.split=true",
            "optimise.metric=response_min.mean",
            "optimise.search_replications=10",
            "optimise.batch_days=2",
            "optimise.neighbours=3",
            "optimise.max_steps=2",
            "optimise.finalists=3",
            "optimise.max_batches=30",
        ]
    )
    with open_dict(cfg):
        cfg.staffing.fixed_units = {}
        cfg.staffing.guard_patterns = {
            "few": {"khusus": [1, 1]},
            "some": {"khusus": [5, 1]},
            "many": {"khusus": [9, 1]},
        }
        cfg.staffing.guard_pattern = "many"  # the current plan: 9 guards, 2 teams
    result, found = optimise(cfg, None, lambda _m: None)
    assert result["guard_pattern"] == "few"
    assert len(found.problem.movable) == 4
    assert result["improvement"]["ci95"][0] > 0


def test_plan_slide_fits_many_moves_and_says_when_no_pcs(tmp_path):
    from pptx import Presentation
    from pptx.util import Inches

    from pilkadasim.report.plan import MAX_ROWS, add_plan_slide
    from pilkadasim.report.slides import _deck, _slide

    prs = _deck()
    _slide(prs, "Judul")
    prs.save(str(tmp_path / "s.pptx"))
    moves = [{"unit_id": f"u{i:02d}", "from": f"a{i}", "to": f"b{i}"} for i in range(18)]
    moves += [{"unit_id": f"u{i:02d}", "from": None, "to": "b0"} for i in (18, 19)]  # split
    ci = {"value": 1.0, "ci95": [0.5, 1.5]}
    result = {
        "metric": "reserve_within_target.30",
        "unit": "share",
        "best": ci,
        "baseline": ci,
        "improvement": {"value": 0.073, "ci95": [0.05, 0.097]},
        "improvement_over_start": ci,
        "pcs": None,
        "delta": 0.01,
        "evaluations": 9,
        "seconds": 1.0,
        "teams": 24,
        "moves": moves,
    }
    wide = _wide_png()
    add_plan_slide(tmp_path / "s.pptx", result, wide, "en")
    slide = Presentation(str(tmp_path / "s.pptx")).slides[1]
    assert slide.shapes.title.text == "Staging plan"
    text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    assert "7.3 %" in text  # a share's improvement in points, with its interval
    assert "95 % CI 5.0 – 9.7 %" in text
    assert "no probability of correct selection is guaranteed" in text
    assert "20 of 24 teams move. Of these, 2 are new teams (from –)" in text
    (table,) = [sh for sh in slide.shapes if sh.has_table]
    rows = [[c.text for c in r.cells] for r in table.table.rows]
    assert len(rows) == MAX_ROWS + 1
    assert rows[-1][0] == f"… (+{20 - MAX_ROWS + 1})"
    height = sum(r.height for r in table.table.rows)
    assert table.top + height <= Inches(7.4)
    (pic,) = [sh for sh in slide.shapes if sh.shape_type == 13]
    assert pic.left + pic.width <= table.left  # the map never runs under the table
    assert pic.top + pic.height <= Inches(7.5)


def _wide_png() -> bytes:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(8, 4))
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
