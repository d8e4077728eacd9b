"""The Python API: compose a configuration, simulate it, look at or save the results."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from pilkadasim import __version__
from pilkadasim.analysis.contracts import Provenance, StaffingPlan, Summary
from pilkadasim.errors import InputError

MODEL_KEYS = (
    "run.seed",
    "run.replications",
    "region",
    "timeline",
    "incidents",
    "staffing",
    "dispatch",
    "travel",
)


def compose(overrides: list[str] | None = None) -> DictConfig:
    """The packaged configuration with Hydra ``overrides`` applied (as on the command line)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_module
    from hydra.core.global_hydra import GlobalHydra
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    import pilkadasim.config.schema  # noqa: F401  (registers the schema)
    from pilkadasim.config.studies import register

    register()  # experiments/ as the config group `experiment`
    GlobalHydra.instance().clear()
    try:
        with initialize_config_module("pilkadasim.conf", version_base="1.3"):
            return hydra_compose("config", overrides=list(overrides or []))
    except (HydraException, OmegaConfBaseException) as err:
        from pilkadasim.errors import one_line

        raise InputError(f"configuration: {one_line(err)}") from None


def config_hash(cfg: DictConfig, inputs: dict[str, str] | None = None) -> str:
    """Hash of everything that determines the simulated numbers (not workers, not report):
    the model keys, the package version and the content of every input file (``inputs``,
    as from :func:`pilkadasim.config.provenance.input_hashes`; read from disk when not given)."""
    from pilkadasim.config.provenance import input_hashes

    picked = {k: OmegaConf.select(cfg, k) for k in MODEL_KEYS}
    text = OmegaConf.to_yaml(OmegaConf.create(picked), resolve=True)
    files = input_hashes(cfg) if inputs is None else inputs
    text += f"\nversion: {__version__}\n" + "".join(f"{k}: {v}\n" for k, v in sorted(files.items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def provenance(cfg: DictConfig) -> Provenance:
    """``summary.json``'s ``provenance``: version, config hash and each input's SHA-256."""
    from pilkadasim.config.provenance import input_hashes

    files = input_hashes(cfg)
    return {"version": __version__, "config_hash": config_hash(cfg, files), "inputs": files}


@dataclass
class Results:
    """What one run produced. ``summary`` is identical to summary.json."""

    cfg: DictConfig
    incidents: pd.DataFrame
    units: pd.DataFrame
    summary: Summary
    trips: pd.DataFrame = field(default_factory=pd.DataFrame)
    built: Any = None
    timings: dict[str, float] = field(default_factory=dict)

    def save(self, directory: str | Path) -> Path:
        """Write incidents.parquet, units.parquet, trips.parquet and summary.json (atomically) to
        ``directory``; also config.yaml when the folder has no Hydra ``.hydra`` record."""
        from pilkadasim.report.io import write_json, write_parquet, write_text

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_parquet(out / "incidents.parquet", self.incidents)
        write_parquet(out / "units.parquet", self.units)
        write_parquet(out / "trips.parquet", self.trips)
        if not (out / ".hydra").exists():
            write_text(out / "config.yaml", OmegaConf.to_yaml(self.cfg))
        write_json(out / "summary.json", self.summary)
        return out


def simulate(
    cfg: DictConfig,
    *,
    progress: bool = False,
    on_progress: Callable[[int], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> Results:
    """Validate ``cfg``, build the scenario once, run the replications, summarise."""
    from pilkadasim.analysis.metrics import summarize
    from pilkadasim.analysis.tables import incidents_frame, trips_frame, units_frame
    from pilkadasim.config.builders import region_parts, to_scenario
    from pilkadasim.core.runner import run_replications

    reps, seed = int(cfg.run.replications), int(cfg.run.seed)
    stamp = provenance(cfg)  # before reading: an edit during the run makes it stale, not mixed
    n_parts = region_parts(cfg)
    callback = on_progress
    if progress and callback is None:
        callback = _print_progress(reps * n_parts, str(cfg.report.lang))
    timings = {"build_s": 0.0, "simulate_s": 0.0, "tables_s": 0.0}
    frames: dict[str, list[pd.DataFrame]] = {"incidents": [], "units": [], "trips": []}
    escalated, staffing, built = 0, [], None
    for part in range(n_parts):  # kabupaten one at a time: one region's tables in memory
        t0 = time.perf_counter()
        built = to_scenario(cfg, part, validated=part > 0)
        if on_note is not None:  # what was accepted in the input files, before the simulation
            for note in built.region.notes:
                on_note(note)
        t1 = time.perf_counter()
        records = run_replications(
            built.scenario, reps, seed, cfg.run.workers, callback, region=part
        )
        t2 = time.perf_counter()
        frames["incidents"].append(incidents_frame(records, built))
        frames["units"].append(units_frame(records, built))
        frames["trips"].append(trips_frame(records, built))
        escalated += int(sum(records.incidents["escalated"]))
        staffing.append(cast(StaffingPlan, built.staffing))
        timings["build_s"] += t1 - t0
        timings["simulate_s"] += t2 - t1
        timings["tables_s"] += time.perf_counter() - t2
    t3 = time.perf_counter()
    incidents, units, trips = (concat(frames[k]) for k in ("incidents", "units", "trips"))
    summary = summarize(
        incidents,
        units,
        replications=reps,
        seed=seed,
        targets=[float(t) for t in cfg.report.targets_min],
        escalated=escalated,
        provenance=stamp,
        staffing=add_up(staffing),
    )
    timings["summarise_s"] = time.perf_counter() - t3
    if n_parts > 1:
        built = None  # a country has no single region to map
    return Results(cfg, incidents, units, summary, trips, built, timings)


def concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Stack per-region tables, keeping text columns categorical."""
    if len(frames) == 1:
        return frames[0]
    out = pd.concat(frames, ignore_index=True)
    for col, dtype in frames[0].dtypes.items():
        if isinstance(dtype, pd.CategoricalDtype):
            out[col] = out[col].astype("category")
    return out


def add_up(parts: list[StaffingPlan]) -> StaffingPlan:
    """Staffing splits of several kabupaten, summed (numbers only)."""
    if len(parts) == 1:
        return parts[0]
    totals = {k: sum(p[k] for p in parts) for k, v in parts[0].items() if isinstance(v, int)}  # type: ignore[literal-required]
    return cast(StaffingPlan, totals)


def _print_progress(total: int, lang: str = "id") -> Callable[[int], None]:
    from pilkadasim.report.labels import t

    done = [0]

    def step(n: int) -> None:
        done[0] += n
        line = t("progress", lang, done=done[0], total=total)
        print(f"\r  {line}", end="\n" if done[0] >= total else "", flush=True)

    return step
