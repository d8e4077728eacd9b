"""The Python API: compose a configuration, simulate it, look at or save the results."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from pilkadasim import __version__
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

    GlobalHydra.instance().clear()
    try:
        with initialize_config_module("pilkadasim.conf", version_base="1.3"):
            return hydra_compose("config", overrides=list(overrides or []))
    except (HydraException, OmegaConfBaseException) as err:
        raise InputError(f"configuration: {err}") from None


def config_hash(cfg: DictConfig) -> str:
    """Hash of everything that determines the simulated numbers (not workers, not report)."""
    picked = {k: OmegaConf.select(cfg, k) for k in MODEL_KEYS}
    text = OmegaConf.to_yaml(OmegaConf.create(picked), resolve=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass
class Results:
    """What one run produced. ``summary`` is identical to summary.json."""

    cfg: DictConfig
    incidents: pd.DataFrame
    units: pd.DataFrame
    summary: dict[str, Any]
    trips: pd.DataFrame = field(default_factory=pd.DataFrame)
    built: Any = None
    timings: dict[str, float] = field(default_factory=dict)

    def save(self, directory: str | Path) -> Path:
        """Write incidents.parquet, units.parquet and summary.json (atomically) to
        ``directory``; also config.yaml when the folder has no Hydra ``.hydra`` record."""
        from pilkadasim.io import write_json, write_parquet, write_text

        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        write_parquet(out / "incidents.parquet", self.incidents)
        write_parquet(out / "units.parquet", self.units)
        if not (out / ".hydra").exists():
            write_text(out / "config.yaml", OmegaConf.to_yaml(self.cfg))
        write_json(out / "summary.json", self.summary)
        return out


def simulate(
    cfg: DictConfig, *, progress: bool = False, on_progress: Callable[[int], None] | None = None
) -> Results:
    """Validate ``cfg``, build the scenario once, run the replications, summarise."""
    from pilkadasim.analysis.metrics import summarize
    from pilkadasim.analysis.tables import incidents_frame, trips_frame, units_frame
    from pilkadasim.config.convert import to_scenario
    from pilkadasim.runner import run_replications

    t0 = time.perf_counter()
    built = to_scenario(cfg)
    t1 = time.perf_counter()
    reps, seed = int(cfg.run.replications), int(cfg.run.seed)
    callback = on_progress
    if progress and callback is None:
        callback = _print_progress(reps)
    records = run_replications(built.scenario, reps, seed, cfg.run.workers, callback)
    t2 = time.perf_counter()
    incidents = incidents_frame(records, built)
    units = units_frame(records, built)
    summary = summarize(
        incidents,
        units,
        replications=reps,
        seed=seed,
        targets=[float(t) for t in cfg.report.targets_min],
        escalated=int(sum(records.incidents["escalated"])),
        provenance={"version": __version__, "config_hash": config_hash(cfg)},
        staffing=built.staffing,
    )
    timings = {"build_s": t1 - t0, "simulate_s": t2 - t1, "summarise_s": time.perf_counter() - t2}
    return Results(cfg, incidents, units, summary, trips_frame(records, built), built, timings)


def _print_progress(total: int) -> Callable[[int], None]:
    done = [0]

    def step(n: int) -> None:
        done[0] += n
        print(
            f"\r  replications {done[0]}/{total}", end="\n" if done[0] >= total else "", flush=True
        )

    return step
