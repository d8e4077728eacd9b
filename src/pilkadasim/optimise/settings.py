"""The ``optimise`` settings, checked before anything runs.

The metric is a key path of ``summary.json`` (:mod:`pilkadasim.optimise.keys` lists which and
says which are maximised); the indifference zone δ is in the metric's units: ``delta_min``
minutes for a time, ``delta_share`` for a share or utilisation, ``delta_count`` incidents per
day for a count.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omegaconf import DictConfig, OmegaConf

from pilkadasim.errors import InputError
from pilkadasim.optimise.keys import Metric, parse_metric

__all__ = ["Metric", "Settings", "read_settings"]


@dataclass(frozen=True)
class Settings:
    metric: Metric
    candidates: tuple[str, ...] | None  # None: every base of the region
    budget: int | None
    move_fixed: bool
    split: bool
    delta: float  # indifference zone in the metric's units (minutes, or a share)
    alpha: float
    cover_min: float | None
    search_days: int
    batch_days: int
    neighbours: int
    max_steps: int
    finalists: int
    max_batches: int


def _candidates(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, str):
        if value == "all":
            return None
        return tuple(v.strip() for v in value.split(",") if v.strip())
    items = OmegaConf.to_container(value) if OmegaConf.is_config(value) else value
    if isinstance(items, list | tuple) and items and all(isinstance(v, str) for v in items):
        return tuple(items)
    raise InputError(f"optimise.candidates = {value!r}: use all or a list of base ids")


def read_settings(cfg: DictConfig) -> Settings:
    """The checked settings of ``cfg.optimise`` (one message listing every problem)."""
    o = cfg.optimise
    problems = []
    checks = (
        ("delta_min", o.delta_min > 0, "must be > 0 (the indifference zone)"),
        ("delta_share", 0 < o.delta_share < 1, "must be between 0 and 1 (a share)"),
        ("delta_count", o.delta_count > 0, "must be > 0 (incidents per day)"),
        ("alpha", 0 < o.alpha < 0.5, "must be between 0 and 0.5 (P(correct) = 1 − alpha)"),
        ("batch_days", o.batch_days >= 1, "must be >= 1"),
        ("search_replications", o.search_replications >= 2 * o.batch_days, "must be >= 2 batches"),
        ("neighbours", o.neighbours >= 1, "must be >= 1"),
        ("max_steps", o.max_steps >= 0, "must be >= 0"),
        ("finalists", o.finalists >= 1, "must be >= 1"),
        ("max_batches", o.max_batches >= 2, "must be >= 2"),
        ("budget", o.budget is None or o.budget >= 1, "must be >= 1 team (or null)"),
        ("cover_min", o.cover_min is None or o.cover_min > 0, "must be > 0 (or null)"),
    )
    for key, ok, why in checks:
        if not ok:
            problems.append(f"optimise.{key} = {o[key]!r}: {why}")
    targets = [float(t) for t in cfg.report.targets_min]
    try:
        metric = parse_metric(o.metric, targets)
        candidates = _candidates(o.candidates)
    except InputError as err:
        problems.append(str(err))
    if problems:
        raise InputError(problems)
    return Settings(
        metric,
        candidates,
        None if o.budget is None else int(o.budget),
        bool(o.move_fixed),
        bool(o.split),
        _delta(o, metric),
        float(o.alpha),
        None if o.cover_min is None else float(o.cover_min),
        int(o.search_replications),
        int(o.batch_days),
        int(o.neighbours),
        int(o.max_steps),
        int(o.finalists),
        int(o.max_batches),
    )


def _delta(o: DictConfig, metric: Metric) -> float:
    """δ in the metric's units (a count's batch observations are incidents per day)."""
    if metric.kind == "minutes":
        return float(o.delta_min)
    return float(o.delta_count if metric.kind == "count" else o.delta_share)
