"""``slides.pptx`` for the rakor (paparan), one deck per run and per sweep, in the report
language. Charts are native PowerPoint charts (editable in PowerPoint / Impress) where
python-pptx can draw them; maps are pictures. The numbers are those of report.html: both are
built from :mod:`pilkadasim.report.content` and :mod:`pilkadasim.report.fmt`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pptx.chart.data
import pptx.dml.color
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Emu, Inches, Pt

from pilkadasim.report import fmt as F
from pilkadasim.report.labels import t

# python-pptx's chart data and colour classes have no type hints: used through Any
CategoryChartData: Any = pptx.chart.data.CategoryChartData
XyChartData: Any = pptx.chart.data.XyChartData
RGBColor: Any = pptx.dml.color.RGBColor
NAVY = RGBColor(0x1F, 0x3B, 0x73)
W, H = Inches(13.333), Inches(7.5)  # 16:9


def _deck() -> Any:
    prs = Presentation()
    prs.slide_width, prs.slide_height = W, H
    return prs


def _slide(prs: Any, title: str) -> Any:
    slide = prs.slides.add_slide(prs.slide_layouts[5])  # title only
    box = slide.shapes.title
    box.left, box.top, box.width, box.height = Inches(0.5), Inches(0.3), W - Inches(1), Inches(1)
    box.text = title
    para = box.text_frame.paragraphs[0]
    para.font.size, para.font.bold, para.font.color.rgb = Pt(30), True, NAVY
    return slide


def _text(
    slide: Any,
    text: str,
    top: float,
    size: int = 20,
    left: float = 0.6,
    width: float = 12.1,
    height: float = 1.2,
    bold: bool = False,
) -> Any:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(text.split("\n")):
        para = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        para.text = line
        para.font.size, para.font.bold = Pt(size), bold
    return box


def _table(
    slide: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    left: float,
    top: float,
    width: float,
    size: int = 14,
    best: int | None = None,
) -> Any:
    height = Inches(0.4) * (len(rows) + 1)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(left), Inches(top), Inches(width), height
    )
    tab = shape.table
    for j, h in enumerate(header):
        tab.cell(0, j).text = str(h)
    for i, row in enumerate(rows, start=1):
        for j, c in enumerate(row):
            tab.cell(i, j).text = str(c)
            if best is not None and i - 1 == best:
                tab.cell(i, j).text_frame.paragraphs[0].font.bold = True
    for cell in (tab.cell(i, j) for i in range(len(rows) + 1) for j in range(len(header))):
        for para in cell.text_frame.paragraphs:
            para.font.size = Pt(size)
    return tab


def _text_height(text: str, size: int, width: float) -> float:
    """Inches a wrapped text of ``size`` pt takes in a box ``width`` inches wide (a glyph is
    taken as 0.55 em on average, a line as 1.2 em, plus the box's own margins)."""
    per_line = max(int(width * 72 / (0.55 * size)), 1)
    lines = sum(max(-(-len(par) // per_line), 1) for par in text.split("\n"))
    return lines * size * 1.2 / 72 + 0.2


def _fill_table(
    slide: Any,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    top: float,
    bottom: float,
    best: int | None = None,
) -> Any:
    """A table filling the slide from ``top`` to ``bottom`` (inches): the largest font (9-20 pt)
    at which no body cell wraps and header plus rows fit, the rows then sharing the height (up
    to 1 in each, text centred), so a few options are not a strip above blank space and many
    still fit."""
    colw = 12.5 / len(header) - 0.15
    longest = [max([len(str(r[j])) for r in rows] + [1]) for j in range(len(header))]
    size = int(min([20.0] + [colw * 72 / (0.6 * n) for n in longest]))  # bold: 0.6 em
    while True:
        per_line = max(int(colw * 72 / (0.55 * size)), 1)
        lines = max(-(-len(str(h)) // per_line) for h in header)
        line = size * 1.25 / 72
        head = lines * line + 0.06
        if size <= 9 or head + len(rows) * (line + 0.06) <= bottom - top:
            break
        size -= 1
    row = min((bottom - top - head) / max(len(rows), 1), 1.0)
    tab = _table(slide, header, rows, 0.4, top, 12.5, size=max(size, 9), best=best)
    tab.rows[0].height = Inches(head)
    for r in list(tab.rows)[1:]:
        r.height = Inches(row)
    for cell in (c for r in tab.rows for c in r.cells):
        cell.margin_top = cell.margin_bottom = Inches(0.03)
        cell.vertical_anchor = MSO_ANCHOR.MIDDLE
    return tab


def _picture(slide: Any, png: bytes, left: float, top: float, height: float) -> None:
    slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), height=Inches(height))


def title_slide(prs: Any, title: str, question: str, scenario: str, lang: str) -> None:
    slide = _slide(prs, title)
    _text(slide, question, 1.7, 28, bold=True, height=2.0)
    _text(slide, f"{t('scenario', lang)}: {scenario}", 4.0, 20)
    _text(slide, f"pilkadasim · {F.now_wib(lang)}", 6.5, 14)


def ecdf_chart(
    slide: Any,
    incidents: pd.DataFrame,
    targets: Sequence[float],
    lang: str,
    left: float,
    top: float,
    width: float,
    height: float,
) -> Any:
    """Share of incidents reached by minute: a native XY line chart (editable)."""
    r = np.sort(incidents["response_min"].dropna().to_numpy(dtype=float))
    n_all = max(len(incidents), 1)
    upper = max(2.5 * max(targets), 60.0)
    grid = np.linspace(0, upper, 61)
    data = XyChartData()
    series = data.add_series(t("this_run", lang))
    for x in grid:
        series.add_data_point(float(x), float(np.searchsorted(r, x, side="right") / n_all))
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS,
        Inches(left),
        Inches(top),
        Inches(width),
        Inches(height),
        data,
    )
    chart = frame.chart
    chart.has_legend = False
    chart.value_axis.maximum_scale, chart.value_axis.minimum_scale = 1.0, 0.0
    chart.value_axis.tick_labels.number_format = "0%"
    chart.value_axis.tick_labels.number_format_is_linked = False
    chart.category_axis.maximum_scale, chart.category_axis.minimum_scale = upper, 0.0
    for axis, label in (
        (chart.category_axis, t("ax_response", lang)),
        (chart.value_axis, t("ax_share_reached", lang)),
    ):
        axis.has_title = True
        axis.axis_title.text_frame.text = label
    return chart


def peak_chart(
    slide: Any, table: pd.DataFrame, lang: str, left: float, top: float, width: float, height: float
) -> Any:
    """Busy reserve units by hour, mean day and busy day: a native line chart."""
    rows = table[(table["hour"] >= 6) & (table["hour"] <= 30)]
    sep = "." if lang == "id" else ":"
    data = CategoryChartData()
    data.categories = [f"{h % 24:02d}{sep}00" for h in rows["hour"]]
    data.add_series(
        f"{t('busy_units_short', lang)}, {t('mean_days', lang)}",
        [round(float(v), 2) for v in rows["busy_mean"]],
    )
    data.add_series(
        f"{t('busy_units_short', lang)}, {t('p90_days', lang)}",
        [round(float(v), 2) for v in rows["busy_p90"]],
    )
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.LINE, Inches(left), Inches(top), Inches(width), Inches(height), data
    )
    chart = frame.chart
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    return chart


def key_rows(summary: Mapping[str, Any], lang: str) -> list[list[str]]:
    """The headline numbers: p50/p90 of all and reserve incidents, shares within targets."""
    r, rr = summary["response_min"], summary["reserve_response_min"]
    rows = [
        [
            f"p90 {t('all_incidents', lang).lower()}",
            F.minutes(r["p90"], lang=lang),
            F.interval(r["ci95"]["p90"], lang=lang),
        ],
        [
            f"p90 {t('reserve_incidents', lang).lower()}",
            F.minutes(rr["p90"], lang=lang),
            F.interval(rr["ci95"]["p90"], lang=lang),
        ],
    ]
    for target, w in summary["within_target"].items():
        rows.append(
            [
                t("within", lang, t=target),
                F.pct(w["p"], lang=lang),
                F.interval(w["ci95"], lang=lang, scale=100) + " %",
            ]
        )
    return rows


def assumptions_slide(prs: Any, cfg: Any, lang: str) -> None:
    from pilkadasim.report.assumptions import assumption_rows

    slide = _slide(prs, t("sources_slide", lang))
    rows = [list(r) for r in assumption_rows(cfg, lang)]
    _table(
        slide,
        [t("assumption", lang), t("value", lang), t("source", lang)],
        rows,
        0.4,
        1.3,
        12.5,
        size=10,
    )
    _text(slide, t("assumptions_note", lang), 6.9, 11, height=0.5)


def run_slides(
    path: Path,
    summary: Mapping[str, Any],
    cfg: Any,
    incidents: pd.DataFrame,
    pngs: Mapping[str, bytes],
    places: pd.DataFrame | None,
) -> Path:
    """The deck of one run."""
    from pilkadasim.plotting.demand import peak_demand_table
    from pilkadasim.report.content import headline, question, staffing_rows

    lang = str(cfg.report.lang)
    prs = _deck()
    scenario = f"{cfg.get('experiment_name', 'default')} · " + t(
        "replications", lang, n=summary["replications"], seed=summary["seed"]
    )
    title_slide(prs, t("title", lang), question(cfg, summary, lang), scenario, lang)
    slide = _slide(prs, t("headline", lang))
    _text(slide, headline(summary, lang), 1.3, 20, height=1.8)
    _table(
        slide,
        [t("statistic", lang), t("value", lang), t("ci95", lang)],
        key_rows(summary, lang),
        0.6,
        3.3,
        9.0,
        size=18,
    )
    rows = staffing_rows(summary, cfg, lang)
    if rows:
        slide = _slide(prs, t("staffing_plan", lang))
        _table(
            slide,
            [t("staffing", lang, n=summary["staffing"]["personnel_total"]), t("value", lang)],
            rows,
            0.6,
            1.3,
            6.6,
            size=16,
        )
        st = summary["staffing"]
        data = CategoryChartData()
        data.categories = [
            t("tps_guards", lang),
            t("reserve", lang),
            t("command_and_support", lang),
        ]
        data.add_series(
            t("personnel_short", lang), [st["tps_guards"], st["reserve"], st["command_and_support"]]
        )
        chart = slide.shapes.add_chart(
            XL_CHART_TYPE.PIE, Inches(7.6), Inches(1.3), Inches(5.3), Inches(4.6), data
        ).chart
        chart.has_legend, chart.legend.position = True, XL_LEGEND_POSITION.BOTTOM
        chart.plots[0].has_data_labels = True
        _text(slide, t("guards_slide_note", lang, n=st["personnel_total"]), 6.5, 14, height=0.6)
    slide = _slide(prs, t("response", lang))
    targets = [float(x) for x in cfg.report.targets_min]
    ecdf_chart(slide, incidents, targets, lang, 0.6, 1.3, 8.2, 5.6)
    _table(
        slide,
        [t("statistic", lang), t("value", lang), t("ci95", lang)],
        key_rows(summary, lang),
        9.0,
        1.5,
        4.0,
        size=11,
    )
    slide = _slide(prs, t("places", lang))
    if "kecmap" in pngs:
        _picture(slide, pngs["kecmap"], 0.4, 1.2, 6.0)
    if places is not None and len(places):
        prow = [
            [
                f"{r['desa']} ({r['kecamatan']})" if "desa" in r else str(r["kecamatan"]),
                str(int(r["n"])),
                F.minutes(None if np.isinf(r["p90"]) else r["p90"], lang=lang),
            ]
            for _, r in places.iterrows()
        ]
        _table(
            slide, [t("place", lang), t("n_incidents", lang), "p90"], prow, 6.8, 1.3, 6.1, size=11
        )
    slide = _slide(prs, t("fig:peak", lang).split(":")[0])
    horizon = float(cfg.timeline.get("end_at", 2160))
    peak_chart(
        slide,
        peak_demand_table(incidents, int(summary["replications"]), horizon),
        lang,
        0.6,
        1.3,
        12.1,
        5.8,
    )
    assumptions_slide(prs, cfg, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path


def sweep_slides(
    path: Path,
    cfg: Any,
    question: str,
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    best: int | None,
    recommendation: str,
    p90: Mapping[str, float],
    pngs: Mapping[str, bytes],
    map_name: str,
) -> Path:
    """The deck of a sweep: the recommendation, the options ranked, the map, the sources."""
    lang = str(cfg.report.lang)
    prs = _deck()
    title_slide(
        prs,
        t("sweep_title", lang),
        question,
        f"{cfg.get('experiment_name', '')} · {len(rows)} {t('option', lang).lower()}",
        lang,
    )
    slide = _slide(prs, t("recommendation", lang))
    said = _text_height(recommendation, 20, 12.1)
    _text(slide, recommendation, 1.3, 20, height=said)
    _fill_table(slide, header, rows, 1.3 + said + 0.1, 7.2, best=best)
    if "tornado" in pngs:  # a sensitivity study: its cases are not options to rank
        slide = _slide(prs, t("tornado_slide", lang))
        _picture(slide, pngs["tornado"], 0.9, 1.2, 6.0)
    else:
        _ranked_chart(prs, p90, lang)
    pic = pngs.get("kecmap") or pngs.get("map")
    if pic:
        slide = _slide(prs, t("places", lang))
        _picture(slide, pic, 0.5, 1.2, 6.1)
        _text(slide, t("map_shows", lang, name=map_name), 1.4, 18, left=7.0, width=5.8)
    assumptions_slide(prs, cfg, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    prs.save(str(path))
    return path


def _ranked_chart(prs: Any, p90: Mapping[str, float], lang: str) -> None:
    """A slide with the options as bars of their p90, fastest first."""
    slide = _slide(prs, t("ranked_options", lang))
    ranked = sorted(p90.items(), key=lambda kv: (np.isnan(kv[1]), kv[1]))
    data = CategoryChartData()
    data.categories = [k for k, _ in ranked]
    data.add_series("p90", [None if np.isnan(v) else round(float(v), 1) for _, v in ranked])
    chart = slide.shapes.add_chart(
        XL_CHART_TYPE.BAR_CLUSTERED, Inches(0.6), Inches(1.3), Inches(12.1), Inches(5.8), data
    ).chart
    chart.has_legend = False
    chart.plots[0].has_data_labels = True
    chart.value_axis.has_title = True
    chart.value_axis.axis_title.text_frame.text = t("ax_p90", lang)


__all__ = ["Emu", "run_slides", "sweep_slides"]
