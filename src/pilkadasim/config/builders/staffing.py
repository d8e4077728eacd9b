"""The ``staffing`` group → TPS guards (:class:`~pilkadasim.core.scenario.GuardSpec`), the
reserve units (:class:`~pilkadasim.core.scenario.UnitSpec`) and how the personnel total is
split between them. Where units wait is :mod:`pilkadasim.config.builders.placement`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from omegaconf import DictConfig

from pilkadasim.config.builders.travel import speed_factor
from pilkadasim.core.scenario import CATEGORIES, GuardSpec, Region, UnitSpec, frozen_array

IntArray = NDArray[np.int64]


def build_guards(cfg: DictConfig, region: Region, desa: pd.Series) -> tuple[GuardSpec, int]:
    """Group the TPS of one category within one kecamatan, ``b`` at a time in desa order (so a
    group spans at most a desa boundary), with ``p`` guards each (pattern ``[p, b]``); guards
    are posted evenly over their group's TPS."""
    s = region.sites
    pattern = cfg.staffing.guard_patterns[cfg.staffing.guard_pattern]
    if not pattern:
        return GuardSpec.none(s.n_tps), 0
    n = s.n_tps
    desa_code = pd.factorize(desa.astype(str))[0]
    kec, cat = s.kecamatan[:n], s.category[:n]
    order = np.lexsort((s.lon[:n], s.lat[:n], desa_code, cat, kec))
    group_of = np.full(n, -1, dtype=np.int64)
    guard_group: list[int] = []
    guard_post: list[int] = []
    keys = list(zip(kec[order].tolist(), cat[order].tolist(), strict=True))
    start = 0
    while start < n:
        stop = start
        while stop < n and keys[stop] == keys[start]:
            stop += 1
        police, per_group = (int(x) for x in pattern.get(CATEGORIES[keys[start][1]], [0, 1]))
        _post_guards(order[start:stop], police, per_group, group_of, guard_group, guard_post)
        start = stop
    spec = GuardSpec(
        frozen_array(group_of, np.int64),
        frozen_array(guard_group, np.int64),
        frozen_array(guard_post, np.int64),
    )
    return spec, len(guard_group)


def _post_guards(
    run: IntArray,
    police: int,
    per_group: int,
    group_of: IntArray,
    guard_group: list[int],
    guard_post: list[int],
) -> None:
    """Groups of ``per_group`` TPS out of ``run`` (one category in one kecamatan, in order),
    ``police`` guards each, appended to the guard lists."""
    for g0 in range(0, len(run), per_group) if police > 0 else ():
        members = run[g0 : g0 + per_group]
        group = guard_group[-1] + 1 if guard_group else 0  # every group has >= 1 guard
        group_of[members] = group
        for k in range(police):
            guard_group.append(group)
            guard_post.append(int(members[k * len(members) // police]))


def reserve_teams(cfg: DictConfig, guards: int) -> int:
    """``staffing.reserve_units``, or with ``fill_budget`` as many teams as the personnel
    total allows after TPS guards, fixed police units and ``support_min``."""
    s = cfg.staffing
    if not s.fill_budget:
        return int(s.reserve_units)
    fixed = sum(
        int(f.count) * int(s.unit_kinds[f.kind].crew)
        for f in s.fixed_units.values()
        if s.unit_kinds[f.kind].police
    )
    free = int(s.personnel_total) - guards - fixed - int(s.support_min)
    return max(0, free // int(s.unit_kinds[s.reserve_kind].crew))


def personnel_split(cfg: DictConfig, guards: int, units: pd.DataFrame) -> dict[str, Any]:
    """How the personnel total is used. A plan needing more than the total is allowed (a
    what-if with reinforcements) and reported as ``over_budget``."""
    kinds = cfg.staffing.unit_kinds
    police = units[[bool(kinds[k].police) for k in units["kind"]]] if len(units) else units
    by_kind = police.groupby("kind")["crew"].agg(["count", "sum"]) if len(police) else None
    reserve = int(police["crew"].sum()) if len(police) else 0
    total = int(cfg.staffing.personnel_total)
    other = total - guards - reserve
    partner = units[[not bool(kinds[k].police) for k in units["kind"]]] if len(units) else units
    return {
        "personnel_total": total,
        "tps_guards": guards,
        "reserve": reserve,
        "reserve_by_kind": {
            k: {"units": int(r["count"]), "personnel": int(r["sum"])} for k, r in by_kind.iterrows()
        }
        if by_kind is not None
        else {},
        "reserve_teams": int((units["kind"] == cfg.staffing.reserve_kind).sum()),
        "command_and_support": max(other, 0),
        "over_budget": max(-other, 0),
        "partner_units": len(partner),
        "partner_personnel": int(partner["crew"].sum()) if len(partner) else 0,
    }


def build_units(cfg: DictConfig, region: Region, units_df: pd.DataFrame) -> tuple[UnitSpec, ...]:
    kinds = cfg.staffing.unit_kinds
    return tuple(
        UnitSpec(
            unit_id=r.unit_id,
            base=region.bases.ids.index(r.base_id),
            kind=r.kind,
            crew=int(r.crew),
            capability=int(kinds[r.kind].capability),
            mobilisation_min=_mobilisation(cfg, r.kind),
            speed_factor=speed_factor(cfg, r.kind),
            tier=int(kinds[r.kind].tier),
            police=bool(kinds[r.kind].police),
        )
        for r in units_df.itertuples()
    )


def _mobilisation(cfg: DictConfig, kind: str) -> float:
    """Mobilisation delay of a unit kind; none with ``staffing.mobilisation=false``."""
    if not cfg.staffing.mobilisation:
        return 0.0
    return float(cfg.staffing.unit_kinds[kind].mobilisation_min)
