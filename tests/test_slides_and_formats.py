"""Numbers as a planner writes them; the slides say what summary.json says; a rebuild in the
other language goes beside the original; the deck opens in LibreOffice Impress."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import require_tool
from pilkadasim.report import fmt as F


def test_numbers_times_and_durations_in_words():
    assert F.num(1234.5, 1, "id") == "1.234,5"
    assert F.num(1234.5, 1, "en") == "1,234.5"
    assert F.pct(0.0125, 2, "id") == "1,25 %"
    assert F.clock(780, "id") == "13.00 WIB"
    assert F.clock(2159, "en") == "11:59 WIB, next day"
    assert F.minutes(None, lang="id") == "tidak terjangkau"
    assert F.minutes(None, lang="en") == "not reached"
    assert F.interval([3.0, None], lang="en") == "3.0 – unbounded"
    assert F.interval([3.0, None], lang="id") == "3,0 – tak terbatas"
    d = {"dist": "lognormal", "median": 180, "p95": 360}
    assert F.distribution(d, "id") == "lognormal, median 3 jam, 95 % selesai dalam 6 jam"


def test_assumptions_are_words_not_config(small_cfg):
    from pilkadasim.report.assumptions import assumption_rows

    rows = assumption_rows(small_cfg, "id")
    text = " ".join(v for _, v, _ in rows)
    assert "07.00 WIB – 13.00 WIB" in text
    assert "1,25 %" in text
    assert "{" not in text  # no raw dicts
    assert "dist" not in text
    assert all(src.startswith("docs/sources.md §") for _, _, src in rows)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run") / "r"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pilkadasim",
            "experiment=debug",
            "report.html=true",
            "report.figures=true",
            "run.replications=10",
            f"hydra.run.dir={out}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return out


def deck_text(path) -> str:
    from pptx import Presentation

    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(c.text for row in shape.table.rows for c in row.cells)
    return "\n".join(parts)


@pytest.mark.slow
def test_slides_numbers_match_summary(run_dir):
    from pptx import Presentation

    summary = json.loads((run_dir / "summary.json").read_text())
    text = deck_text(run_dir / "slides.pptx")
    r = summary["response_min"]
    assert F.minutes(r["p90"], lang="id") in text
    assert F.interval(r["ci95"]["p90"], lang="id") in text
    for target, w in summary["within_target"].items():
        assert F.pct(w["p"], lang="id") in text, target
    st = summary["staffing"]
    for key in ("tps_guards", "command_and_support", "personnel_total"):
        assert str(st[key]) in text, key
    charts = [
        s.chart
        for sl in Presentation(str(run_dir / "slides.pptx")).slides
        for s in sl.shapes
        if s.has_chart
    ]
    pie = next(c for c in charts if c.chart_type is not None and "PIE" in str(c.chart_type))
    assert list(pie.plots[0].series[0].values) == [
        st["tps_guards"],
        st["reserve"],
        st["command_and_support"],
    ]


@pytest.mark.slow
def test_other_language_goes_beside_never_over(run_dir):
    before = (run_dir / "report.html").read_bytes()
    proc = subprocess.run(
        [sys.executable, "-m", "pilkadasim.cli.report", str(run_dir), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert (run_dir / "report.html").read_bytes() == before
    assert '<html lang="en"' in (run_dir / "report.en.html").read_text()
    assert "Headline" in deck_text(run_dir / "slides.en.pptx")
    assert (run_dir / "figures.en" / "ecdf.png").exists()


@pytest.mark.slow
def test_deck_opens_in_libreoffice(run_dir, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require_tool(soffice, "libreoffice-impress")
    proc = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(run_dir / "slides.pptx"),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "slides.pdf"
    assert pdf.exists(), proc.stdout + proc.stderr
    import re

    pages = re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes())
    assert len(pages) >= 6  # every slide of the deck was rendered


def _page_ink(pdf: bytes) -> list[int]:
    """Each page's drawing (its decompressed content stream, in bytes), in page order: a page
    holding only a footer draws a small fraction of what a full page draws."""
    import re
    import zlib

    objs = {int(m[1]): m[2] for m in re.finditer(rb"(\d+) 0 obj(.*?)endobj", pdf, re.S)}
    root = next(b for b in objs.values() if re.search(rb"/Type\s*/Pages\b", b))
    kids = re.search(rb"/Kids\s*\[([^\]]*)\]", root)
    assert kids, "no page list in the PDF"
    ink = []
    for num in re.findall(rb"(\d+) 0 R", kids[1]):
        contents = re.search(rb"/Contents\s+(\d+) 0 R", objs[int(num)])
        assert contents, "a page without a content stream"
        raw = re.search(rb"stream\r?\n(.*?)\r?\nendstream", objs[int(contents[1])], re.S)
        assert raw, "a content object without a stream"
        ink.append(len(zlib.decompress(raw[1])))
    return ink


@pytest.mark.slow
def test_report_prints_on_a4_without_an_empty_last_page(run_dir, tmp_path):
    """Printed to A4 (Chromium, as the report is meant to be printed for a rakor), the run report
    takes at most 3 pages and its last page is not just the footer and the hash."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    require_tool(chromium, "chromium")
    pdf = tmp_path / "report.pdf"
    proc = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            f"--user-data-dir={tmp_path}/chrome",
            f"--print-to-pdf={pdf}",
            (run_dir / "report.html").as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert pdf.exists(), proc.stdout + proc.stderr
    ink = _page_ink(pdf.read_bytes())
    assert 1 <= len(ink) <= 3, f"{len(ink)} A4 pages"
    assert ink[-1] >= 0.25 * max(ink), f"last page nearly empty: drawing per page {ink}"


@pytest.mark.parametrize("n", [3, 11, 21])
def test_sweep_recommendation_slide_is_filled_not_overflowing(n, tmp_path):
    """The recommendation slide: its text, then the options table filling the rest of the slide
    (no strip of rows above blank space, no rows beyond the bottom edge), for 3 to 21 options."""
    from pptx import Presentation
    from pptx.util import Inches

    import pilkadasim
    from pilkadasim.report.slides import sweep_slides

    cfg = pilkadasim.compose(["report.lang=en"])
    header = ["Option", "Budget check (363)", "p90 (95% CI)", "Reached ≤ 30 min"]
    rows = [[f"reserve {i}", "ok", "40.1 (38.4 – 41.6)", "62 % (50.0 – 80.0 %)"] for i in range(n)]
    text = "No recommendation: even with 20 reserve teams the p90 misses the target. " * 4
    p90 = {r[0]: 40.1 for r in rows}
    path = sweep_slides(tmp_path / "s.pptx", cfg, "Q?", header, rows, 1, text, p90, {}, "")
    prs = Presentation(str(path))
    shapes = list(prs.slides[1].shapes)
    table = next(s for s in shapes if s.has_table)
    said = next(s for s in shapes if s.has_text_frame and s.text_frame.text == text.rstrip("\n"))
    bottom = table.top + sum(r.height for r in table.table.rows)
    assert said.top + said.height <= table.top  # the text ends before the table starts
    assert bottom <= prs.slide_height - Inches(0.2)  # nothing beyond the slide
    assert bottom >= prs.slide_height * (0.6 if n == 3 else 0.85)  # no blank half slide
    size = table.table.cell(1, 0).text_frame.paragraphs[0].font.size.pt
    assert 9 <= size <= 20
    if n == 3:
        assert size >= 16  # few options: large enough to read across the room


def test_places_table_says_when_the_upper_end_is_undetermined():
    # ~10 incidents in a desa: the order-statistic interval of the p90 has no upper end in the
    # data; the two-sided column says so instead of a one-sided "≥ lo".
    import numpy as np
    import pandas as pd

    from pilkadasim.report.html import places_html

    p = pd.DataFrame(
        {"desa": ["A"], "kecamatan": ["K"], "n": [12], "p90": [50.0], "lo": [45.0], "hi": [np.nan]}
    )
    html = places_html(p, "en")
    assert "45.0 – undetermined</td>" in html
    assert "too few incidents" in html
    assert "≥" not in html
