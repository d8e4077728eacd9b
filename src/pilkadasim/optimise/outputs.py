"""Outputs of ``experiment=optimise_staging``: plan.csv, optimise.json, the best plan's run
(summary, tables, figures) and the report with its section "Rencana penempatan"."""

from __future__ import annotations

import html
import sys
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from pilkadasim.optimise.run import Found, optimise
from pilkadasim.report.io import atomic_write, write_json

TEXT = {
    "id": {
        "head": "Rencana penempatan",
        "finding": "Rencana terbaik: {metric} = {best} ({bci}); rencana sekarang {base} ({basec}). "
        "Perbaikan berpasangan (bilangan acak bersama) {imp} ({impc}); terhadap awal model "
        "cakupan MEXCLP {imps} ({impsc}). Peluang pilihan benar ≥ {pcs} bila yang terbaik unggul "
        "≥ {delta}. {ev} rencana dinilai dalam {sec} detik.",
        "same": " Perbaikan terhadap rencana sekarang tidak terbukti (selang memuat 0): "
        "perpindahan tim tidak diperlukan untuk metrik ini.",
        "cols": ("Tim", "Sekarang", "Rencana terbaik"),
        "fig": "Peta rencana: tim per markas/pos, panah dari rencana sekarang.",
    },
    "en": {
        "head": "Staging plan",
        "finding": "Best plan: {metric} = {best} ({bci}); current plan {base} ({basec}). "
        "Paired improvement (common random numbers) {imp} ({impc}); over the MEXCLP "
        "coverage-model start {imps} ({impsc}). P(correct selection) ≥ {pcs} when the best is "
        "better by ≥ {delta}. {ev} plans scored in {sec} s.",
        "same": " The improvement over the current plan is not shown (its interval contains 0): "
        "moving teams is not needed for this metric.",
        "cols": ("Team", "Current", "Best plan"),
        "fig": "Plan map: teams per base/post, arrows from the current plan.",
    },
}


def _f(x: float | None, lang: str = "en") -> str:
    from pilkadasim.report.fmt import minutes

    return minutes(x, 2, lang)


def _ci(ci: list[float | None] | None, lang: str = "en") -> str:
    from pilkadasim.report.fmt import interval
    from pilkadasim.report.labels import t

    return "–" if ci is None else f"{t('ci95', lang)} {interval(ci, 2, lang)}"


def section_html(
    result: dict[str, Any], rows: list[tuple[str, str, str]], png: bytes | None, lang: str
) -> str:
    import base64

    tx = TEXT[lang]
    r = result
    text = tx["finding"].format(
        metric=r["metric"],
        best=_f(r["best"]["value"], lang),
        bci=_ci(r["best"]["ci95"], lang),
        base=_f(r["baseline"]["value"], lang),
        basec=_ci(r["baseline"]["ci95"], lang),
        imp=_f(r["improvement"]["value"], lang),
        impc=_ci(r["improvement"]["ci95"], lang),
        imps=_f(r["improvement_over_start"]["value"], lang),
        impsc=_ci(r["improvement_over_start"]["ci95"], lang),
        pcs=r["pcs"],
        delta=r["delta"],
        ev=r["evaluations"],
        sec=r["seconds"],
    )
    ci = r["improvement"]["ci95"]
    if ci is None or ci[0] is None or ci[0] <= 0:
        text += tx["same"]
    head = "".join(f"<th>{c}</th>" for c in tx["cols"])
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    fig = ""
    if png is not None:
        data = base64.b64encode(png).decode()
        fig = (
            f'<figure><img src="data:image/png;base64,{data}" alt="plan">'
            f"<figcaption>{tx['fig']}</figcaption></figure>"
        )
    return (
        f'<h2>{tx["head"]}</h2><p class="finding">{html.escape(text)}</p>'
        f"<table><tr>{head}</tr>{body}</table>{fig}"
    )


def write_plan(out_dir: Path, rows: list[tuple[str, str]]) -> Path:
    text = "unit_id,base_id\n" + "".join(f"{u},{b}\n" for u, b in rows)
    return atomic_write(out_dir / "plan.csv", lambda p: p.write_text(text, encoding="utf-8"))


def best_cfg(found: Found, rows: list[tuple[str, str]]) -> DictConfig:
    cfg = OmegaConf.create(OmegaConf.to_container(found.problem.cfg, resolve=True))
    assert isinstance(cfg, DictConfig)
    cfg.optimise.enabled = False
    cfg.staffing.plan = dict(rows)
    cfg.staffing.plan_file = None
    return cfg


def run_optimise(cfg: DictConfig, out_dir: Path) -> dict[str, Any]:
    """The command line's optimise run: search, then write every output into ``out_dir``."""
    from pilkadasim.api import simulate
    from pilkadasim.report.console import print_summary

    log = (lambda msg: print(f"optimise: {msg}", flush=True)) if cfg.run.progress else print
    result, found = optimise(cfg, out_dir, log)
    rows = found.problem.plan_rows(found.best)
    write_plan(out_dir, rows)
    write_json(out_dir / "optimise.json", result)
    res = simulate(best_cfg(found, rows))
    res.save(out_dir)
    check = res.summary
    for part in result["metric"].split("."):
        check = check.get(part, {}) if isinstance(check, dict) else {}
    check_val = check.get("p") if isinstance(check, dict) else check
    if check_val is not None and abs(float(check_val) - result["best"]["value"]) > 1e-3:
        print(
            f"warning: the best plan's summary gives {check_val}, the search "
            f"{result['best']['value']}",
            file=sys.stderr,
        )
    current = dict(_current_rows(found))
    table = [(u, current.get(u, "–"), b) for u, b in rows]
    report = _report(out_dir, cfg, res, result, list(current.items()), rows, table)
    print_summary(res.summary, cfg.report.lang, str(out_dir), str(report) if report else None)
    print(pd.DataFrame(table, columns=["unit_id", "current", "best"]).to_string(index=False))
    imp = result["improvement"]
    print(
        f"{result['metric']}: best {_f(result['best']['value'])}, current "
        f"{_f(result['baseline']['value'])}, improvement {_f(imp['value'])} ({_ci(imp['ci95'])}),"
        f" PCS ≥ {result['pcs']} within {result['delta']}; plan.csv, optimise.json in "
        f"{out_dir}"
    )
    return result


def _current_rows(found: Found) -> list[tuple[str, str]]:
    p = found.problem
    return p.plan_rows(p.current())


def _report(
    out_dir: Path,
    cfg: DictConfig,
    res: Any,
    result: dict[str, Any],
    current: list[tuple[str, str]],
    rows: list[tuple[str, str]],
    table: list[tuple[str, str, str]],
) -> Path | None:
    from pilkadasim.plotting.plan import plan_map
    from pilkadasim.report.html import run_report, write_report
    from pilkadasim.report.labels import t
    from pilkadasim.report.run import reproduce_command, run_figures, save_figures

    lang = str(cfg.report.lang)
    region = res.built.region if res.built else None
    pngs: dict[str, bytes] = {}
    plan_png = None
    if cfg.report.figures and region is not None:
        figs = run_figures(
            res.incidents,
            region,
            int(res.summary["replications"]),
            [float(x) for x in cfg.report.targets_min],
            lang,
            t("this_run", lang),
        )
        figs["plan"] = plan_map(region.tps, region.bases, current, rows, region.outlines, lang)
        pngs = save_figures(figs, out_dir / "figures")
        plan_png = pngs.pop("plan")
    if not cfg.report.html:
        return None
    text = run_report(res.summary, cfg, pngs, lang, reproduce_command(out_dir))
    section = section_html(result, table, plan_png, lang)
    at = text.find("<h2>")  # the section goes first, before the key table
    text = text[:at] + section + text[at:] if at >= 0 else text + section
    return write_report(out_dir / "report.html", text)
