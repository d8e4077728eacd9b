"""Aggregation of a sweep: one table, the comparison and the recommendation.

Hydra runs one job per design point; it knows nothing of replications or common random numbers.
After the last job, :class:`AggregateSweep` (a Hydra callback, ``on_multirun_end``) reads every
job's ``summary.json`` and ``incidents.parquet`` and writes, at the sweep root:

- ``sweep_summary.csv``: one row per design point — the design factors as columns, every summary
  metric with its 95% CI (``.lo`` / ``.hi``), and paired differences against the current plan
  (the job with the configured defaults, else the first) computed on the same replications
  (common random numbers);
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

import numpy as np
import pandas as pd
from omegaconf import DictConfig, OmegaConf

from pilkadasim.analysis.stats import batches, quantile, t_interval
from pilkadasim.errors import InputError

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


def paired(jobs: list[Job], ref: int, metric: str = "response_min") -> list[dict[str, Any]]:
    """Δmean and Δp90 of each job minus the reference, with sectioning CIs over the same
    replication batches (valid because all jobs replay the same incidents)."""
    frames = [
        pd.read_parquet(
            j.path / "incidents.parquet", columns=["replication", "response_min", "handled_by"]
        )
        for j in jobs
    ]
    if metric == "reserve_response_min":
        frames = [f[f["handled_by"] != "guard"] for f in frames]
    n_reps = int(jobs[ref].summary["replications"])
    same = all(
        j.summary["seed"] == jobs[ref].summary["seed"] and j.summary["replications"] == n_reps
        for j in jobs
    )
    out = []
    for f in frames:
        row: dict[str, Any] = {}
        for name, stat in (("mean", np.mean), ("p90", quantile(0.9))):
            diff, ci = _paired_stat(f, frames[ref], n_reps, stat) if same else (None, None)
            row[f"delta.{metric}.{name}"] = diff
            lo_hi = ci or [None, None]
            row[f"delta.{metric}.{name}.lo"], row[f"delta.{metric}.{name}.hi"] = lo_hi
        out.append(row)
    return out


def _paired_stat(
    a: pd.DataFrame, b: pd.DataFrame, n_reps: int, stat: Any
) -> tuple[float, list[float] | None]:
    va, vb = a.dropna(subset=["response_min"]), b.dropna(subset=["response_min"])
    point = float(stat(va["response_min"].to_numpy()) - stat(vb["response_min"].to_numpy()))
    ba = batches(va["replication"].to_numpy(), n_reps)
    bb = batches(vb["replication"].to_numpy(), n_reps)
    diffs = []
    for k in np.unique(np.concatenate([ba, bb])):
        xa, xb = va["response_min"].to_numpy()[ba == k], vb["response_min"].to_numpy()[bb == k]
        if xa.size and xb.size:
            diffs.append(float(stat(xa)) - float(stat(xb)))
    return point, t_interval(np.array(diffs), point)


def one_sided_upper(point: float, hi: float, n_reps: int) -> float:
    """The one-sided 95% upper bound from a two-sided 95% sectioning interval
    (``min(20, n_reps)`` batches): "≤ target with 95% confidence" is a one-sided statement."""
    from scipy import stats

    df = max(min(20, n_reps) - 1, 1)
    return point + (hi - point) * stats.t.ppf(0.95, df) / stats.t.ppf(0.975, df)


def one_sided_lower(point: float, lo: float, n_reps: int) -> float:
    return point - one_sided_upper(0.0, point - lo, n_reps)


def recommend(table: pd.DataFrame, factor: str, cfg: DictConfig, n_reps: int) -> dict[str, Any]:
    """The smallest value of ``factor`` whose metric meets the target with 95% confidence:
    the one-sided 95% upper bound of p90 ≤ target (rule ``p90``), or the one-sided lower bound
    of the share within target ≥ goal (rule ``share``)."""
    rep = cfg.report
    metric, target = str(rep.decision_metric), float(rep.decision_target_min)
    goal = float(rep.decision_goal)
    share = f"{metric.replace('response_min', 'within_target')}.{target:g}"
    if rep.decision_rule == "share":
        bound = [
            one_sided_lower(p, lo, n_reps)
            for p, lo in zip(table[share], table[f"{share}.lo"], strict=True)
        ]
        meets = [b >= goal for b in bound]
    else:
        bound = [
            one_sided_upper(p, hi, n_reps)
            for p, hi in zip(table[f"{metric}.p90"], table[f"{metric}.p90.hi"], strict=True)
        ]
        meets = [b <= target for b in bound]
    values = pd.to_numeric(table[factor]).to_numpy()
    ok = [i for i in np.argsort(values, kind="stable") if meets[i] and np.isfinite(bound[i])]
    best = ok[0] if ok else None
    return {
        "factor": factor,
        "metric": metric,
        "rule": str(rep.decision_rule),
        "target_min": target,
        "goal": goal,
        "row": best,
        "value": None if best is None else _number(str(table[factor].iloc[best])),
        "p90": None if best is None else float(table[f"{metric}.p90"].iloc[best]),
        "p90_ci": None
        if best is None
        else [
            float(table[f"{metric}.p90.lo"].iloc[best]),
            float(table[f"{metric}.p90.hi"].iloc[best]),
        ],
        "bound": bound,
        "meets": meets,
    }


def sweep_table(jobs: list[Job]) -> tuple[pd.DataFrame, list[str]]:
    from pilkadasim.sweep_report import current_plan

    facs = factors(jobs)
    metric = str(jobs[0].cfg.report.decision_metric)
    ref = current_plan(jobs, facs)  # differences are against the current plan
    deltas = paired(jobs, ref, metric)
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
    from pilkadasim.io import atomic_write
    from pilkadasim.sweep_checks import load_jobs

    jobs = [Job(*parts) for parts in load_jobs(sweep_dir, warn, strict=strict)]
    run_lang = str(jobs[0].cfg.report.lang)  # a rebuild in another language goes beside
    if lang:
        for j in jobs:
            j.cfg.report.lang = lang
    table, facs = sweep_table(jobs)
    cfg = jobs[0].cfg
    decision = None
    numeric = [f for f in facs if pd.to_numeric(table[f], errors="coerce").notna().all()]
    if len(numeric) == 1 and len(facs) == 1:
        decision = recommend(table, numeric[0], cfg, int(jobs[0].summary["replications"]))
        table["decision_bound"] = decision["bound"]
        table["meets_target"] = decision["meets"]
    atomic_write(sweep_dir / "sweep_summary.csv", lambda p: table.to_csv(p, index=False))
    if cfg.report.figures or cfg.report.html:
        from pilkadasim.sweep_report import write_sweep_outputs

        command = command or _saved_command(sweep_dir)
        write_sweep_outputs(sweep_dir, jobs, table, facs, decision, command, run_lang)
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
    from pilkadasim.io import write_text

    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_text(folder / ".write-test", "").unlink()
    except OSError as err:
        raise SystemExit(
            f"pilkadasim: cannot write the output folder {folder} ({err.strerror or err}); "
            "choose another hydra.run.dir / hydra.sweep.dir"
        ) from None


class AggregateSweep(Callback):  # type: ignore[misc]
    """Hydra callback: lock the sweep folder at the start; aggregate the sweep when the last
    job has finished. A refused start or a failed aggregation ends the command with a
    non-zero exit status and a one-line reason."""

    sweep_id: str | None = None

    def on_run_start(self, config: DictConfig, **kwargs: Any) -> None:
        check_writable(Path(str(config.hydra.run.dir)))

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        from pilkadasim.config.validate import validate
        from pilkadasim.resume import expected_jobs, start_sweep

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

        from pilkadasim.resume import end_sweep

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
        from pilkadasim.cli.console import print_sweep_end

        print_sweep_end(sweep_dir, table)
