"""Outputs of ``experiment=optimise_staging``: plan.csv, optimise.json, the best plan's run
(summary, tables, figures) and the report with its section "Rencana penempatan"."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from pilkadasim.optimise.run import Found, optimise
from pilkadasim.report.io import atomic_write, write_json


def _f(x: float | None, unit: str = "minutes") -> str:
    from pilkadasim.report.plan import value

    return value(x, unit, "en")


def _ci(ci: list[float | None] | None, unit: str = "minutes") -> str:
    from pilkadasim.report.plan import interval

    return interval(ci, unit, "en")


def write_plan(out_dir: Path, rows: list[tuple[str, str]]) -> Path:
    text = "unit_id,base_id\n" + "".join(f"{u},{b}\n" for u, b in rows)

    def write(path: Path) -> None:
        path.write_text(text, encoding="utf-8")

    return atomic_write(out_dir / "plan.csv", write)


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
    current = dict(_current_rows(found))
    result["teams"] = len(rows)
    result["moves"] = [
        {"unit_id": u, "from": current.get(u), "to": b} for u, b in rows if current.get(u) != b
    ]
    write_plan(out_dir, rows)
    write_json(out_dir / "optimise.json", result)
    res = simulate(best_cfg(found, rows))
    res.save(out_dir)
    check: Any = res.summary  # walked along the metric path below
    for part in result["metric"].split("."):
        check = check.get(part, {}) if isinstance(check, dict) else {}
    check_val = check.get("p") if isinstance(check, dict) else check
    if check_val is not None and abs(float(check_val) - result["best"]["value"]) > 1e-3:
        print(
            f"warning: the best plan's summary gives {check_val}, the search "
            f"{result['best']['value']}",
            file=sys.stderr,
        )
    table = [(u, current.get(u, "–"), b) for u, b in rows]
    report = _report(out_dir, cfg, res, result, list(current.items()), rows)
    print_summary(res.summary, cfg.report.lang, str(out_dir), str(report) if report else None)
    print(pd.DataFrame(table, columns=["unit_id", "current", "best"]).to_string(index=False))
    imp, unit = result["improvement"], result["unit"]
    pcs = (
        f"PCS ≥ {result['pcs']} within {_f(result['delta'], unit)}"
        if result["pcs"] is not None
        else "no PCS guaranteed (KN cut short)"
    )
    print(
        f"{result['metric']}: best {_f(result['best']['value'], unit)}, current "
        f"{_f(result['baseline']['value'], unit)}, improvement {_f(imp['value'], unit)} "
        f"({_ci(imp['ci95'], unit)}), {pcs}; plan.csv, optimise.json in {out_dir}"
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
) -> Path | None:
    """figures/ (with plan.png), report.html and slides.pptx of the best plan's run, with the
    section "Rencana penempatan" first."""
    from pilkadasim.plotting.plan import plan_map
    from pilkadasim.report.html import run_report, write_report
    from pilkadasim.report.labels import t
    from pilkadasim.report.places import slowest_places, with_desa
    from pilkadasim.report.plan import add_plan_slide, section_html
    from pilkadasim.report.run import reproduce_command, run_figures, save_figures
    from pilkadasim.report.slides import run_slides

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
    places = slowest_places(with_desa(res.incidents, region.tps)) if region is not None else None
    text = run_report(res.summary, cfg, pngs, lang, reproduce_command(out_dir), places)
    section = section_html(result, plan_png, lang)
    at = text.find("<h2>")  # the section goes first, before the key table
    text = text[:at] + section + text[at:] if at >= 0 else text + section
    report = write_report(out_dir / "report.html", text)
    deck = run_slides(out_dir / "slides.pptx", res.summary, cfg, res.incidents, pngs, places)
    add_plan_slide(deck, result, plan_png, lang)
    return report
