"""Runs for the page: compose, simulate (cancellable), cache, and what the page draws.

A run is keyed by its full override list. The summary is exactly
``pilkadasim.simulate(pilkadasim.compose(overrides)).summary``: the page only forces
``run.workers=1`` and ``run.progress=false``, which change how, not what, is computed
(results do not depend on the worker count). A run is simulated in-process, one
replication chunk at a time; between chunks it checks its cancel flag, so a page that has
moved on stops paying for stale answers.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pilkadasim.analysis.metrics import reserve_needed
from pilkadasim.app import overrides as ov
from pilkadasim.errors import InputError

ECDF_POINTS = 121
ATTENTION = 6  # places listed under "needs attention"


class Cancelled(Exception):
    """The request that asked for this run has gone away."""


@dataclass
class Limits:
    restricted: bool = False  # off loopback: allow-list of keys
    max_replications: int | None = None
    max_runs: int = 2  # simulations at the same time


@dataclass
class Entry:
    """One finished run and what the page shows of it (computed once)."""

    overrides: list[str]
    results: Any
    view: dict[str, Any]
    daily: dict[str, np.ndarray]
    outputs: dict[str, Path] = field(default_factory=dict)


class Engine:
    """Runs, caches and describes simulations for the page."""

    def __init__(self, base: list[str], limits: Limits, workdir: Path, cache_size: int = 12):
        self.base = list(base)
        self.limits = limits
        self.workdir = workdir
        self.cache: OrderedDict[tuple[str, ...], Entry] = OrderedDict()
        self.cache_size = cache_size
        self.lock = threading.Lock()
        self.key_locks: dict[tuple[str, ...], threading.Lock] = {}
        self.slots = threading.BoundedSemaphore(limits.max_runs)
        self.wait_s = 60.0  # how long a run waits for a free slot before "busy"
        self.folders = 0  # meeting-file folders written so far
        self.composed: dict[tuple[str, ...], Any] = {}  # by config-group choices
        self.stats: dict[str, float] = {"started": 0, "finished": 0, "cancelled": 0, "cached": 0}

    # ------------------------------------------------------------------ config
    def full(self, changes: list[str]) -> list[str]:
        """The starting overrides with the page's ``changes`` applied (checked first)."""
        ov.check_syntax(changes)
        ov.police(changes, self.limits.restricted)
        return ov.merge(self.base, changes)

    def compose(self, overrides: list[str]) -> Any:
        cfg = self.fast_compose(overrides)
        cap = self.limits.max_replications
        if cap is not None and int(cfg.run.replications) > cap:
            raise InputError(
                f"run.replications={cfg.run.replications}: at most {cap} on this server"
            )
        return cfg

    def fast_compose(self, overrides: list[str]) -> Any:
        """``pilkadasim.compose(overrides)``, faster: the config-group choices are composed
        by Hydra once and kept; plain ``a.b=value`` overrides are then applied to a copy the
        way Hydra applies them (parsed by Hydra's parser, ``OmegaConf.update(merge=True)`` on
        the struct config). Anything else, and any error, takes Hydra's own path, so
        messages are the command line's. A test holds the two equal."""
        import copy

        import pilkadasim

        values = [o for o in overrides if plain_value(o)]
        groups = tuple(o for o in overrides if not plain_value(o))
        with self.lock:
            base = self.composed.get(groups)
        if base is None:
            base = pilkadasim.compose(list(groups))
            with self.lock:
                self.composed[groups] = base
                while len(self.composed) > 16:
                    self.composed.pop(next(iter(self.composed)))
        cfg = copy.deepcopy(base)
        try:
            apply_values(cfg, values)
        except Exception:  # Hydra's path gives the canonical result or message
            return pilkadasim.compose(overrides)
        return cfg

    # ------------------------------------------------------------------ runs
    def entry(self, changes: list[str], cancel: threading.Event | None = None) -> Entry:
        """The cached run of ``changes`` or a new one (raises InputError, Cancelled)."""
        overrides = self.full(changes)
        key = tuple(overrides)
        with self.lock:
            if key in self.cache:
                self.cache.move_to_end(key)
                self.stats["cached"] += 1
                return self.cache[key]
            key_lock = self.key_locks.setdefault(key, threading.Lock())
        with key_lock:  # a second request for the same plan waits for the first
            with self.lock:
                if key in self.cache:
                    return self.cache[key]
            wall, cpu = time.perf_counter(), time.thread_time()
            cfg = self.compose(overrides)
            entry = self._run(overrides, cfg, cancel or threading.Event())
            self.stats["last_run_s"] = round(time.perf_counter() - wall, 3)
            self.stats["last_run_cpu_s"] = round(time.thread_time() - cpu, 3)
            with self.lock:
                self.cache[key] = entry
                while len(self.cache) > self.cache_size:
                    self.cache.popitem(last=False)
            return entry

    def _run(self, overrides: list[str], cfg: Any, cancel: threading.Event) -> Entry:
        from pilkadasim.api import simulate

        cfg.run.workers = 1  # in-process: cancellable; results do not depend on it
        cfg.run.progress = False

        def check(_n: int) -> None:
            if cancel.is_set():
                raise Cancelled

        if not self.slots.acquire(timeout=self.wait_s):
            raise InputError("the server is busy with other runs; try again in a minute")
        try:
            self.stats["started"] += 1
            check(0)
            res = simulate(cfg, on_progress=check)
        except Cancelled:
            self.stats["cancelled"] += 1
            raise
        finally:
            self.slots.release()
        self.stats["finished"] += 1
        targets = [float(t) for t in cfg.report.targets_min]
        return Entry(overrides, res, describe(res, targets), daily_values(res, targets))

    # ------------------------------------------------------------------ outputs
    def outputs(self, changes: list[str], lang: str) -> tuple[Entry, Path]:
        """The files a command-line run writes, for this plan and language (made once)."""
        from omegaconf import OmegaConf

        from pilkadasim.outputs import write_run_outputs

        entry = self.entry(changes)
        if lang in entry.outputs:
            return entry, entry.outputs[lang]
        with self.lock:
            self.folders += 1
            folder = self.workdir / f"run-{self.folders:04d}-{lang}"
        res = entry.results
        cfg = OmegaConf.create(OmegaConf.to_container(res.cfg))
        cfg.report.lang = lang
        res.save(folder)  # the same writers, in the same order, as the command line
        region = res.built.region if res.built else None
        write_run_outputs(folder, cfg, res.summary, res.incidents, region)
        entry.outputs[lang] = folder
        return entry, folder


def plain_value(override: str) -> bool:
    """``a.b=value``: a value inside the config, not a config-group choice or +/~ edit."""
    key = override.split("=", 1)[0]
    return "=" in override and "." in key and key[0].isalpha() and not key.startswith("hydra")


def apply_values(cfg: Any, values: list[str]) -> None:
    """Apply value overrides as Hydra does after composing (raises on anything unusual)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf

    for o in OverridesParser.create().parse_overrides(values):
        unusual = o.is_delete() or o.is_add() or o.is_force_add() or o.is_sweep_override()
        if o.package is not None or unusual:
            raise ValueError(o.input_line)
        OmegaConf.update(cfg, o.key_or_group, o.value(), merge=True)


def output_files(folder: Path) -> list[str]:
    """Every file of a written run, meeting files first (data-driven: whatever was written)."""
    names = sorted(
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    )
    first = ("report", "slides")
    return sorted(names, key=lambda n: (not n.startswith(first), "/" in n, n))


# ---------------------------------------------------------------------- the page's data
def unreached_as_inf(inc: pd.DataFrame) -> np.ndarray:
    return np.nan_to_num(inc["response_min"].to_numpy(dtype=float), nan=np.inf)


def ecdf_points(inc: pd.DataFrame) -> list[list[float]]:
    """The response-time ECDF over all incidents (unreached never arrive), as points."""
    r = np.sort(unreached_as_inf(inc))
    if r.size == 0:
        return []
    probs = np.linspace(0.0, 1.0, ECDF_POINTS)
    idx = np.minimum((probs * (r.size - 1)).round().astype(int), r.size - 1)
    pts = [[float(r[i]), float((i + 1) / r.size)] for i in idx if np.isfinite(r[i])]
    return [[round(x, 3), round(y, 5)] for x, y in pts]


def tps_p90(inc: pd.DataFrame, tps_ids: list[str]) -> list[float | str | None]:
    """p90 response per TPS in region order: minutes, "unreached", or None (no incident)."""
    df = pd.DataFrame({"tps": inc["tps_id"].astype(str).to_numpy(), "r": unreached_as_inf(inc)})
    per = df.groupby("tps")["r"].quantile(0.9, interpolation="higher")
    out: list[float | str | None] = []
    for t in tps_ids:
        v = per.get(t)
        out.append(
            None if v is None else ("unreached" if not np.isfinite(v) else round(float(v), 1))
        )
    return out


def attention(inc: pd.DataFrame, region: Any, target: float) -> list[dict[str, Any]]:
    """The places (TPS, PPK offices) with the most incidents reached later than ``target``."""
    df = pd.DataFrame(
        {"tps": inc["tps_id"].astype(str).to_numpy(), "miss": unreached_as_inf(inc) > target}
    )
    g = df.groupby("tps")["miss"].agg(["mean", "size", "sum"])
    g = g.sort_values(["sum", "mean"], ascending=False).head(ATTENTION)  # most misses first
    info = region.tps.set_index("tps_id") if region is not None else None
    rows = []
    for tps, r in g.iterrows():
        if r["mean"] <= 0:
            continue
        place = info.loc[tps] if info is not None and tps in info.index else None
        rows.append(
            {
                "tps_id": str(tps),
                "desa": None if place is None else str(place["desa"]),
                "kecamatan": None if place is None else str(place["kecamatan"]),
                "category": None if place is None else str(place["category"]),
                "miss": round(float(r["mean"]), 4),
                "incidents": int(r["size"]),
            }
        )
    return rows


def describe(res: Any, targets: list[float]) -> dict[str, Any]:
    """What the page draws besides the summary: ECDF, per-TPS map values, attention list."""
    inc = res.incidents
    region = res.built.region if res.built else None
    tps_ids = [str(t) for t in region.tps["tps_id"]] if region is not None else []
    return {
        "ecdf": ecdf_points(inc),
        "targets": targets,
        "tps_p90": tps_p90(inc, tps_ids),
        "attention": attention(inc, region, max(targets)),
    }


def daily_values(res: Any, targets: list[float]) -> dict[str, np.ndarray]:
    """Per replication (day): incidents and incidents reached within each target, for all
    incidents and those needing the reserve (paired comparisons need per-day values)."""
    inc = res.incidents
    n = int(res.summary["replications"])
    reps = inc["replication"].to_numpy()
    r = unreached_as_inf(inc)
    out = {"reps": np.arange(n), "count": np.bincount(reps, minlength=n).astype(float)}
    for t in targets:
        out[f"hit_{t:g}"] = np.bincount(reps, weights=(r <= t), minlength=n)
    reserve = reserve_needed(inc)
    out["reserve_r"] = r[reserve]
    out["reserve_rep"] = reps[reserve]
    return out


def region_view(overrides: list[str]) -> dict[str, Any]:
    """Outlines, TPS and bases of the scenario's region, for the map (no simulation)."""
    import pilkadasim
    from pilkadasim.config.convert import load_region_data

    region = load_region_data(pilkadasim.compose(overrides))
    tps = region.tps
    bases = region.bases
    return {
        "name": region.name,
        "outlines": region.outlines,
        "tps": {
            "id": tps["tps_id"].astype(str).tolist(),
            "lat": tps["lat"].round(5).tolist(),
            "lon": tps["lon"].round(5).tolist(),
            "kecamatan": tps["kecamatan"].astype(str).tolist(),
        },
        "bases": [
            {
                "id": str(b.base_id),
                "name": str(b.name),
                "kind": str(b.kind),
                "lat": b.lat,
                "lon": b.lon,
            }
            for b in bases.itertuples()
        ],
    }
