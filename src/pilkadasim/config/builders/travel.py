"""The ``travel`` group → :class:`~pilkadasim.core.scenario.TravelSpec`: reference minutes
from every node (bases, then sites) to every site — none, by road (great circle × detour ÷
speed) or from travel_minutes.csv — and the hour-of-day and rain multipliers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from omegaconf import DictConfig

from pilkadasim.core.scenario import Region, Sites, TravelSpec, frozen_array
from pilkadasim.core.travel import (
    ArrayPairs,
    MatrixPairs,
    RoadPairs,
    TravelTable,
    ZeroPairs,
    unit_vectors,
)
from pilkadasim.data.loaders import RegionData
from pilkadasim.errors import InputError

IntArray = NDArray[np.int64]


def speed_factor(cfg: DictConfig, kind: str) -> float:
    """Reference speed ÷ the speed of ``kind`` (a unit kind, ``guard`` or ``box``); 1 unless
    travel is by road."""
    t = cfg.travel
    if t.mode != "road":
        return 1.0
    return float(t.reference_speed_kmh) / float(t.speed_kmh[kind])


def build_travel(cfg: DictConfig, region: Region, data: RegionData) -> TravelSpec:
    t = cfg.travel
    if t.mode == "zero":
        table = TravelTable(len(region.bases), len(region.sites), ZeroPairs(), ZeroPairs())
    elif t.mode == "road":
        table = road_table(t, region)
    else:
        table = matrix_table(data, region)
    return TravelSpec(
        mode=t.mode,
        minutes=table,
        guard_factor=speed_factor(cfg, "guard"),
        box_factor=speed_factor(cfg, "box"),
        hourly_factor=frozen_array(list(t.hourly_factor), float),
        rain_probability=float(t.rain_probability),
        rain_from_at=float(t.rain_from_at),
        rain_until_at=float(t.rain_until_at),
        rain_factor=float(t.rain_factor),
    )


def road_table(t: DictConfig, region: Region) -> TravelTable:
    """Great-circle km × ``detour_factor`` ÷ ``reference_speed_kmh``, in minutes."""
    s, b = region.sites, region.bases
    per_km = float(t.detour_factor) / float(t.reference_speed_kmh) * 60.0
    if not math.isfinite(per_km * 40_075.0):  # minutes around the Earth
        raise InputError(
            f"travel.detour_factor = {t.detour_factor}, reference_speed_kmh = "
            f"{t.reference_speed_kmh}: travel minutes overflow; use a detour factor "
            "between 1 and about 3"
        )
    site_xyz, base_xyz = unit_vectors(s.lat, s.lon), unit_vectors(b.lat, b.lon)
    base_pairs = RoadPairs(base_xyz, site_xyz, per_km)
    return TravelTable(len(b), len(s), base_pairs, RoadPairs(site_xyz, site_xyz, per_km))


def matrix_table(data: RegionData, region: Region) -> TravelTable:
    """Minutes from nodes to sites out of travel_minutes.csv. Base→TPS pairs are required
    (checked on load); a missing TPS→TPS pair is the reverse pair or, failing that, routed via
    the best base; PPK offices use the TPS nearest to them."""
    s, b = region.sites, region.bases
    n_tps = s.n_tps
    base_index = {bid: i for i, bid in enumerate(b.ids)}
    tps_index = pd.Series(np.arange(n_tps), index=list(s.ids[:n_tps]))
    assert data.travel is not None, "travel=matrix: the region has no travel_minutes.csv"
    tr = data.travel
    to = tps_index.reindex(tr["to_id"]).to_numpy()
    frm_tps = tps_index.reindex(tr["from_id"]).to_numpy()
    minutes = tr["minutes"].to_numpy(float)
    base_tps = np.full((len(b), n_tps), np.nan)
    from_base = tr["from_id"].map(base_index).to_numpy()
    sel = ~np.isnan(from_base) & ~np.isnan(to)
    base_tps[from_base[sel].astype(np.int64), to[sel].astype(np.int64)] = minutes[sel]
    pair = ~np.isnan(frm_tps) & ~np.isnan(to)
    keys = frm_tps[pair].astype(np.int64) * n_tps + to[pair].astype(np.int64)
    alias = np.concatenate([np.arange(n_tps), nearest_tps(s)])
    pairs = MatrixPairs(keys, minutes[pair], base_tps, alias)
    return TravelTable(len(b), len(s), ArrayPairs(base_tps, alias), pairs)


def nearest_tps(s: Sites) -> IntArray:
    """For each PPK office (sites after the TPS): the index of the nearest TPS."""
    from scipy.spatial import cKDTree

    if len(s) == s.n_tps:
        return np.zeros(0, dtype=np.int64)
    tree = cKDTree(unit_vectors(s.lat[: s.n_tps], s.lon[: s.n_tps]))
    _, idx = tree.query(unit_vectors(s.lat[s.n_tps :], s.lon[s.n_tps :]))
    return np.asarray(idx, dtype=np.int64)
