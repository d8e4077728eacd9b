"""Aggregation of a sweep: one table, the comparison and the recommendation.

Hydra runs one job per design point; it knows nothing of replications or common random numbers.
After the last job, :class:`AggregateSweep` (a Hydra callback, ``on_multirun_end``) reads every
job's ``summary.json`` and ``incidents.parquet`` and writes, at the sweep root:

- ``sweep_summary.csv``: one row per design point — the design factors as columns, every summary
  metric with its 95% CI (``.lo`` / ``.hi``), and paired differences against the reference point
  (the first job) computed on the same replications (common random numbers);
- ``recommendation.json``: the decision (:mod:`pilkadasim.analysis.recommend`);
- ``figures/``: the staffing curve (when one numeric factor varies), the response-time ECDF per
  design point, the map of the recommended point;
- ``report.html``: the sweep report.

``aggregate(sweep_dir)`` does the same by hand (``pilkadasim-report SWEEP_DIR``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from pilkadasim.analysis import recommend
from pilkadasim.errors import InputError

SKIP_FACTORS = ("run.", "hydra", "report.", "experiment")


@dataclass
class Job:
    path: Path
    overrides: dict[str, str]
    summary: dict[str, Any]
    cfg: DictConfig


def collect_jobs(sweep_dir: Path) -> list[Job]:
    """Finished jobs (with the completion marker), in job-number order."""
    jobs = []
    dirs = [d for d in sweep_dir.iterdir() if d.is_dir() and (d / ".complete").exists()]
    for d in sorted(
        dirs, key=lambda p: (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0, p.name)
    ):
        over = (
            OmegaConf.load(d / ".hydra" / "overrides.yaml")
            if (d / ".hydra" / "overrides.yaml").exists()
            else []
        )
        pairs = dict(str(o).split("=", 1) for o in over if "=" in str(o))
        cfg = OmegaConf.load(d / ".hydra" / "config.yaml")
        assert isinstance(cfg, DictConfig)
        jobs.append(Job(d, pairs, json.loads((d / "summary.json").read_text()), cfg))
    if not jobs:
        raise InputError(f"{sweep_dir}: no finished jobs (no */.complete) to aggregate")
    return jobs


def factors(jobs: list[Job]) -> list[str]:
    """Override keys whose value differs between jobs (the design factors)."""
    keys = dict.fromkeys(k for j in jobs for k in j.overrides)
    return [
        k.lstrip("+~")
        for k in keys
        if not k.lstrip("+~").startswith(SKIP_FACTORS)
        and len({j.overrides.get(k) for j in jobs}) > 1
    ]


def _number(v: str) -> Any:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return v
    return int(f) if f.is_integer() else f


def flatten(summary: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {"incidents_per_day": summary["incidents_per_day"]["mean"]}
    lo_hi = summary["incidents_per_day"]["ci95"] or [None, None]
    row["incidents_per_day.lo"], row["incidents_per_day.hi"] = lo_hi
    for block in ("response_min", "reserve_response_min"):
        for stat in ("mean", "p50", "p90", "p95"):
            row[f"{block}.{stat}"] = summary[block][stat]
            ci = summary[block]["ci95"][stat] or [None, None]
            row[f"{block}.{stat}.lo"], row[f"{block}.{stat}.hi"] = ci
    for block in ("within_target", "reserve_within_target"):
        for target, w in summary[block].items():
            row[f"{block}.{target}"] = w["p"]
            row[f"{block}.{target}.lo"], row[f"{block}.{target}.hi"] = w["ci95"] or [None, None]
    row["utilization.mean"] = summary["utilization"]["mean"]
    row["utilization.max"] = summary["utilization"]["max"]
    row["unserved"] = summary["unserved"]
    st = summary.get("staffing") or {}
    for key in ("tps_guards", "reserve", "reserve_teams", "command_and_support", "over_budget"):
        row[f"staffing.{key}"] = st.get(key)
    return row


def sweep_table(jobs: list[Job]) -> tuple[pd.DataFrame, list[str]]:
    facs = factors(jobs)
    metric = str(jobs[0].cfg.report.decision_metric)
    deltas = recommend.paired(jobs, 0, metric)
    if metric != "response_min":  # the all-incident figure beside the decision metric
        deltas = [
            {**d, **a}
            for d, a in zip(deltas, recommend.paired(jobs, 0, "response_min"), strict=True)
        ]
    rows = []
    for i, (j, d) in enumerate(zip(jobs, deltas, strict=True)):
        row = {
            "job": j.path.name,
            **{f: _number(j.overrides.get(f, j.overrides.get("+" + f, ""))) for f in facs},
            **flatten(j.summary),
            **d,
            "config_hash": j.summary["provenance"]["config_hash"],
            "reference": i == 0,
        }
        rows.append(row)
    return pd.DataFrame(rows), facs


def aggregate(sweep_dir: Path, command: str | None = None, lang: str | None = None) -> pd.DataFrame:
    """Write sweep_summary.csv, the sweep figures and report.html into ``sweep_dir``."""
    from pilkadasim.io import atomic_write

    jobs = collect_jobs(sweep_dir)
    if lang:
        for j in jobs:
            j.cfg.report.lang = lang
    table, facs = sweep_table(jobs)
    cfg = jobs[0].cfg
    rec = recommend.sweep_recommendation(sweep_dir, jobs, table, facs)
    table = recommend.table_columns(rec, table)
    decision = recommend.figure_decision(rec, table, cfg)
    atomic_write(sweep_dir / "sweep_summary.csv", lambda p: table.to_csv(p, index=False))
    if facs == ["sensitivity"]:
        from pilkadasim.sensitivity_outputs import write_sensitivity

        write_sensitivity(sweep_dir, table, cfg)
    if cfg.report.figures or cfg.report.html:
        from pilkadasim.sweep_report import write_sweep_outputs

        command = command or _saved_command(sweep_dir)
        write_sweep_outputs(sweep_dir, jobs, table, facs, decision, command, rec)
    return table


def _print_headline(sweep_dir: Path, lang: str) -> None:
    """The recommendation sentence, last thing on the console."""
    from pilkadasim.report.recommendation import headline

    path = sweep_dir / "recommendation.json"
    if path.exists():
        print(headline(json.loads(path.read_text()), lang))
        print(f"→ {path}")


def _saved_command(sweep_dir: Path) -> str:
    """The command of a sweep, from Hydra's multirun.yaml."""
    path = sweep_dir / "multirun.yaml"
    if not path.exists():
        return ""
    task = OmegaConf.select(OmegaConf.load(path), "hydra.overrides.task") or []
    return "pilkadasim -m " + " ".join(str(o) for o in task)


try:  # the callback needs Hydra; aggregation itself does not
    from hydra.experimental.callback import Callback
except ImportError:  # pragma: no cover
    Callback = object  # type: ignore[assignment,misc]


class AggregateSweep(Callback):  # type: ignore[misc]
    """Hydra callback: aggregate the sweep when the last job has finished."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        sweep_dir = Path(str(config.hydra.sweep.dir))
        task = " ".join(str(o) for o in config.hydra.overrides.task)
        if not sweep_dir.exists():
            return
        table = aggregate(sweep_dir, f"pilkadasim -m {task}".strip())
        print(f"sweep: {len(table)} design points → {sweep_dir / 'sweep_summary.csv'}")
        _print_headline(sweep_dir, str(config.report.lang))
        if (sweep_dir / "report.html").exists():
            print(f"sweep report: {sweep_dir / 'report.html'}")
