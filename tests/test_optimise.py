"""The staging optimiser on toy regions with known optima, KN, MEXCLP, journal, bad input."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import pilkadasim
from pilkadasim.errors import InputError
from pilkadasim.optimise import coverage
from pilkadasim.optimise import metric as M
from pilkadasim.optimise.evaluate import Simulator
from pilkadasim.optimise.journal import NAME
from pilkadasim.optimise.problem import build_problems
from pilkadasim.optimise.run import optimise
from pilkadasim.optimise.selection import kn
from pilkadasim.optimise.settings import read_settings

KM = 1 / 111.32  # degrees of longitude per km at the equator


def toy_region(
    folder: Path,
    tps: list[tuple[float, float, int]],
    bases: list[tuple[float, float]],
    units: list[int],
) -> Path:
    """TPS at (x km, y km) with voters; bases b0…; reserve units at the given bases."""
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["tps_id,kecamatan,desa,lat,lon,voters,category"]
    rows += [
        f"t{i},K,D,{y * KM:.6f},{x * KM:.6f},{v},kurang_rawan" for i, (x, y, v) in enumerate(tps)
    ]
    (folder / "tps.csv").write_text("\n".join(rows) + "\n")
    rows = ["base_id,name,kind,lat,lon"]
    rows += [f"b{j},B{j},pos,{y * KM:.6f},{x * KM:.6f}" for j, (x, y) in enumerate(bases)]
    (folder / "bases.csv").write_text("\n".join(rows) + "\n")
    rows = ["unit_id,base_id,kind,crew"] + [f"u{k},b{b},sabhara,4" for k, b in enumerate(units)]
    (folder / "units.csv").write_text("\n".join(rows) + "\n")
    return folder


def toy_cfg(folder: Path, *extra: str) -> object:
    return pilkadasim.compose(
        [
            "region=custom",
            f"region.dir={folder}",
            "timeline=steady",
            "timeline.hours=24",
            "incidents=poisson",
            "incidents.rate_per_hour=0.5",
            "incidents.handling_mean_min=5",
            "staffing.guard_pattern=none",
            "run.replications=40",
            "run.workers=1",
            "run.progress=false",
            "optimise.enabled=true",
            "optimise.metric=response_min.mean",
            "optimise.search_replications=20",
            "optimise.batch_days=2",
            "optimise.neighbours=6",
            "optimise.finalists=3",
            "optimise.max_batches=30",
            *extra,
        ]
    )


def based(found) -> list[str]:
    return sorted(b for _, b in found.problem.plan_rows(found.best))


@pytest.mark.slow
def test_one_team_on_a_line_waits_at_the_weighted_median(tmp_path):
    xs, voters = [0, 5, 10, 15, 20], [100, 100, 100, 600, 100]  # weighted median: x = 15
    region = toy_region(
        tmp_path / "r",
        [(x, 0, v) for x, v in zip(xs, voters, strict=True)],
        [(x, 0) for x in xs],
        [0],
    )
    result, found = optimise(toy_cfg(region), None, lambda _m: None)
    assert based(found) == ["b3"]
    assert result["improvement"]["value"] > 0
    assert result["improvement"]["ci95"][0] > 0


@pytest.mark.slow
def test_two_teams_two_clusters(tmp_path):
    rng = np.random.default_rng(3)
    tps = [(c + dx, dy, 300) for c in (0, 40) for dx, dy in rng.normal(0, 1.0, (6, 2))]
    bases = [(0, 0), (8, 0), (20, 0), (32, 0), (40, 0)]  # cluster centres are b0 and b4
    region = toy_region(tmp_path / "r", tps, bases, [2, 2])
    _, found = optimise(toy_cfg(region), None, lambda _m: None)
    assert based(found) == ["b0", "b4"]


@pytest.mark.slow
@pytest.mark.parametrize(("teams", "n_cand"), [(2, 6), (3, 4)])
def test_search_is_within_delta_of_brute_force(tmp_path, teams, n_cand):
    rng = np.random.default_rng(teams)
    tps = [
        (x, y, int(v))
        for (x, y), v in zip(rng.uniform(0, 30, (12, 2)), rng.integers(100, 600, 12), strict=True)
    ]
    bases = [tuple(p) for p in rng.uniform(0, 30, (n_cand, 2))]
    region = toy_region(tmp_path / "r", tps, bases, [0] * teams)
    cfg = toy_cfg(region, "optimise.delta_min=0.5")
    result, _ = optimise(cfg, None, lambda _m: None)
    _, problems = build_problems(cfg, read_settings(cfg))
    p = problems[0]
    every = sorted(
        {p.design(c) for c in itertools.combinations_with_replacement(range(n_cand), teams)}
    )
    sim = Simulator({p.pattern: p.scenario}, {p.pattern: p.movable}, 2024, 1)
    outs = sim.run(every, 0, 40)  # the same days the optimiser reports on
    metric = read_settings(cfg).metric
    brute = min(M.pooled(metric, o) for o in outs)
    assert result["best"]["value"] <= brute + 0.5


def test_kn_selects_the_best_with_the_stated_probability():
    delta, alpha, k, hits = 1.0, 0.1, 4, 0
    means = np.array([0.0, delta, delta, delta])  # slippage configuration: the hardest case
    for seed in range(200):
        rng = np.random.default_rng(seed)

        def observe(plans, first, count, rng=rng):
            shared = rng.normal(0, 2.0, count)  # common random numbers: correlated outputs
            return np.array([means[i] + shared + rng.normal(0, 1.5, count) for i in plans])

        hits += kn(observe, k, delta, alpha, 10, 10_000).best == 0
    assert hits / 200 >= 1 - alpha - 0.03  # KN's guarantee (it is conservative)


def test_kn_would_fail_if_it_picked_the_largest():
    means = np.array([0.0, 3.0])
    sel = kn(
        lambda pl, f, c: np.array([means[i] + np.zeros(c) + 0.1 * np.arange(c) % 2 for i in pl]),
        2,
        1.0,
        0.05,
        10,
        100,
    )
    assert sel.best == 0
    assert sel.finished


def test_mexclp_solves_a_small_instance_exactly():
    cover = np.array([[1, 1, 0, 0], [0, 1, 1, 0], [0, 0, 1, 1], [1, 0, 0, 1]], bool)
    demand = np.array([5.0, 1.0, 5.0, 1.0])
    fixed = np.zeros(4, np.int64)
    counts = coverage.mexclp(cover, demand, fixed, 2, 0.3)
    best = max(
        (c for c in itertools.product(range(3), repeat=4) if sum(c) == 2),
        key=lambda c: coverage.expected_coverage(cover, demand, fixed, np.array(c), 0.3),
    )
    got = coverage.expected_coverage(cover, demand, fixed, counts, 0.3)
    assert got == pytest.approx(
        coverage.expected_coverage(cover, demand, fixed, np.array(best), 0.3)
    )


@pytest.mark.slow
def test_journal_resume_and_plan_rerun(tmp_path):
    region = toy_region(
        tmp_path / "r",
        [(x, 0, 100 + 50 * x) for x in range(0, 25, 5)],
        [(x, 0) for x in range(0, 25, 5)],
        [0, 0],
    )
    cfg = toy_cfg(region)
    run = tmp_path / "run"
    first, found = optimise(cfg, run, lambda _m: None)
    lines = (run / NAME).read_text().splitlines()
    keep = len(lines) // 2
    (run / NAME).write_text("\n".join(lines[:keep]) + "\n" + lines[keep][:15])  # interrupted
    again, _ = optimise(cfg, run, lambda _m: None)
    assert again["replayed_from_journal"] == keep - 1
    assert again["replications_simulated"] < first["replications_simulated"]
    for key in ("best", "baseline", "improvement", "pcs"):
        assert again[key] == first[key]
    plan = dict(found.problem.plan_rows(found.best))
    rerun = pilkadasim.simulate(
        toy_cfg(
            region, *[f"+staffing.plan.{u}={b}" for u, b in plan.items()], "optimise.enabled=false"
        )
    )
    assert rerun.summary["response_min"]["mean"] == pytest.approx(first["best"]["value"], abs=1e-3)


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ("optimise.metric=response_min.p99", "optimise.metric = 'response_min.p99'"),
        ("optimise.metric=within_target.45", "add 45 there"),
        ("optimise.candidates=[b0,nowhere]", "no base 'nowhere'"),
        ("optimise.delta_min=0", "optimise.delta_min = 0"),
        ("optimise.budget=3", "units.csv fixes the reserve teams"),
    ],
)
def test_bad_optimise_config_gives_clear_message(tmp_path, override, message):
    region = toy_region(tmp_path / "r", [(0, 0, 100)], [(0, 0)], [0])
    with pytest.raises(InputError, match=None) as err:
        optimise(toy_cfg(region, override), None, lambda _m: None)
    assert message in str(err.value)


@pytest.mark.slow
def test_bad_plan_and_command_line_message(tmp_path):
    region = toy_region(tmp_path / "r", [(0, 0, 100)], [(0, 0)], [0])
    with pytest.raises(InputError, match="no unit 'u9'"):
        pilkadasim.simulate(toy_cfg(region, "+staffing.plan.u9=b0", "optimise.enabled=false"))
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pilkadasim",
            "experiment=optimise_staging",
            "optimise.metric=nonsense",
            f"hydra.run.dir={tmp_path / 'o'}",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 2
    assert "bad input" in out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.slow
def test_smoke_bangka_experiment(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "pilkadasim",
            "experiment=optimise_staging",
            "debug=smoke",
            "report.figures=true",
            "report.html=true",
            f"hydra.run.dir={tmp_path / 'o'}",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    plan = (tmp_path / "o" / "plan.csv").read_text().splitlines()
    assert plan[0] == "unit_id,base_id"
    assert len(plan) == 13  # the 12 Sabhara teams
    res = json.loads((tmp_path / "o" / "optimise.json").read_text())
    for key in (
        "metric",
        "best",
        "baseline",
        "improvement",
        "evaluations",
        "method",
        "seconds",
        "pcs",
        "delta_min",
    ):
        assert key in res
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["reserve_response_min"]["p90"] == pytest.approx(res["best"]["value"], abs=1e-3)
    assert (tmp_path / "o" / "figures" / "plan.png").exists()
    check_plan_section(tmp_path / "o", res, dict(r.split(",") for r in plan[1:]))


def check_plan_section(out: Path, res: dict, plan: dict[str, str]) -> None:
    """The slide "Rencana penempatan" (second, after the title) and the report section say
    what optimise.json and plan.csv say: the moved teams, the improvement and its interval."""
    from pptx import Presentation

    from pilkadasim.report.plan import COLS, interval, value

    moves = [[m["unit_id"], m["from"], m["to"]] for m in res["moves"]]
    assert all(plan[u] == to and to != frm for u, frm, to in moves)
    assert res["teams"] == len(plan)
    slide = Presentation(str(out / "slides.pptx")).slides[1]
    assert slide.shapes.title.text == "Rencana penempatan"
    assert any(sh.shape_type == 13 for sh in slide.shapes)  # the plan map picture
    text = "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)
    imp = res["improvement"]
    assert value(imp["value"], res["unit"], "id") in text
    assert interval(imp["ci95"], res["unit"], "id") in text
    tables = [sh.table for sh in slide.shapes if sh.has_table]
    if moves:
        rows = [[c.text for c in row.cells] for row in tables[0].rows]
        assert rows == [list(COLS["id"]), *moves]
    else:
        assert not tables
        assert "Tidak ada tim yang dipindah" in text
    html = (out / "report.html").read_text()
    assert "Rencana penempatan" in html
    assert all(f"<td>{u}</td><td>{f}</td><td>{t}</td>" in html for u, f, t in moves)
    assert value(imp["value"], res["unit"], "id") in html
