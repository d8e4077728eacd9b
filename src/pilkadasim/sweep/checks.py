"""Which job folders of a sweep may go into its table, checked before anything is aggregated.

A job is taken only when its ``.complete`` marker was written by this sweep (the id in
``.sweep.json``), matches the job's saved configuration and recorded input files, and its
files are readable. All jobs must have simulated the same input files (the same incidents:
paired differences need that). Anything else is said: jobs of another sweep are left out
with a warning; a stale, truncated or inconsistent job stops the aggregation with a message
naming the job and what to do.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from pilkadasim.errors import InputError
from pilkadasim.sweep.resume import read_marker, read_sweep

Warn = Callable[[str], None]
RERUN = "run the sweep command again (finished jobs are kept, others redone)"


def _job_order(p: Path) -> tuple[bool, int, str]:
    return (not p.name.isdigit(), int(p.name) if p.name.isdigit() else 0, p.name)


def marked_dirs(sweep_dir: Path) -> list[Path]:
    return sorted(
        (d for d in sweep_dir.iterdir() if d.is_dir() and (d / ".complete").exists()),
        key=_job_order,
    )


def load_jobs(
    sweep_dir: Path, warn: Warn | None = None, *, strict: bool = False
) -> list[tuple[Path, dict[str, str], dict[str, Any], DictConfig]]:
    """``(folder, overrides, summary, config)`` of each verified job, in job order.
    ``strict``: a job of the sweep that did not finish is an error, not a warning."""
    warn = warn or (lambda _msg: None)
    info = read_sweep(sweep_dir) or {}
    sweep_id = info.get("id")
    jobs, problems, foreign = [], [], []
    for d in marked_dirs(sweep_dir):
        marker = read_marker(d)
        if sweep_id and (marker is None or marker.sweep_id != sweep_id):
            foreign.append(d.name)
            continue
        job, problem = _load_job(d, marker.config_hash if marker else "")
        if problem:
            problems.append(f"job {d.name}: {problem}")
        elif job is not None:
            jobs.append(job)
    if foreign:
        warn(
            f"left out job(s) {', '.join(foreign)}: finished by another sweep into "
            f"{sweep_dir} (not this one's settings); use a new hydra.sweep.dir per sweep"
        )
    problems += _same_inputs(jobs)
    if problems:
        raise InputError(problems)
    if not jobs:
        raise InputError(f"{sweep_dir}: no finished jobs (no */.complete) to aggregate")
    _check_count(sweep_dir, info.get("expected_jobs"), jobs, warn, strict)
    _warn_changed_inputs(jobs, warn)
    return jobs


def _load_job(
    d: Path, marked: str | None
) -> tuple[tuple[Path, dict[str, str], dict[str, Any], DictConfig] | None, str | None]:
    from pilkadasim import __version__
    from pilkadasim.api import config_hash

    try:
        over_path = d / ".hydra" / "overrides.yaml"
        over: Any = OmegaConf.load(over_path) if over_path.exists() else []
        saved = d / ".hydra" / "config.yaml"
        cfg = OmegaConf.load(saved if saved.exists() or marked is not None else d / "config.yaml")
        summary = json.loads((d / "summary.json").read_text(encoding="utf-8"))
        stamp = summary["provenance"]
    except (OSError, ValueError, KeyError, TypeError) as err:
        return None, f"a result file cannot be read ({_short(err)}); {RERUN}"
    except Exception as err:  # a truncated YAML raises parser errors
        return None, f"a saved configuration cannot be read ({_short(err)}); {RERUN}"
    if not isinstance(cfg, DictConfig):
        return None, "the saved configuration is not a configuration"
    if stamp.get("version") != __version__:
        return None, f"made by pilkadasim {stamp.get('version')}, this is {__version__}"
    marked = stamp.get("config_hash") if marked is None else marked
    if not (marked == stamp.get("config_hash") == config_hash(cfg, stamp.get("inputs", {}))):
        return None, (
            "its .complete marker, summary.json and .hydra/config.yaml disagree (results of "
            "a different run are in this folder)"
        )
    problem = _parquet_problem(d / "incidents.parquet")
    if problem:
        return None, problem
    pairs = dict(str(o).split("=", 1) for o in over if "=" in str(o))
    return (d, pairs, summary, cfg), None


def job_problem(folder: Path, marked: str) -> str | None:
    """What makes a marked job folder unusable (``None``: it is sound)."""
    return _load_job(folder, marked)[1]


def _parquet_problem(path: Path) -> str | None:
    import pyarrow.parquet as pq

    try:
        pq.read_metadata(path)
    except (OSError, ValueError) as err:  # ArrowInvalid is a ValueError
        return f"{path.name} cannot be read ({_short(err)}); {RERUN}"
    return None


def _short(err: BaseException) -> str:
    return str(err).strip().splitlines()[0][:160] if str(err).strip() else type(err).__name__


def _same_inputs(jobs: list[Any]) -> list[str]:
    """Jobs that simulated other input files than the first job (different incident sets)."""
    if not jobs:
        return []
    first = jobs[0][2]["provenance"].get("inputs", {})
    out = []
    for d, _o, summary, _c in jobs[1:]:
        inputs = summary["provenance"].get("inputs", {})
        if inputs != first:
            files = sorted(k for k in first.keys() | inputs.keys() if first.get(k) != inputs.get(k))
            out.append(
                f"job {d.name}: simulated other input files than job {jobs[0][0].name} "
                f"({', '.join(files)} differ) — the jobs cannot be compared"
            )
    return out


def _check_count(sweep_dir: Path, expected: Any, jobs: list[Any], warn: Warn, strict: bool) -> None:
    if not isinstance(expected, int) or len(jobs) >= expected:
        return
    done = {j[0].name for j in jobs}
    missing = [str(i) for i in range(expected) if str(i) not in done]
    msg = (
        f"{sweep_dir}: only {len(jobs)} of {expected} jobs finished (missing: "
        f"{', '.join(missing[:10])}{' …' if len(missing) > 10 else ''}); the table is partial"
    )
    if strict:
        raise InputError(f"{msg}; {RERUN}")
    warn(msg)


def _warn_changed_inputs(jobs: list[Any], warn: Warn) -> None:
    """The input files on disk now differ from those the sweep simulated."""
    from pilkadasim.config.provenance import changed_inputs, input_hashes

    recorded = jobs[0][2]["provenance"].get("inputs", {})
    now = input_hashes(jobs[0][3])
    if any(v == "absent" for k, v in now.items() if recorded.get(k) not in (None, "absent")):
        return  # the region folder is not reachable from here: nothing to compare
    changed = changed_inputs(recorded, now)
    if changed:
        warn(
            f"input files changed since the sweep ran ({', '.join(changed)}): the table "
            f"describes the files as they were; {RERUN}"
        )


def check_run_dir(run_dir: Path) -> None:
    """A single run's folder is finished and consistent before its report is rebuilt: its
    marker (command-line runs), summary.json, saved configuration and incidents.parquet
    agree and were made by this version."""
    hydra_run = (run_dir / ".hydra").is_dir()
    marker = read_marker(run_dir)
    if hydra_run and marker is None:
        raise InputError(f"{run_dir}: the run did not finish (no .complete marker); run it again")
    _job, problem = _load_job(run_dir, marker.config_hash if marker else None)
    if problem:
        raise InputError(f"{run_dir}: {problem.replace(RERUN, 'run it again')}")
