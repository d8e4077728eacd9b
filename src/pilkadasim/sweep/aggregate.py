"""Aggregation of a sweep: one table, the comparison and the recommendation.

Hydra runs one job per design point; it knows nothing of replications or common random numbers.
After the last job, :class:`AggregateSweep` (a Hydra callback, ``on_multirun_end``) reads every
job's ``summary.json`` and ``incidents.parquet`` and writes, at the sweep root:

- ``sweep_summary.csv``: one row per design point — the design factors as columns, every summary
  metric with its 95% CI (``.lo`` / ``.hi``), and paired differences against the current plan
  (the job with the configured defaults, else the first) computed on the same replications
  (common random numbers);
- ``recommendation.json``: the decision (:mod:`pilkadasim.sweep.recommend`);
- ``figures/``: the staffing curve (when one numeric factor varies), the response-time ECDF per
  design point, the map of the recommended point;
- ``report.html``: the sweep report.

``aggregate(sweep_dir)`` does the same by hand (``pilkadasim-report SWEEP_DIR``).
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from pilkadasim.errors import InputError
from pilkadasim.sweep import recommend

SKIP_FACTORS = ("run.", "hydra", "report.", "experiment")


@dataclass
class Job:
    path: Path
    overrides: dict[str, str]
    summary: dict[str, Any]
    cfg: DictConfig


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


def current_plan(jobs: list[Job], facs: list[str]) -> int:
    """Index of the current plan: the job whose factor values equal the configured defaults
    (what ``pilkadasim`` runs without overrides); the first job if none matches."""
    from pilkadasim.api import compose

    try:
        base = compose()
    except Exception:  # the defaults cannot be composed here: fall back to the first job
        return 0
    for i, job in enumerate(jobs):
        if facs and all(
            str(OmegaConf.select(job.cfg, f)) == str(OmegaConf.select(base, f)) for f in facs
        ):
            return i
    return 0


def sweep_table(jobs: list[Job]) -> tuple[pd.DataFrame, list[str]]:
    facs = factors(jobs)
    metric = str(jobs[0].cfg.report.decision_metric)
    ref = current_plan(jobs, facs)  # differences are against the current plan
    deltas = recommend.paired(jobs, ref, metric)
    if metric != "response_min":  # the all-incident figure beside the decision metric
        deltas = [
            {**d, **a}
            for d, a in zip(deltas, recommend.paired(jobs, ref, "response_min"), strict=True)
        ]
    rows = []
    for i, (j, d) in enumerate(zip(jobs, deltas, strict=True)):
        row = {
            "job": j.path.name,
            **{f: _number(j.overrides.get(f, j.overrides.get("+" + f, ""))) for f in facs},
            **flatten(j.summary),
            **d,
            "config_hash": j.summary["provenance"]["config_hash"],
            "reference": i == ref,
        }
        rows.append(row)
    return pd.DataFrame(rows), facs


def aggregate(
    sweep_dir: Path,
    command: str | None = None,
    lang: str | None = None,
    warn: Any = None,
    *,
    strict: bool = False,
) -> pd.DataFrame:
    """Write sweep_summary.csv, the sweep figures and report.html into ``sweep_dir``
    (``strict``: every job of the sweep must have finished)."""
    from pilkadasim.report.io import atomic_write
    from pilkadasim.sweep.checks import load_jobs

    jobs = [Job(*parts) for parts in load_jobs(sweep_dir, warn, strict=strict)]
    run_lang = str(jobs[0].cfg.report.lang)  # a rebuild in another language goes beside
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
        from pilkadasim.report.sensitivity import write_sensitivity

        write_sensitivity(sweep_dir, table, cfg)
    if cfg.report.figures or cfg.report.html:
        from pilkadasim.report.sweep import write_sweep_outputs

        command = command or _saved_command(sweep_dir)
        write_sweep_outputs(sweep_dir, jobs, table, facs, decision, command, run_lang, rec)
    table.attrs["lang"] = str(cfg.report.lang)
    table.attrs["run_lang"] = run_lang
    return table


def _saved_command(sweep_dir: Path) -> str:
    """The command of a sweep, from Hydra's multirun.yaml."""
    path = sweep_dir / "multirun.yaml"
    if not path.exists():
        return ""
    task = OmegaConf.select(OmegaConf.load(path), "hydra.overrides.task") or []
    return "pilkadasim -m " + " ".join(shlex.quote(str(o)) for o in task)


try:  # the callback needs Hydra; aggregation itself does not
    from hydra.experimental.callback import Callback
except ImportError:  # pragma: no cover
    Callback = object  # type: ignore[assignment,misc]


def check_writable(folder: Path) -> None:
    """Stop with one line before anything runs if ``folder`` cannot be written."""
    from pilkadasim.report.io import write_text

    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_text(folder / ".write-test", "").unlink()
    except OSError as err:
        raise SystemExit(
            f"pilkadasim: cannot write the output folder {folder} ({err.strerror or err}); "
            "choose another hydra.run.dir / hydra.sweep.dir"
        ) from None


class AggregateSweep(Callback):
    """Hydra callback: lock the sweep folder at the start; aggregate the sweep when the last
    job has finished. A refused start or a failed aggregation ends the command with a
    non-zero exit status and a one-line reason."""

    sweep_id: str | None = None

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        check_writable(Path(str(config.hydra.run.dir)))

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from pilkadasim.config.checks import validate
        from pilkadasim.sweep.resume import expected_jobs, start_sweep

        try:  # clashing settings stop the sweep before its first job
            validate(config)
        except InputError as err:
            raise SystemExit(f"pilkadasim: bad input — {err}") from None
        sweep_dir = Path(str(config.hydra.sweep.dir))
        check_writable(sweep_dir)
        task = [str(o) for o in config.hydra.overrides.task]
        params = OmegaConf.select(config, "hydra.sweeper.params")
        n = expected_jobs(task, OmegaConf.to_container(params) if params else None)  # type: ignore[arg-type]
        try:
            self.sweep_id = start_sweep(sweep_dir, n, "pilkadasim -m " + " ".join(task))
        except InputError as err:
            raise SystemExit(f"pilkadasim: sweep refused — {err}") from None
        for old in ("sweep_summary.csv", "report.html"):  # never left looking current
            (sweep_dir / old).unlink(missing_ok=True)

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        import sys

        from pilkadasim.sweep.resume import end_sweep

        sweep_dir = Path(str(config.hydra.sweep.dir))
        task = " ".join(shlex.quote(str(o)) for o in config.hydra.overrides.task)
        try:
            table = aggregate(
                sweep_dir,
                f"pilkadasim -m {task}".strip(),
                warn=lambda m: print(f"warning: {m}", file=sys.stderr),
                strict=True,
            )
        except Exception as err:  # any failure must end the command non-zero
            reason = str(err).replace("\n", " ").strip() or type(err).__name__
            raise SystemExit(f"pilkadasim: sweep aggregation failed — {reason}") from None
        finally:
            if self.sweep_id:
                end_sweep(sweep_dir, self.sweep_id)
        from pilkadasim.report.console import print_sweep_end

        print_sweep_end(sweep_dir, table)
