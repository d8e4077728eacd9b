"""Self-contained HTML reports (figures embedded), one per run and one per sweep.

Written for the rakor screen and for print on A4: the question first, then the key table and
the recommendation with its confidence, the figures, the assumptions with their sources
(docs/sources.md), and the exact command that reproduces the numbers. Labels in ``id`` or
``en``; numbers and WIB clock times as :mod:`pilkadasim.report.fmt` writes them.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pilkadasim.report import fmt as F
from pilkadasim.report.labels import t

CSS = """
body { font-family: "DejaVu Sans", Arial, sans-serif; max-width: 1000px; margin: 2em auto;
       color: #1a1a1a; line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.7em; margin-bottom: 0.2em; } h2 { border-bottom: 2px solid #1f3b73;
     padding-bottom: 0.15em; margin-top: 1.6em; }
.question { font-size: 1.2em; background: #eef3fb; border-left: 5px solid #1f3b73;
            padding: 0.6em 1em; }
.finding { font-size: 1.15em; background: #fff6e0; border-left: 5px solid #e6a100;
           padding: 0.6em 1em; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.95em; }
th, td { border: 1px solid #bbb; padding: 0.3em 0.7em; text-align: right; }
th:first-child, td:first-child { text-align: left; }
table.words td { text-align: left; }
th { background: #1f3b73; color: white; }
tr.best td { background: #e5f5e0; font-weight: bold; }
figure { margin: 1.2em 0; page-break-inside: avoid; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; }
code, pre { background: #f4f4f4; padding: 0.15em 0.35em; font-size: 0.9em; white-space: pre-wrap;
            word-break: break-all; }
.meta { color: #666; font-size: 0.9em; }
.cols { display: grid; grid-template-columns: 1fr 1fr; gap: 0 2em; align-items: start; }
.figs { display: grid; grid-template-columns: 1fr 1fr; gap: 0 1em; }
@page { size: A4; margin: 12mm; }
@media print { body { max-width: none; margin: 0; font-size: 9pt; line-height: 1.3; }
  h1 { font-size: 1.5em; } h2 { margin-top: 0.8em; font-size: 1.2em; page-break-after: avoid; }
  table { margin: 0.4em 0; } th, td { padding: 0.15em 0.45em; }
  figure { margin: 0.3em 0; } table, figure, .end { page-break-inside: avoid; }
  figure img { display: block; max-height: 45mm; max-width: 100%; width: auto; margin: 0 auto; }
  figcaption { font-size: 0.85em; line-height: 1.2; }
  table.words { font-size: 0.9em; } .cols > div > h2 { margin-top: 0.5em; }
  .question, .finding { padding: 0.3em 0.8em; } }
@media screen and (max-width: 800px) { .cols, .figs { grid-template-columns: 1fr; } }
"""


def img_tag(png: bytes, caption: str) -> str:
    data = base64.b64encode(png).decode()
    return (
        f'<figure><img alt="{html.escape(caption)}" src="data:image/png;base64,{data}">'
        f"<figcaption>{html.escape(caption)}</figcaption></figure>"
    )


def table(header: Sequence[str], rows: Sequence[Sequence[Any]], best: int | None = None) -> str:
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
    body = []
    for i, row in enumerate(rows):
        cls = ' class="best"' if i == best else ""
        body.append(
            f"<tr{cls}>" + "".join(f"<td>{html.escape(str(c))}</td>" for c in row) + "</tr>"
        )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def page(title: str, body: Sequence[str], lang: str) -> str:
    stamp = F.now_wib(lang)
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title><style>{CSS}</style></head><body>"
        f'<h1>{html.escape(title)}</h1><p class="meta">pilkadasim · {stamp}</p>'
        + "".join(body)
        + "</body></html>"
    )


def summary_rows(summary: Mapping[str, Any], lang: str) -> list[list[str]]:
    r, rr = summary["response_min"], summary["reserve_response_min"]
    rows = []
    for stat, label in (("mean", t("mean", lang)), ("p50", "p50"), ("p90", "p90"), ("p95", "p95")):
        rows.append(
            [
                label,
                F.minutes(r[stat], lang=lang),
                F.interval(r["ci95"][stat], lang=lang),
                F.minutes(rr[stat], lang=lang),
                F.interval(rr["ci95"][stat], lang=lang),
            ]
        )
    for target, w in summary["within_target"].items():
        w2 = summary["reserve_within_target"][target]
        rows.append(
            [
                t("within", lang, t=target),
                F.pct(w["p"], lang=lang),
                F.interval(w["ci95"], lang=lang, scale=100) + " %",
                F.pct(w2["p"], lang=lang),
                F.interval(w2["ci95"], lang=lang, scale=100) + " %",
            ]
        )
    return rows


def breakdown_rows(block: Mapping[str, Any], lang: str) -> tuple[list[str], list[list[str]]]:
    within = next((k for r in block.values() for k in r if k.startswith("within_")), "within_30")
    header = [
        t("group", lang),
        t("per_day", lang),
        "p50",
        "p90",
        t("within", lang, t=within.split("_", 1)[1]),
    ]
    rows = [
        [
            t(name, lang),
            F.num(r["incidents_per_day"], 2, lang),
            F.minutes(r["p50"], lang=lang),
            F.minutes(r["p90"], lang=lang),
            F.pct(r[within], 0, lang),
        ]
        for name, r in block.items()
    ]
    return header, rows


def assumptions_html(cfg: Any, lang: str) -> str:
    from pilkadasim.report.assumptions import assumption_rows

    rows = [list(r) for r in assumption_rows(cfg, lang)]
    return (
        "<h2>"
        + t("assumptions", lang)
        + "</h2>"
        + table([t("assumption", lang), t("value", lang), t("source", lang)], rows).replace(
            "<table>", '<table class="words">', 1
        )
        + f"<p>{t('assumptions_note', lang)}</p>"
    )


def staffing_html(summary: Mapping[str, Any], cfg: Any, lang: str) -> str:
    from pilkadasim.report.content import staffing_rows

    rows = staffing_rows(summary, cfg, lang)
    if not rows:
        return ""
    n = summary["staffing"]["personnel_total"]
    return table([t("staffing", lang, n=n), t("value", lang)], rows)


def places_html(places: Any, lang: str) -> str:
    """The ten slowest desa (reserve incidents), with n and the 95% interval."""
    from pilkadasim.report.places import PLACE_MIN

    if places is None or not len(places):
        return ""
    rows = [
        [
            f"{r['desa']} ({r['kecamatan']})" if "desa" in r else str(r["kecamatan"]),
            str(int(r["n"])),
            F.minutes(None if r["p90"] == float("inf") else r["p90"], lang=lang),
            F.interval([r["lo"], None if r["hi"] == float("inf") else r["hi"]], lang=lang)
            if r["hi"] == r["hi"]
            else f"{F.num(r['lo'], 1, lang)} – {t('upper_unknown', lang)}",
        ]
        for _, r in places.iterrows()
    ]
    head = [t("place", lang), t("n_incidents", lang), "p90", t("ci95", lang)]
    note = t("places_note", lang, m=PLACE_MIN)
    return f"<h2>{t('places', lang)}</h2><p>{note}</p>" + table(head, rows)


def run_report(
    summary: Mapping[str, Any],
    cfg: Any,
    figures: Mapping[str, bytes],
    lang: str,
    command: str,
    places: Any = None,
) -> str:
    """The report of one run."""
    from pilkadasim.report.content import headline, question

    ipd, u = summary["incidents_per_day"], summary["utilization"]
    cat_h, cat_rows = breakdown_rows(summary["by_category"], lang)
    kec_h, kec_rows = breakdown_rows(summary["by_kecamatan"], lang)
    body = [
        f'<p class="question">{html.escape(question(cfg, summary, lang))}</p>',
        f'<p class="finding">{html.escape(headline(summary, lang))}</p>',
        f'<p class="meta">{html.escape(t("p90_explain", lang))}</p>',
        *operation_note(cfg, lang),
        '<div class="cols"><div>',
        "<h2>" + t("key_table", lang) + "</h2>",
        table(
            [
                t("statistic", lang),
                t("all_incidents", lang),
                t("ci95", lang),
                t("reserve_incidents", lang),
                t("ci95", lang),
            ],
            summary_rows(summary, lang),
        ),
        f"<p>{t('incidents_per_day', lang)}: {F.num(ipd['mean'], 2, lang)} "
        f"({F.interval(ipd['ci95'], 2, lang)}); {t('utilization', lang)}: "
        f"{F.pct(u['mean'], lang=lang)} / {F.pct(u['max'], lang=lang)}</p>",
        "</div><div>",
        "<h2>" + t("staffing_plan", lang) + "</h2>",
        staffing_html(summary, cfg, lang),
        "</div></div>",
        "<h2>" + t("figures", lang) + "</h2>",
        '<div class="figs">',
        *(img_tag(png, t(f"fig:{name}", lang)) for name, png in figures.items()),
        "</div>",
        places_html(places, lang),
        '<div class="cols"><div>',
        "<h2>" + t("by_category", lang) + "</h2>",
        table(cat_h, cat_rows),
        "</div><div>",
        "<h2>" + t("by_kecamatan", lang) + "</h2>",
        table(kec_h, kec_rows),
        "</div></div>",
        assumptions_html(cfg, lang),
        '<div class="end"><h2>' + t("reproduce", lang) + "</h2>",
        f"<pre>{html.escape(command)}</pre>",
        f'<p class="meta">config_hash {summary["provenance"]["config_hash"]} · pilkadasim '
        f"{summary['provenance']['version']} · seed {summary['seed']}</p></div>",
    ]
    return page(t("title", lang), body, lang)


def operation_note(cfg: Any, lang: str) -> list[str]:
    """Under ``timeline=operation`` a replication is the whole operation: said at the top."""
    timeline = getattr(cfg, "timeline", None)
    if timeline is None or str(timeline.get("mode", "")) != "operation":
        return []
    return [f'<p class="meta"><b>{html.escape(t("operation_note", lang))}</b></p>']


def sweep_report(
    question: str,
    table_header: Sequence[str],
    table_rows: Sequence[Sequence[Any]],
    best_row: int | None,
    recommendation: str,
    figures: Mapping[str, bytes],
    cfg: Any,
    lang: str,
    command: str,
    reference: str = "",
) -> str:
    """The report of a sweep: the comparison table, the recommendation and the figures."""
    body = [
        f'<p class="question">{html.escape(question)}</p>',
        f'<p class="finding">{html.escape(recommendation)}</p>',
        "<h2>" + t("key_table", lang) + "</h2>",
        table(table_header, table_rows, best=best_row),
        f"<p>{t('paired_note', lang, ref=reference)}</p>",
        "<h2>" + t("figures", lang) + "</h2>",
        *(img_tag(png, t(f"fig:{name}", lang)) for name, png in figures.items()),
        assumptions_html(cfg, lang),
        "<h2>" + t("reproduce", lang) + "</h2>",
        f"<pre>{html.escape(command)}</pre>",
    ]
    return page(t("sweep_title", lang), body, lang)


def write_report(path: Path, text: str) -> Path:
    from pilkadasim.report.io import write_text

    return write_text(path, text)
