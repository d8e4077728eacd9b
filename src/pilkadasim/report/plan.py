"""The section "Rencana penempatan" (staging plan) of an optimise run, in report.html and as a
slide of slides.pptx: the plan map, the teams that move (from base → to base) and the
improvement over the current plan with its paired 95 % interval. Both are built from
``optimise.json`` (the ``result`` dict) alone, so report and deck say the same.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pilkadasim.report import fmt as F

MAX_ROWS = 14  # moved teams listed on the slide (at 10 pt, 0.26 in a row)

TEXT: dict[str, dict[str, str]] = {
    "id": {
        "head": "Rencana penempatan",
        "finding": "Rencana terbaik: {metric} = {best} ({bci}); rencana sekarang {base} ({basec}). "
        "Perbaikan berpasangan (bilangan acak bersama) {imp} ({impc}); terhadap awal model "
        "cakupan MEXCLP {imps} ({impsc}). {pcs} {ev} penilaian (rencana × blok hari) dalam "
        "{sec} detik.",
        "pcs": "Peluang pilihan benar ≥ {pcs} bila yang terbaik unggul ≥ {delta} (KN selesai).",
        "no_pcs": "Seleksi KN dihentikan di batas optimise.max_batches sebelum aturan hentinya: "
        "peluang pilihan benar tidak dijamin.",
        "same": " Perbaikan terhadap rencana sekarang tidak terbukti (selang memuat 0): "
        "perpindahan tim tidak diperlukan untuk metrik ini.",
        "none_moved": "Tidak ada tim yang dipindah: rencana sekarang sudah yang terbaik.",
        "moved": "{n} dari {total} tim dipindah.",
        "new": "Di antaranya {n} tim baru (dari –): rencana ini membagi personel berbeda.",
        "imp": "Perbaikan {metric}: {imp} ({impc})",
        "imp_start": "Terhadap awal MEXCLP: {imps} ({impsc})",
        "fig": "Peta rencana: tim per markas/pos, panah dari rencana sekarang.",
    },
    "en": {
        "head": "Staging plan",
        "finding": "Best plan: {metric} = {best} ({bci}); current plan {base} ({basec}). "
        "Paired improvement (common random numbers) {imp} ({impc}); over the MEXCLP "
        "coverage-model start {imps} ({impsc}). {pcs} {ev} evaluations (plan × block of days) "
        "in {sec} s.",
        "pcs": "P(correct selection) ≥ {pcs} when the best is better by ≥ {delta} (KN finished).",
        "no_pcs": "The KN selection was cut short at optimise.max_batches before its stopping "
        "rule: no probability of correct selection is guaranteed.",
        "same": " The improvement over the current plan is not shown (its interval contains 0): "
        "moving teams is not needed for this metric.",
        "none_moved": "No team moves: the current plan is already the best.",
        "moved": "{n} of {total} teams move.",
        "new": "Of these, {n} are new teams (from –): this plan splits the personnel differently.",
        "imp": "Improvement in {metric}: {imp} ({impc})",
        "imp_start": "Over the MEXCLP start: {imps} ({impsc})",
        "fig": "Plan map: teams per base/post, arrows from the current plan.",
    },
}


COLS = {"id": ("Tim", "Dari markas", "Ke markas"), "en": ("Team", "From base", "To base")}


def value(x: float | None, unit: str, lang: str) -> str:
    """A metric value (or difference) in its unit: minutes, a share or a count."""
    if unit == "share":
        return F.pct(x, 1, lang)
    if unit == "count":
        return F.num(x, 1, lang)
    return F.minutes(x, 2, lang) + " min"


def interval(ci: Sequence[float | None] | None, unit: str, lang: str) -> str:
    from pilkadasim.report.labels import t

    if ci is None:
        return "–"
    if unit == "share":
        return f"{t('ci95_short', lang)} {F.interval(ci, 1, lang, scale=100)} %"
    return f"{t('ci95_short', lang)} {F.interval(ci, 2 if unit == 'minutes' else 1, lang)}"


def _parts(r: Mapping[str, Any], lang: str) -> dict[str, Any]:
    unit = str(r.get("unit", "minutes"))
    tx = TEXT[lang]
    pcs = (
        tx["no_pcs"]
        if r["pcs"] is None
        else tx["pcs"].format(pcs=F.num(r["pcs"], 2, lang), delta=value(r["delta"], unit, lang))
    )
    return {
        "metric": r["metric"],
        "best": value(r["best"]["value"], unit, lang),
        "bci": interval(r["best"]["ci95"], unit, lang),
        "base": value(r["baseline"]["value"], unit, lang),
        "basec": interval(r["baseline"]["ci95"], unit, lang),
        "imp": value(r["improvement"]["value"], unit, lang),
        "impc": interval(r["improvement"]["ci95"], unit, lang),
        "imps": value(r["improvement_over_start"]["value"], unit, lang),
        "impsc": interval(r["improvement_over_start"]["ci95"], unit, lang),
        "pcs": pcs,
        "ev": F.num(r["evaluations"], 0, lang),
        "sec": F.num(r["seconds"], 0, lang),
    }


def shown(r: Mapping[str, Any]) -> bool:
    """The improvement over the current plan is significant (its interval is above 0)."""
    ci = r["improvement"]["ci95"]
    return ci is not None and ci[0] is not None and ci[0] > 0


def finding(r: Mapping[str, Any], lang: str) -> str:
    text = TEXT[lang]["finding"].format(**_parts(r, lang))
    return text if shown(r) else text + TEXT[lang]["same"]


def moved_rows(r: Mapping[str, Any]) -> list[list[str]]:
    """``[unit, from base, to base]`` of every team the plan moves (``optimise.json`` moves);
    from "–" for a team the current plan does not have (``optimise.split``: more teams)."""
    return [[str(m["unit_id"]), str(m["from"] or "–"), str(m["to"])] for m in r["moves"]]


def moved_text(r: Mapping[str, Any], lang: str) -> str:
    rows = moved_rows(r)
    text = TEXT[lang]["moved"].format(n=len(rows), total=r["teams"])
    new = sum(1 for m in r["moves"] if m["from"] is None)
    return text + (" " + TEXT[lang]["new"].format(n=new) if new else "")


def section_html(r: Mapping[str, Any], png: bytes | None, lang: str) -> str:
    tx = TEXT[lang]
    head = "".join(f"<th>{html.escape(c)}</th>" for c in COLS[lang])
    rows = moved_rows(r)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    table = f"<table><tr>{head}</tr>{body}</table>" if rows else f"<p>{tx['none_moved']}</p>"
    moved = moved_text(r, lang) if rows else ""
    fig = ""
    if png is not None:
        data = base64.b64encode(png).decode()
        fig = (
            f'<figure><img src="data:image/png;base64,{data}" alt="plan">'
            f"<figcaption>{tx['fig']}</figcaption></figure>"
        )
    return (
        f'<h2>{tx["head"]}</h2><p class="finding">{html.escape(finding(r, lang))}</p>'
        f"<p>{moved}</p>{table}{fig}"
    )


def add_plan_slide(path: Path, r: Mapping[str, Any], png: bytes | None, lang: str) -> Path:
    """Add the slide "Rencana penempatan" to the deck at ``path``, right after the title."""
    from pptx import Presentation
    from pptx.util import Inches

    from pilkadasim.report.slides import _slide, _table, _text

    prs = Presentation(str(path))
    tx, p = TEXT[lang], _parts(r, lang)
    slide = _slide(prs, tx["head"])
    left = 0.4
    if png is not None:  # the map: 5.9 in high, or 6.4 in wide if it is wider than tall
        pic = slide.shapes.add_picture(io.BytesIO(png), Inches(0.4), Inches(1.2))
        scale = min(Inches(5.9) / pic.height, Inches(6.4) / pic.width)
        pic.width, pic.height = int(pic.width * scale), int(pic.height * scale)
        left = 7.0
    width = 13.333 - left - 0.4
    lines = [tx["imp"].format(**p), tx["imp_start"].format(**p), p["pcs"]]
    _text(slide, "\n".join(lines), 1.2, 14, left=left, width=width, height=1.6)
    rows = moved_rows(r)
    if rows:
        _text(slide, moved_text(r, lang), 2.85, 11, left, width, 0.5)  # up to two lines
        if len(rows) > MAX_ROWS:  # the rest are in the report and plan.csv
            rows = [*rows[: MAX_ROWS - 1], [f"… (+{len(rows) - MAX_ROWS + 1})", "", ""]]
        tab = _table(slide, COLS[lang], rows, left, 3.35, width, size=12 if len(rows) <= 9 else 10)
        for row in tab.rows:  # header and rows fit between 3.35 in and 7.3 in
            row.height = Inches(min(0.4, 3.95 / (len(rows) + 1)))
    else:
        _text(slide, tx["none_moved"], 2.9, 14, left=left, width=width, height=0.6)
    ids = prs.slides._sldIdLst  # move the new slide to position 2, after the title
    new = list(ids)[-1]
    ids.remove(new)
    ids.insert(1, new)
    prs.save(str(path))
    return path
