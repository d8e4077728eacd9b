"""Figures and HTML report of an aggregated sweep (see :mod:`pilkadasim.sweep.aggregate`)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import pandas as pd
from omegaconf import DictConfig

from pilkadasim.report.labels import t


class Job(Protocol):
    """What the sweep report reads of a job (:class:`pilkadasim.sweep.aggregate.Job`)."""

    @property
    def path(self) -> Path: ...
    @property
    def cfg(self) -> DictConfig: ...


def point_label(row: pd.Series, facs: list[str], lang: str) -> str:
    """An option's name in words ("cadangan 8", "pola lean"); the job number only as a last
    resort (no varying factor)."""
    from pilkadasim.report.recommendation import option_name

    return ", ".join(option_name(f, row[f], lang) for f in facs) or str(row["job"])


def budget(row: pd.Series, total: int, lang: str) -> str:
    over = row.get("staffing.over_budget")
    if over is None or pd.isna(over) or int(over) <= 0:
        return t("budget_ok", lang)
    return t("budget_over", lang, n=int(over))


def sweep_figures(
    jobs: Sequence[Job],
    table: pd.DataFrame,
    facs: list[str],
    decision: dict[str, Any] | None,
    lang: str,
) -> dict[str, Any]:
    from pilkadasim.plotting import figures as F
    from pilkadasim.report.run import region_of, tps_response

    cfg = jobs[0].cfg
    figs: dict[str, Any] = {}
    if facs == ["sensitivity"]:
        from pilkadasim.report.sensitivity import tornado_figure

        tornado = tornado_figure(table, cfg, lang)
        if tornado is not None:
            figs["tornado"] = tornado
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
    targets = [float(x) for x in cfg.report.targets_min]
    figs["ecdf"] = F.response_ecdf(incidents, targets, lang, best=facs != ["sensitivity"])
    pick = map_pick(table, decision)
    region = region_of(jobs[pick].cfg)
    name = point_label(table.iloc[pick], facs, lang)
    inc = incidents[name]
    if region.outlines:
        from pilkadasim.plotting.demand import kecamatan_map

        figs["kecmap"] = kecamatan_map(inc, region.outlines, region.bases, lang, scenario=name)
    else:
        figs["map"] = F.region_map(
            tps_response(inc, region), region.outlines, region.bases, "p90", lang
        )
    return figs


def recommendation_text(
    decision: dict[str, Any] | None, table: pd.DataFrame, lang: str, facs: list[str] | None = None
) -> str:
    from pilkadasim.report import fmt as F

    if decision is None:
        metric = "response_min"
        best = table[f"{metric}.p90"].idxmin()
        row = table.loc[best]
        return t(
            "sweep_best",
            lang,
            name=point_label(row, facs or [], lang),
            p90=F.minutes(row[f"{metric}.p90"], lang=lang),
            lo=F.minutes(row[f"{metric}.p90.lo"], lang=lang),
            hi=F.minutes(row[f"{metric}.p90.hi"], lang=lang),
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
    """One row per option: its name (the current plan marked), the staffing it gives and the
    budget check, p90 and share within target with their intervals, Δp90 against the current
    plan, utilisation. Formatted as the report language writes numbers."""
    from pilkadasim.report import fmt as F

    lang = str(cfg.report.lang)
    metric = str(cfg.report.decision_metric)
    target = float(cfg.report.decision_target_min)
    within = metric.replace("response_min", "within_target") + f".{target:g}"
    total = int(cfg.staffing.personnel_total)
    rows = []
    for _, r in table.iterrows():

        def ci(key: str, scale: float = 1.0, row: pd.Series = r) -> str:
            lo, hi = row.get(f"{key}.lo"), row.get(f"{key}.hi")
            if lo is None or pd.isna(lo):
                return "–"
            return F.interval([lo, None if pd.isna(hi) else hi], lang=lang, scale=scale)

        name = point_label(r, facs, lang)
        if bool(r.get("reference")):
            name += f" ({t('current_plan', lang)})"
        delta = r[f"delta.{metric}.p90"]
        guards, reserve = r.get("staffing.tps_guards"), r.get("staffing.reserve")
        support = r.get("staffing.command_and_support")
        used = sum(int(x) for x in (guards, reserve, support) if x is not None and not pd.isna(x))
        rows.append(
            [
                name,
                F.num(guards, 0, lang),
                F.num(r.get("staffing.reserve_teams"), 0, lang),
                F.num(used, 0, lang),
                budget(r, total, lang),
                f"{F.minutes(r[f'{metric}.p90'], lang=lang)} ({ci(f'{metric}.p90')})",
                f"{F.pct(r[within], 0, lang)} ({ci(within, 100)} %)",
                ("–" if pd.isna(delta) else ("+" if delta > 0 else "") + F.num(delta, 1, lang))
                + f" ({ci(f'delta.{metric}.p90')})",
                F.pct(r["utilization.mean"], 1, lang),
            ]
        )
    return rows


def write_sweep_outputs(
    sweep_dir: Path,
    jobs: Sequence[Job],
    table: pd.DataFrame,
    facs: list[str],
    decision: dict[str, Any] | None,
    command: str,
    run_lang: str | None = None,
    rec: dict[str, Any] | None = None,
) -> None:
    """figures/, report.html and slides.pptx at the sweep root; in a language other than the
    sweep's own (``run_lang``) beside them: figures.en/, report.en.html, slides.en.pptx."""
    from pilkadasim.report.content import asked_question
    from pilkadasim.report.html import sweep_report, write_report
    from pilkadasim.report.recommendation import headline
    from pilkadasim.report.run import output_name, save_figures
    from pilkadasim.report.slides import sweep_slides

    cfg = jobs[0].cfg
    lang = str(cfg.report.lang)
    run_lang = run_lang or lang
    folder = "figures" if lang == run_lang else f"figures.{lang}"
    pngs = save_figures(sweep_figures(jobs, table, facs, decision, lang), sweep_dir / folder)
    if not cfg.report.html:
        return
    target = float(cfg.report.decision_target_min)
    header = [
        t("option", lang),
        t("guards_short", lang),
        t("teams_short", lang),
        t("personnel_short", lang),
        t("budget_check", lang, n=int(cfg.staffing.personnel_total)),
        f"p90 ({t('ci95_short', lang)})",
        t("within", lang, t=f"{target:g}"),
        t("delta_p90", lang),
        t("utilization_short", lang),
    ]
    best = None if decision is None else decision["row"]
    ref = int(table.index[table["reference"]][0]) if table["reference"].any() else 0
    reference = point_label(table.iloc[ref], facs, lang)
    rows = report_rows(table, facs, cfg)
    text = headline(rec, lang) if rec else recommendation_text(decision, table, lang, facs)
    question = asked_question(cfg, lang)
    page = sweep_report(question, header, rows, best, text, pngs, cfg, lang, command, reference)
    write_report(sweep_dir / output_name("report", lang, run_lang, "html"), page)
    metric = str(cfg.report.decision_metric)
    p90 = {
        point_label(r, facs, lang): float(r[f"{metric}.p90"])
        if r[f"{metric}.p90"] is not None
        else float("nan")
        for _, r in table.iterrows()
    }
    sweep_slides(
        sweep_dir / output_name("slides", lang, run_lang, "pptx"),
        cfg,
        question,
        [header[0], *header[4:7]],
        [[row[0], *row[4:7]] for row in rows],
        best,
        text,
        p90,
        pngs,
        map_label(table, facs, decision, lang),
    )


def map_pick(table: pd.DataFrame, decision: dict[str, Any] | None) -> int:
    """The option the sweep map shows: the recommended one; in a sensitivity study the baseline
    (its cases are not options); else the best p90."""
    if decision is not None and decision["row"] is not None:
        return int(decision["row"])
    if "sensitivity" in table and (table["sensitivity"].astype(str) == "baseline").any():
        return int(np.flatnonzero(table["sensitivity"].astype(str) == "baseline")[0])
    return int(pd.to_numeric(table["response_min.p90"]).fillna(float("inf")).to_numpy().argmin())


def map_label(
    table: pd.DataFrame, facs: list[str], decision: dict[str, Any] | None, lang: str
) -> str:
    return point_label(table.iloc[map_pick(table, decision)], facs, lang)
