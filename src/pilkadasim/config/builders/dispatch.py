"""The ``dispatch`` group → :class:`~pilkadasim.core.scenario.DispatchSpec`."""

from __future__ import annotations

from omegaconf import DictConfig

from pilkadasim.core.scenario import DispatchSpec


def build_dispatch(cfg: DictConfig) -> DispatchSpec:
    d = cfg.dispatch
    return DispatchSpec(
        policy=d.policy,
        reserve_k=int(d.reserve_k),
        cutoff_severity=int(d.cutoff_severity),
        doctrine=str(d.doctrine),
        capability_wait_min=float(d.capability_wait_min),
        guard_max_travel_min=float(d.guard_max_travel_min),
    )
