"""Builders and checks for ``timeline=operation`` and ``incidents.surges``.

``to_scenario`` calls three small hooks from here: :func:`with_kpu_office` (the KPU kabupaten
office becomes the last incident site of an operation run), :func:`with_operation` (the
election-day timeline spec gains the operation's stages, see
:mod:`pilkadasim.core.operation`) and :func:`with_surges` (see :mod:`pilkadasim.core.surges`).
Each returns its input unchanged when its feature is off, so the default run is untouched.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from omegaconf import DictConfig

from pilkadasim.core.scenario import (
    BASE_KINDS,
    CATEGORIES,
    STAGES,
    IncidentSpec,
    Region,
    Sites,
    TimelineSpec,
    frozen_array,
)
from pilkadasim.core.specs import OperationSpec, SurgeSpec
from pilkadasim.errors import InputError

SURGE_STAGES = ("recap", "pleno", "kpu_recap")  # the after-count stages of office sites


def operation_on(cfg: DictConfig) -> bool:
    return bool(cfg.timeline.mode == "operation")


def kpu_id(region_name: str) -> str:
    return f"KPU {region_name}"


def with_kpu_office(cfg: DictConfig, region: Region) -> Region:
    """``region`` with the KPU kabupaten office appended as the last site (operation only):
    at ``timeline.operation.kpu_lat/lon``, else at the first ``polres`` base (stated
    assumption: KPU and Polres headquarters are in the same town)."""
    if not operation_on(cfg):
        return region
    op, s, bases = cfg.timeline.operation, region.sites, region.bases
    polres = np.flatnonzero(bases.kind == BASE_KINDS.index("polres"))
    at = int(polres[0]) if len(polres) else 0
    if len(bases) == 0:
        raise InputError("timeline=operation needs at least one base in bases.csv")
    lat = float(op.kpu_lat) if op.kpu_lat is not None else float(bases.lat[at])
    lon = float(op.kpu_lon) if op.kpu_lon is not None else float(bases.lon[at])
    kec = max(int(bases.kecamatan[at]), 0)
    name = kpu_id(region.name)
    if name in s.ids:
        raise InputError(f"tps.csv, column tps_id: {name!r} is the id of the KPU office")
    sites = Sites(
        (*s.ids, name),
        frozen_array([*s.kecamatan, kec], np.int64),
        frozen_array([*s.category, CATEGORIES.index("ppk")], np.int64),
        frozen_array([*s.lat, lat], float),
        frozen_array([*s.lon, lon], float),
        frozen_array([*s.voters, 0.0], float),
        s.n_tps,
        s.ppk_site,
    )
    return replace(region, sites=sites)


def with_operation(cfg: DictConfig, region: Region, timeline: TimelineSpec) -> TimelineSpec:
    """The election-day ``timeline`` extended to the operation (operation only)."""
    if not operation_on(cfg):
        return timeline
    from pilkadasim.config.builders.distribution import build_distribution

    t, op = cfg.timeline, cfg.timeline.operation
    assert timeline.handover is not None
    spec = OperationSpec(
        kpu_site=len(region.sites) - 1,
        prep_from_at=float(op.prep_from_at),
        ppk_delivery_at=(float(op.ppk_delivery_at[0]), float(op.ppk_delivery_at[1])),
        tps_delivery_at=(float(op.tps_delivery_at[0]), float(op.tps_delivery_at[1])),
        handover=timeline.handover,
        pleno_start_at=float(op.pleno_start_at),
        pleno=build_distribution("timeline.operation.pleno_min", op.pleno_min),
        kpu_recap_start_at=float(op.kpu_recap_start_at),
        kpu_recap=build_distribution("timeline.operation.kpu_recap_min", op.kpu_recap_min),
        office_guards=int(op.office_guards),
    )
    return replace(
        timeline,
        mode="operation",
        start_at=float(t.start_at),
        end_at=float(t.end_at),
        operation=spec,
    )


def with_surges(cfg: DictConfig, incidents: IncidentSpec) -> IncidentSpec:
    """``incidents`` with protest surges (when ``incidents.surges.enabled``)."""
    sg = cfg.incidents.surges
    if not sg.enabled:
        return incidents
    names = [ty.name for ty in incidents.types]
    spec = SurgeSpec(
        stages=tuple(STAGES.index(s) for s in SURGE_STAGES),
        rate_per_hour=float(sg.rate_per_hour),
        extra_mean=float(sg.extra_mean),
        spread_min=float(sg.spread_min),
        type_index=names.index(str(sg.type)),
    )
    return replace(incidents, surges=spec)


def check(fail: Any, cfg: DictConfig) -> None:
    """Value checks of both features; ``fail(key, value, why)`` records a problem."""
    sg, inc = cfg.incidents.surges, cfg.incidents
    if sg.enabled:
        for key in ("rate_per_hour", "extra_mean", "spread_min"):
            if not float(sg[key]) >= 0:
                fail(f"incidents.surges.{key}", sg[key], "must be >= 0")
        if inc.model == "poisson":
            fail("incidents.surges.enabled", True, "surges need incidents=baseline")
        elif sg.type not in inc.types:
            fail("incidents.surges.type", sg.type, f"unknown type; use one of {list(inc.types)}")
        if not cfg.region.ppk:
            fail("incidents.surges.enabled", True, "surges happen at PPK offices: region.ppk")
    if not operation_on(cfg):
        return
    t, op = cfg.timeline, cfg.timeline.operation
    if not cfg.region.ppk:
        fail("timeline", "operation", "the operation needs the PPK offices (region.ppk=true)")
    for key in ("ppk_delivery_at", "tps_delivery_at"):
        pair = list(op[key])
        if len(pair) != 2 or not t.start_at <= pair[0] <= pair[1] < op.prep_from_at:
            fail(f"timeline.operation.{key}", pair, "needs [low, high] within the set-up")
    if not op.prep_from_at < t.open_at < op.pleno_start_at < op.kpu_recap_start_at < t.end_at:
        fail(
            "timeline.operation",
            "times",
            "needs prep_from_at < open_at < pleno_start_at < kpu_recap_start_at < end_at",
        )
    if int(op.office_guards) < 0:
        fail("timeline.operation.office_guards", op.office_guards, "must be >= 0")
