"""Figures and HTML report of an aggregated sweep (see :mod:`pilkadasim.sweep`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from pilkadasim.report.labels import t

if TYPE_CHECKING:
    from pilkadasim.sweep import Job


def point_label(row: pd.Series, facs: list[str], lang: str) -> str:
    return ", ".join(f"{t(f'short:{f}', lang)} {row[f]}" for f in facs) or str(row["job"])


def sweep_figures(
    jobs: list[Job],
    table: pd.DataFrame,
    facs: list[str],
    decision: dict[str, Any] | None,
    lang: str,
) -> dict[str, Any]:
    from pilkadasim.outputs import region_of, tps_response
    from pilkadasim.plotting import figures as F

    cfg = jobs[0].cfg
    figs: dict[str, Any] = {}
    if decision is not None:
        figs["curve"] = F.staffing_curve(
            table,
            decision["factor"],
            decision["target_min"],
            decision["goal"],
            lang,
            decision["metric"],
            decision["value"],
        )
    incidents = {
        point_label(row, facs, lang): pd.read_parquet(job.path / "incidents.parquet")
        for job, (_, row) in zip(jobs, table.iterrows(), strict=True)
    }
    figs["ecdf"] = F.response_ecdf(incidents, [float(x) for x in cfg.report.targets_min], lang)
    pick = 0 if decision is None or decision["row"] is None else int(decision["row"])
    job = jobs[pick]
    region = region_of(job.cfg)
    inc = incidents[point_label(table.iloc[pick], facs, lang)]
    figs["map"] = F.region_map(
        tps_response(inc, region), region.outlines, region.bases, "p90", lang
    )
    return figs


def recommendation_text(decision: dict[str, Any] | None, table: pd.DataFrame, lang: str) -> str:
    if decision is None:
        metric = "response_min"
        best = table[f"{metric}.p90"].idxmin()
        row = table.loc[best]
        return t(
            "sweep_best",
            lang,
            job=row["job"],
            p90=f"{row[f'{metric}.p90']:.1f}",
            lo=f"{row[f'{metric}.p90.lo']:.1f}",
            hi=f"{row[f'{metric}.p90.hi']:.1f}",
        )
    if decision["value"] is None:
        return t("rec_none", lang, t=f"{decision['target_min']:g}")
    lo, hi = decision["p90_ci"]
    text = t(
        "rec_value",
        lang,
        n=decision["value"],
        t=f"{decision['target_min']:g}",
        p90=f"{decision['p90']:.1f}",
        lo=f"{lo:.1f}",
        hi=f"{hi:.1f}",
    )
    factor, metric = decision["factor"], decision["metric"]
    last = table.loc[pd.to_numeric(table[factor]).idxmax()]
    if last[factor] != decision["value"] and lo <= last[f"{metric}.p90"] <= hi:
        text += " " + t(
            "rec_plateau",
            lang,
            n=decision["value"],
            m=last[factor],
            p90=f"{last[f'{metric}.p90']:.1f}",
        )
    return text


def report_rows(table: pd.DataFrame, facs: list[str], cfg: Any) -> list[list[str]]:
    metric = str(cfg.report.decision_metric)
    target = float(cfg.report.decision_target_min)
    within = metric.replace("response_min", "within_target") + f".{target:g}"
    rows = []
    for _, r in table.iterrows():

        def ci(key: str, scale: float = 1.0, row: pd.Series = r) -> str:
            lo, hi = row.get(f"{key}.lo"), row.get(f"{key}.hi")
            if lo is None or pd.isna(lo):
                return "–"
            return f"{scale * lo:.1f} – {scale * hi:.1f}"

        rows.append(
            [
                *(str(r[f]) for f in facs),
                f"{r[f'{metric}.p90']:.1f}",
                ci(f"{metric}.p90"),
                f"{100 * r[within]:.0f} %",
                ci(within, 100),
                "–" if pd.isna(r[f"delta.{metric}.p90"]) else f"{r[f'delta.{metric}.p90']:+.1f}",
                ci(f"delta.{metric}.p90"),
                f"{100 * r['utilization.mean']:.1f} %",
            ]
        )
    return rows


def write_sweep_outputs(
    sweep_dir: Path,
    jobs: list[Job],
    table: pd.DataFrame,
    facs: list[str],
    decision: dict[str, Any] | None,
    command: str,
    rec: dict[str, Any] | None = None,
) -> None:
    from pilkadasim.outputs import save_figures
    from pilkadasim.report.html import sweep_report, write_report
    from pilkadasim.report.recommendation import headline

    cfg = jobs[0].cfg
    lang = str(cfg.report.lang)
    pngs = save_figures(sweep_figures(jobs, table, facs, decision, lang), sweep_dir / "figures")
    if not cfg.report.html:
        return
    target = float(cfg.report.decision_target_min)
    header = [
        *(t(f"factor:{f}", lang) for f in facs),
        "p90",
        t("ci95", lang),
        t("within", lang, t=f"{target:g}"),
        t("ci95", lang),
        t("delta_p90", lang),
        t("ci95", lang),
        t("utilization_short", lang),
    ]
    best = None if decision is None else decision["row"]
    text = sweep_report(
        str(cfg.get("question", "")),
        header,
        report_rows(table, facs, cfg),
        best,
        headline(rec, lang) if rec else recommendation_text(decision, table, lang),
        pngs,
        cfg,
        lang,
        command,
    )
    write_report(sweep_dir / "report.html", text)
