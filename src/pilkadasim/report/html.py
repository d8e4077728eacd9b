"""Self-contained HTML reports (figures embedded), one per run and one per sweep.

Written for the rakor screen and for print on A4: the question first, then the key table and
the recommendation with its confidence, the figures, the assumptions with their FACTS.md
sources, and the exact command that reproduces the numbers. Labels in ``id`` or ``en``.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pilkadasim.report.labels import percentile_text, t

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
th { background: #1f3b73; color: white; }
tr.best td { background: #e5f5e0; font-weight: bold; }
figure { margin: 1.2em 0; page-break-inside: avoid; }
figure img { max-width: 100%; border: 1px solid #ddd; }
figcaption { font-size: 0.9em; color: #555; }
code, pre { background: #f4f4f4; padding: 0.15em 0.35em; font-size: 0.9em; white-space: pre-wrap;
            word-break: break-all; }
.meta { color: #666; font-size: 0.9em; }
@page { size: A4; margin: 14mm; }
@media print { body { max-width: none; margin: 0; font-size: 10.5pt; }
  h2 { page-break-after: avoid; } table, figure { page-break-inside: avoid; } }
"""

# Key assumptions: (label, config key, FACTS.md source). Values are read from the config.
ASSUMPTIONS: Sequence[tuple[str, str, str]] = (
    (
        "assume_personnel",
        "staffing.personnel_total",
        "source article (rakor Polres Bangka); FACTS §0 [S]",
    ),
    ("assume_pattern", "staffing.guard_pattern", "FACTS §2, §7 [S]/[E]"),
    ("assume_reserve", "staffing.reserve_units", "FACTS §2, §6 [E]"),
    ("assume_placement", "staffing.placement", "FACTS §2 [E]"),
    ("assume_voting", "timeline.close_at", "PKPU 17/2024, FACTS §1b [S]"),
    ("assume_late", "timeline.late_open_probability", "Bawaslu Pilkada 2024, FACTS §4 [S/D]"),
    ("assume_counting", "timeline.counting_min", "FACTS §1b, §7 [E]"),
    ("assume_rates", "incidents.category_factor", "FACTS §4 [E]"),
    ("assume_rate_scale", "incidents.rate_scale", "tension scenario [E]"),
    ("assume_escalation", "incidents.escalation", "[E]"),
    ("assume_travel", "travel.speed_kmh", "FACTS §5 [E]"),
    ("assume_rain", "travel.rain_probability", "BMKG / climate, FACTS §5 [S]/[E]"),
    ("assume_dispatch", "dispatch.policy", "DESIGN §2"),
)


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


def fmt(x: Any, digits: int = 1) -> str:
    return "–" if x is None else f"{x:.{digits}f}"


def fmt_ci(ci: Sequence[float] | None, digits: int = 1, scale: float = 1.0) -> str:
    return "–" if not ci else f"{scale * ci[0]:.{digits}f} – {scale * ci[1]:.{digits}f}"


def page(title: str, body: Sequence[str], lang: str) -> str:
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
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
        show = fmt if stat == "mean" else lambda x: percentile_text(x, lang)
        ci, rci = fmt_ci(r["ci95"][stat]), fmt_ci(rr["ci95"][stat])
        rows.append([label, show(r[stat]), ci, show(rr[stat]), rci])
    for target, w in summary["within_target"].items():
        w2 = summary["reserve_within_target"][target]
        rows.append(
            [
                t("within", lang, t=target),
                f"{fmt(100 * w['p'] if w['p'] is not None else None)} %",
                f"{fmt_ci(w['ci95'], scale=100)} %",
                f"{fmt(100 * w2['p'] if w2['p'] is not None else None)} %",
                f"{fmt_ci(w2['ci95'], scale=100)} %",
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
            fmt(r["incidents_per_day"], 2),
            percentile_text(r["p50"], lang),
            percentile_text(r["p90"], lang),
            f"{100 * r[within]:.0f} %",
        ]
        for name, r in block.items()
    ]
    return header, rows


def assumptions_html(cfg: Mapping[str, Any], lang: str) -> str:
    from omegaconf import OmegaConf

    rows = []
    for label, key, source in ASSUMPTIONS:
        value = OmegaConf.select(cfg, key) if hasattr(cfg, "_get_node") else None
        if value is not None and not isinstance(value, str | int | float):
            value = OmegaConf.to_container(value) if hasattr(value, "_get_node") else value
        rows.append([t(label, lang), str(value), source])
    return (
        "<h2>"
        + t("assumptions", lang)
        + "</h2>"
        + table([t("assumption", lang), t("value", lang), t("source", lang)], rows)
        + f"<p>{t('assumptions_note', lang)}</p>"
    )


def run_report(
    summary: Mapping[str, Any], cfg: Any, figures: Mapping[str, bytes], lang: str, command: str
) -> str:
    """The report of one run."""
    w = summary["within_target"]
    big = max(w, key=float)
    r = summary["response_min"]
    finding = t(
        "run_finding",
        lang,
        p=fmt(100 * (w[big]["p"] or 0)),
        ci=fmt_ci(w[big]["ci95"], scale=100),
        t=big,
        p90=percentile_text(r["p90"], lang),
        p90ci=fmt_ci(r["ci95"]["p90"]),
        n=summary["replications"],
    )
    st = summary.get("staffing") or {}
    staff = ""
    if st:
        staff = table(
            [t("staffing", lang, n=st["personnel_total"]), t("value", lang)],
            [
                [t("tps_guards", lang), st["tps_guards"]],
                [t("reserve", lang), st["reserve"]],
                [t("command_and_support", lang), st["command_and_support"]],
                [t("over_budget", lang), st.get("over_budget", 0)],
                [t("partner", lang), st["partner_personnel"]],
            ],
        )
    cat_h, cat_rows = breakdown_rows(summary["by_category"], lang)
    kec_h, kec_rows = breakdown_rows(summary["by_kecamatan"], lang)
    body = [
        f'<p class="question">{html.escape(str(cfg.get("question", "")))}</p>',
        f'<p class="finding">{html.escape(finding)}</p>',
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
        f"<p>{t('incidents_per_day', lang)}: {fmt(summary['incidents_per_day']['mean'], 2)} "
        f"({fmt_ci(summary['incidents_per_day']['ci95'], 2)}); {t('utilization', lang)}: "
        f"{fmt(100 * (summary['utilization']['mean'] or 0))} % / "
        f"{fmt(100 * (summary['utilization']['max'] or 0))} %</p>",
        staff,
        "<h2>" + t("figures", lang) + "</h2>",
        *(img_tag(png, t(f"fig:{name}", lang)) for name, png in figures.items()),
        "<h2>" + t("by_category", lang) + "</h2>",
        table(cat_h, cat_rows),
        "<h2>" + t("by_kecamatan", lang) + "</h2>",
        table(kec_h, kec_rows),
        assumptions_html(cfg, lang),
        "<h2>" + t("reproduce", lang) + "</h2>",
        f"<pre>{html.escape(command)}</pre>",
        f'<p class="meta">config_hash {summary["provenance"]["config_hash"]} · pilkadasim '
        f"{summary['provenance']['version']} · seed {summary['seed']}</p>",
    ]
    return page(t("title", lang), body, lang)


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
) -> str:
    """The report of a sweep: the comparison table, the recommendation and the figures."""
    body = [
        f'<p class="question">{html.escape(question)}</p>',
        f'<p class="finding">{html.escape(recommendation)}</p>',
        "<h2>" + t("key_table", lang) + "</h2>",
        table(table_header, table_rows, best=best_row),
        f"<p>{t('paired_note', lang)}</p>",
        "<h2>" + t("figures", lang) + "</h2>",
        *(img_tag(png, t(f"fig:{name}", lang)) for name, png in figures.items()),
        assumptions_html(cfg, lang),
        "<h2>" + t("reproduce", lang) + "</h2>",
        f"<pre>{html.escape(command)}</pre>",
    ]
    return page(t("sweep_title", lang), body, lang)


def write_report(path: Path, text: str) -> Path:
    from pilkadasim.io import write_text

    return write_text(path, text)
