"""Where the mobile fleet waits (``staffing.placement``, ``staffing.fixed_units``): the unit
table ``unit_id, base_id, kind, crew`` — units.csv if the region has one, else reserve teams
placed by the rule plus the fixed units."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from omegaconf import DictConfig

from pilkadasim.config.partners import partner_rows
from pilkadasim.core.scenario import BASE_KINDS, Region
from pilkadasim.data.loaders import RegionData
from pilkadasim.errors import InputError

UNIT_COLUMNS = ["unit_id", "base_id", "kind", "crew"]


def build_unit_table(
    cfg: DictConfig, data: RegionData, region: Region, n_reserve: int
) -> pd.DataFrame:
    """The mobile fleet: units.csv if the region has one, else reserve teams + fixed units."""
    if data.units is not None:
        return data.units[UNIT_COLUMNS].assign(crew=lambda f: f["crew"].astype(int))
    s = cfg.staffing
    rows = []
    bases = placement_bases(s.placement, n_reserve, data, region)
    kind = s.unit_kinds[s.reserve_kind]
    for i, base in enumerate(bases, start=1):
        rows.append((f"{s.reserve_kind}_{i:02d}", base, s.reserve_kind, int(kind.crew)))
    for name, fixed in s.fixed_units.items():
        if int(fixed.count) == 0:  # switched off: its base need not exist
            continue
        where = _bases_for(fixed.base, data, region)
        crew = int(s.unit_kinds[fixed.kind].crew)
        for i in range(int(fixed.count)):
            rows.append((f"{name}_{i + 1:02d}", where[i % len(where)], fixed.kind, crew))
    rows += partner_rows(cfg, data)  # staffing.partners (config.partners)
    return pd.DataFrame(rows, columns=UNIT_COLUMNS)


def _bases_for(spec: str, data: RegionData, region: Region) -> list[str]:
    ids = list(data.bases["base_id"])
    if spec in ids:
        return [spec]
    if spec in BASE_KINDS:
        found = (
            polsek_by_size(data, region)
            if spec == "polsek"
            else [b for b, k in zip(ids, data.bases["kind"], strict=True) if k == spec]
        )
        if found:
            return found
    raise InputError(
        f"staffing: no base {spec!r} in bases.csv (ids: {', '.join(ids)}; or a "
        f"kind: {', '.join(sorted(set(data.bases['kind'])))})"
    )


def polsek_by_size(data: RegionData, region: Region) -> list[str]:
    """Polsek ids, the one with the most TPS in its kecamatan first."""
    s = region.sites
    tps_per_kec = np.bincount(s.kecamatan[: s.n_tps], minlength=len(region.kecamatan))
    polsek = [i for i, k in enumerate(data.bases["kind"]) if k == "polsek"]
    polsek.sort(key=lambda i: -tps_per_kec[region.bases.kecamatan[i]])
    return [str(data.bases["base_id"].iloc[i]) for i in polsek]


def placement_bases(placement: str, n: int, data: RegionData, region: Region) -> list[str]:
    """Where ``n`` reserve teams are staged: all at Polres, spread over Polsek (largest
    kecamatan first), half and half (mixed), or over the staging posts."""
    if n == 0:
        return []
    if placement == "polres":
        return _bases_for("polres", data, region)[:1] * n
    if placement == "polsek":
        spread = _bases_for("polsek", data, region)
        return [spread[i % len(spread)] for i in range(n)]
    if placement == "posts":
        spread = _bases_for("pos", data, region)
        return [spread[i % len(spread)] for i in range(n)]
    polres = _bases_for("polres", data, region)[0]
    spread = _bases_for("polsek", data, region)
    at_polres = math.ceil(n / 2)
    return [polres] * at_polres + [spread[i % len(spread)] for i in range(n - at_polres)]
