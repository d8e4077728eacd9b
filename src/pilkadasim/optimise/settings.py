"""The ``optimise`` settings, checked before anything runs, and the metric being optimised.

The metric is a key path of ``summary.json``: ``response_min.<stat>`` or
``reserve_response_min.<stat>`` (``stat``: mean, p50, p90, p95; minimised), or
``within_target.<T>`` / ``reserve_within_target.<T>`` (optionally ``.p``; the share reached
within ``T`` minutes, maximised; ``T`` must be one of ``report.targets_min``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from omegaconf import DictConfig, OmegaConf

from pilkadasim.errors import InputError

TIME_FAMILIES = ("response_min", "reserve_response_min")
SHARE_FAMILIES = ("within_target", "reserve_within_target")
STATS = ("mean", "p50", "p90", "p95")


@dataclass(frozen=True)
class Metric:
    path: str
    reserve: bool  # only incidents that needed the reserve (as in summary.json)
    stat: str  # mean | p50 | p90 | p95 | share
    target: float | None = None  # share within this many minutes

    @property
    def maximise(self) -> bool:
        return self.stat == "share"

    def loss(self, value: float) -> float:
        """What the search minimises: the value, or minus a share."""
        return -value if self.maximise else value


def parse_metric(path: str, targets: list[float]) -> Metric:
    parts = str(path).split(".")
    family = parts[0]
    if family in TIME_FAMILIES and len(parts) == 2 and parts[1] in STATS:
        return Metric(path, family.startswith("reserve"), parts[1])
    if family in SHARE_FAMILIES and len(parts) in (2, 3) and parts[-1] != "ci95":
        if len(parts) == 3 and parts[2] != "p":
            raise InputError(f"optimise.metric = {path!r}: the share is {family}.<T>.p")
        try:
            target = float(parts[1])
        except ValueError:
            raise InputError(f"optimise.metric = {path!r}: {parts[1]!r} is not minutes") from None
        if target not in targets:
            raise InputError(
                f"optimise.metric = {path!r}: summary.json has {family} only for "
                f"report.targets_min {targets}; add {target:g} there"
            )
        return Metric(path, family.startswith("reserve"), "share", target)
    raise InputError(
        f"optimise.metric = {path!r}: not an optimisable summary key; use "
        "response_min.<mean|p50|p90|p95>, reserve_response_min.<…>, within_target.<T> or "
        "reserve_within_target.<T>"
    )


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
        float(o.delta_share if metric.maximise else o.delta_min),
        float(o.alpha),
        None if o.cover_min is None else float(o.cover_min),
        int(o.search_replications),
        int(o.batch_days),
        int(o.neighbours),
        int(o.max_steps),
        int(o.finalists),
        int(o.max_batches),
    )
