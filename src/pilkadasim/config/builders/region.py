"""The ``region`` group → :class:`~pilkadasim.core.scenario.Region`: the region files (or a
generated kabupaten), the TPS as sites, one PPK office per kecamatan, the bases."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from omegaconf import DictConfig

from pilkadasim.core.scenario import BASE_KINDS, CATEGORIES, Bases, Region, Sites, frozen_array
from pilkadasim.core.travel import unit_vectors
from pilkadasim.data.loaders import RegionData, load_region
from pilkadasim.errors import InputError

IntArray = NDArray[np.int64]
FloatArray = NDArray[np.float64]


def region_parts(cfg: DictConfig) -> int:
    """Number of kabupaten the configured region consists of (a synthetic country has many;
    they are built and simulated one at a time)."""
    if cfg.region.name == "synthetic":
        from pilkadasim.data.synthetic import Generator, country

        gen = Generator.from_config(cfg.region.generator)
        return len(country(int(cfg.region.tps), int(cfg.region.seed), gen))
    return 1


def load_region_data(cfg: DictConfig, part: int = 0) -> RegionData:
    """The region files (or generated kabupaten ``part``) the config names, checked."""
    if cfg.region.name == "synthetic":
        from pilkadasim.data.synthetic import Generator, country, region_data

        gen = Generator.from_config(cfg.region.generator)
        return region_data(country(int(cfg.region.tps), int(cfg.region.seed), gen), part)
    matrix = cfg.travel.matrix_file if cfg.travel.mode == "matrix" else None
    return load_region(cfg.region.name, cfg.region.dir, matrix, tuple(cfg.staffing.unit_kinds))


@dataclass
class _SiteColumns:
    """Per-site columns while the PPK offices are appended after the TPS."""

    ids: list[str]
    kecamatan: IntArray
    category: list[int]
    lat: FloatArray
    lon: FloatArray
    voters: FloatArray


def build_region(data: RegionData, *, with_ppk: bool) -> Region:
    tps, bases = data.tps, data.bases
    kec_names = tuple(dict.fromkeys(tps["kecamatan"]))
    kec_index = {k: i for i, k in enumerate(kec_names)}
    base_kec = _base_kecamatan(tps, bases, kec_index)
    cols = _SiteColumns(
        list(tps["tps_id"]),
        tps["kecamatan"].map(kec_index).to_numpy(),
        [CATEGORIES.index(c) for c in tps["category"]],
        tps["lat"].to_numpy(float),
        tps["lon"].to_numpy(float),
        tps["voters"].to_numpy(float),
    )
    n_tps = len(tps)
    ppk_site = np.zeros(n_tps, dtype=np.int64)
    if with_ppk:
        ppk_site = n_tps + cols.kecamatan.astype(np.int64)
        _add_ppk_offices(cols, data, kec_names, base_kec)
    sites = Sites(
        tuple(cols.ids),
        frozen_array(cols.kecamatan, np.int64),
        frozen_array(cols.category, np.int64),
        frozen_array(cols.lat, float),
        frozen_array(cols.lon, float),
        frozen_array(cols.voters, float),
        n_tps,
        frozen_array(ppk_site, np.int64),
    )
    return Region(data.name, kec_names, sites, _bases(bases, base_kec))


def _bases(bases: pd.DataFrame, base_kec: IntArray) -> Bases:
    return Bases(
        tuple(bases["base_id"]),
        frozen_array([BASE_KINDS.index(k) for k in bases["kind"]], np.int64),
        frozen_array(base_kec, np.int64),
        frozen_array(bases["lat"].to_numpy(float), float),
        frozen_array(bases["lon"].to_numpy(float), float),
    )


def _add_ppk_offices(
    cols: _SiteColumns, data: RegionData, kec_names: tuple[str, ...], base_kec: IntArray
) -> None:
    """Append one PPK office per kecamatan: at its ppk.csv position, else at the kecamatan's
    first Polsek, else at the mean position of its TPS."""
    ppk_ids = [f"PPK {name}" for name in kec_names]
    clash = sorted(set(ppk_ids) & set(cols.ids))
    if clash:
        raise InputError(
            f"tps.csv, column tps_id: {clash[0]!r} is also the id of the generated PPK "
            "office of that kecamatan; rename the TPS (or set region.ppk=false)"
        )
    bases, tps_kec, lat, lon = data.bases, cols.kecamatan, cols.lat, cols.lon
    kinds = bases["kind"].to_numpy()
    members = np.split(np.argsort(tps_kec, kind="stable"), np.cumsum(np.bincount(tps_kec)))
    plat, plon = np.empty(len(kec_names)), np.empty(len(kec_names))
    given = {} if data.ppk is None else {r.kecamatan: r for r in data.ppk.itertuples()}
    for k, name in enumerate(kec_names):
        polsek = np.flatnonzero((base_kec == k) & (kinds == "polsek"))
        if name in given:  # ppk.csv: the office's own position
            plat[k], plon[k] = given[name].lat, given[name].lon
        elif len(polsek):
            plat[k], plon[k] = bases["lat"].iloc[polsek[0]], bases["lon"].iloc[polsek[0]]
        else:
            plat[k], plon[k] = lat[members[k]].mean(), lon[members[k]].mean()
    cols.ids += ppk_ids
    cols.category += [CATEGORIES.index("ppk")] * len(kec_names)
    cols.lat, cols.lon = np.concatenate([lat, plat]), np.concatenate([lon, plon])
    cols.kecamatan = np.concatenate([tps_kec, np.arange(len(kec_names))])
    cols.voters = np.concatenate([cols.voters, np.zeros(len(kec_names))])


def _base_kecamatan(tps: pd.DataFrame, bases: pd.DataFrame, kec_index: dict[str, int]) -> IntArray:
    """A base's kecamatan: its ``kecamatan`` column if given, else the nearest TPS's."""
    from scipy.spatial import cKDTree

    tree = cKDTree(unit_vectors(tps["lat"], tps["lon"]))
    _, idx = tree.query(unit_vectors(bases["lat"], bases["lon"]))
    nearest = tps["kecamatan"].to_numpy()[np.asarray(idx, dtype=np.int64)]
    if "kecamatan" in bases.columns:
        given = bases["kecamatan"].to_numpy()
        nearest = np.where(pd.Series(given).isin(kec_index).to_numpy(), given, nearest)
    return np.array([kec_index[k] for k in nearest], dtype=np.int64)
