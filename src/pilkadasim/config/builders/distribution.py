"""Duration distributions from a ``{dist: ..., ...}`` block (timeline and incident groups)."""

from __future__ import annotations

from omegaconf import DictConfig

from pilkadasim.core import distributions as D
from pilkadasim.errors import InputError


def build_distribution(key: str, d: DictConfig) -> D.Distribution:
    """The distribution ``d`` describes; a bad parameter is an :class:`InputError` naming
    ``key``."""
    try:
        if d.dist == "deterministic":
            return D.Deterministic(float(d.value))
        if d.dist == "exponential":
            return D.Exponential(float(d.mean))
        if d.dist == "uniform":
            return D.Uniform(float(d.low), float(d.high))
        if d.p95 is not None:
            return D.LogNormal.from_median_p95(float(d.median), float(d.p95))
        if d.sigma is not None:
            return D.LogNormal(float(d.median), float(d.sigma))
        return D.LogNormal.from_mean_cv(float(d.mean), float(d.cv))
    except ValueError as err:
        raise InputError(f"{key}: {err}") from None
