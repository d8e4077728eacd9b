"""A small real sweep end to end: aggregation, CRN comparison, figures, reports (id/en),
rebuild without simulating, and rendering in headless Chromium with every image loaded."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

pytestmark = pytest.mark.slow
EXPERIMENTS = sorted(
    p.stem
    for p in Path(str(resources.files("pilkadasim.experiments"))).glob("*.yaml")
    if p.stem not in ("debug", "optimise_staging")  # a single run: see test_optimise.py
)


QUESTION = {"id": "Berapa tim cadangan yang cukup?", "en": "How many reserve teams are enough?"}


def cli(*args, cwd=None, module="pilkadasim"):
    return subprocess.run(
        [sys.executable, "-m", module, *args], capture_output=True, text=True, cwd=cwd, timeout=600
    )


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep") / "sw"
    proc = cli(
        "-m",
        "staffing.reserve_units=0,4,8",
        "run.replications=20",
        "run.workers=1",
        "run.progress=false",
        "report.lang=en",
        f"question='{QUESTION['id']}'",
        f"question_en='{QUESTION['en']}'",
        f"hydra.sweep.dir={out}",
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def test_sweep_summary_has_cis_and_paired_differences(sweep):
    table = pd.read_csv(sweep / "sweep_summary.csv")
    assert table["staffing.reserve_units"].tolist() == [0, 4, 8]
    for col in (
        "response_min.p90.lo",
        "response_min.p90.hi",
        "within_target.30.lo",
        "delta.response_min.p90",
        "delta.response_min.p90.lo",
        "meets_target",
    ):
        assert col in table.columns, col
        assert table[col].notna().all(), col
    assert (table["response_min.p90.lo"] <= table["response_min.p90"]).all()
    assert table.loc[0, "delta.response_min.p90"] == 0
    # common random numbers: more reserve teams, never a worse p90 or mean
    assert table["response_min.p90"].is_monotonic_decreasing
    assert table["response_min.mean"].is_monotonic_decreasing
    assert table.loc[2, "delta.response_min.p90.hi"] < 0  # 8 teams clearly better than 0


def test_sweep_slides_name_the_options(sweep):
    from pptx import Presentation

    deck = Presentation(str(sweep / "slides.pptx"))
    text = " ".join(
        cell.text
        for slide in deck.slides
        for shape in slide.shapes
        if shape.has_table
        for row in shape.table.rows
        for cell in row.cells
    )
    assert "reserve 8" in text  # options by name, not job numbers
    assert "reserve 0" in text
    table = pd.read_csv(sweep / "sweep_summary.csv")
    assert table["reference"].sum() == 1  # one current plan, the differences are against it


def test_sweep_and_job_outputs_exist(sweep):
    for name in ("report.html", "figures/curve.png", "figures/ecdf.png", "figures/kecmap.png"):
        assert (sweep / name).exists(), name
    for job in ("0", "1", "2"):
        assert (sweep / job / "report.html").exists()
        assert len(list((sweep / job / "figures").glob("*.png"))) == 4


@pytest.mark.parametrize("lang", ["id", "en"])
def test_reports_contain_every_figure_in_both_languages(sweep, lang):
    titles = {
        "id": ("Ringkasan simulasi pengamanan Pilkada", "Perbandingan skenario"),
        "en": ("Election-day security simulation summary", "Comparison of security"),
    }
    assert cli(str(sweep / "1"), "--lang", lang, module="pilkadasim.cli.report").returncode == 0
    assert cli(str(sweep), "--lang", lang, module="pilkadasim.cli.report").returncode == 0
    name = "report.html" if lang == "en" else f"report.{lang}.html"  # the sweep ran in en
    run_html = (sweep / "1" / name).read_text()
    sweep_html = (sweep / name).read_text()
    assert '<html lang="en"' in (sweep / "report.html").read_text()  # original never replaced
    assert titles[lang][0] in run_html
    assert titles[lang][1] in sweep_html
    assert run_html.count("data:image/png;base64,") == 4
    assert sweep_html.count("data:image/png;base64,") == 3
    assert "pilkadasim --config-path" in run_html
    assert "staffing.reserve_units=0,4,8" in sweep_html
    from pptx import Presentation

    deck = "slides.pptx" if lang == "en" else f"slides.{lang}.pptx"
    title = Presentation(str(sweep / deck)).slides[0].shapes
    asked = [re.search(r'<p class="question">(.*?)</p>', h)[1] for h in (run_html, sweep_html)]
    asked.append(" ".join(s.text_frame.text for s in title if s.has_text_frame))
    for text in asked:  # the study's question, in the report's language
        assert QUESTION[lang] in text
        assert QUESTION["id" if lang == "en" else "en"] not in text


def test_report_rebuild_rejects_other_folders(tmp_path):
    proc = cli(str(tmp_path), module="pilkadasim.cli.report")
    assert proc.returncode == 2
    assert "neither a run directory" in proc.stderr


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROME_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
    "--virtual-time-budget=15000",
]


@pytest.mark.parametrize("report", ["report.html", "1/report.html"])
def test_report_renders_in_chromium_with_all_images(sweep, tmp_path, report):
    from conftest import require_tool

    require_tool(CHROMIUM, "chromium")
    target = (sweep / report).resolve()
    probe = tmp_path / "probe.html"
    probe.write_text(
        f'<html><body><iframe id="r" src="{target.as_uri()}" width="1000" height="800"></iframe>'
        "<script>document.getElementById('r').onload = function () {"
        " var imgs = this.contentDocument.images, ok = 0;"
        " for (var i = 0; i < imgs.length; i++) if (imgs[i].complete && imgs[i].naturalWidth > 0)"
        " ok++; document.body.setAttribute('data-loaded', ok + '/' + imgs.length); };"
        "</script></body></html>"
    )
    profile = tmp_path / "profile"
    proc = subprocess.run(
        [CHROMIUM, *CHROME_FLAGS, f"--user-data-dir={profile}", "--dump-dom", probe.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    found = re.search(r'data-loaded="(\d+)/(\d+)"', proc.stdout)
    assert found, proc.stdout[-2000:] + proc.stderr[-2000:]
    loaded, total = map(int, found.groups())
    assert total >= 3
    assert loaded == total
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            CHROMIUM,
            *CHROME_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            "--window-size=1100,1600",
            target.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists()
    assert shot.stat().st_size > 20_000  # a real page with figures, not a blank one


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_experiment_smoke_runs(tmp_path, name):
    out = tmp_path / name
    proc = cli(f"experiment={name}", "debug=smoke", f"hydra.sweep.dir={out}")
    assert proc.returncode == 0, proc.stderr[-3000:]
    table = pd.read_csv(out / "sweep_summary.csv")
    assert len(table) >= 4
    assert table["response_min.p90"].notna().all()
