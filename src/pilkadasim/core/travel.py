"""Travel minutes from nodes (bases, then sites) to sites, in memory linear in the sites.

:class:`TravelTable` is indexed like the ``(n_bases + n_sites, n_sites)`` array it stands for
(``t[node, site]``, ``t[:, site]``, ``t[node_array, site_array]``) but stores only the base rows
(``n_bases × n_sites``) and computes a site→site entry when it is asked for, with the same
element-wise formula every time: a province of 50,000 TPS needs megabytes, not the 20 GB of a
full table. Small regions keep the full table (built with the same formula, so both paths give
the same numbers to the last bit). No matrix product is used anywhere: sums inside BLAS depend
on its thread count, element-wise arithmetic does not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

EARTH_RADIUS_KM = 6371.0088
DENSE_LIMIT = 4_000_000  # cells (32 MB): up to this the full table is kept

Pairs = Callable[[IntArray, IntArray], FloatArray]  # (site_from, site_to) -> minutes


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> FloatArray:
    """Great-circle distance in km, element-wise (arguments broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1))), dtype=float)


def unit_vectors(lat: Any, lon: Any) -> FloatArray:
    """Points on the unit sphere, shape (n, 3)."""
    la, lo = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def chord_km(a: tuple[FloatArray, ...], b: tuple[FloatArray, ...]) -> FloatArray:
    """Great-circle km between unit vectors given as coordinate arrays ``(x, y, z)`` (which
    broadcast): the chord from coordinate differences (exact for near points, unlike
    2 − 2·a·b), then the angle 2·asin(chord/2). Element-wise, no BLAS."""
    dx, dy, dz = a[0] - b[0], a[1] - b[1], a[2] - b[2]
    chord = np.sqrt(dx * dx + dy * dy + dz * dz)
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(chord / 2, 1.0)), dtype=float)


class RoadPairs:
    """Minutes between points: great-circle km × ``minutes_per_km``. ``RoadPairs(sites,
    sites)`` gives site→site, ``RoadPairs(bases, sites)`` base→site (unit vectors, (n, 3))."""

    def __init__(self, frm: FloatArray, to: FloatArray, minutes_per_km: float) -> None:
        self.frm = tuple(np.ascontiguousarray(frm[:, k]) for k in range(3))
        self.to = tuple(np.ascontiguousarray(to[:, k]) for k in range(3))
        self.scale = float(minutes_per_km)

    def __call__(self, i: IntArray, j: IntArray) -> FloatArray:
        a = tuple(c[i] for c in self.frm)
        b = tuple(c[j] for c in self.to)
        return np.asarray(chord_km(a, b) * self.scale, dtype=float)


class ZeroPairs:
    def __call__(self, i: IntArray, j: IntArray) -> FloatArray:
        return np.zeros(np.broadcast(np.asarray(i), np.asarray(j)).shape)


class _Column:
    """``table[:, site]`` without building it: indexed by node."""

    def __init__(self, table: TravelTable, site: int) -> None:
        self.table, self.site = table, site
        self._from_bases: FloatArray | None = None

    def __getitem__(self, node: Any) -> Any:
        t = self.table
        if isinstance(node, (int, np.integer)) and 0 <= node < t.n_bases:
            if self._from_bases is None:  # every base at once: one call per column
                bases = np.arange(t.n_bases)
                self._from_bases = t.base_pairs(bases, np.full(t.n_bases, self.site))
            return float(self._from_bases[node])
        return t[node, self.site]

    def __len__(self) -> int:
        return self.table.shape[0]

    def __array__(self, dtype: Any = None, copy: Any = None) -> FloatArray:
        col = self.table[np.arange(len(self)), np.full(len(self), self.site)]
        return np.asarray(col, dtype=dtype)


class TravelTable:
    """Minutes from node to site; see the module text. ``base_pairs(b, j)`` gives base→site
    minutes, ``site_pairs(i, j)`` site→site minutes, both computed when asked for (callers
    such as the fleet cache what they reuse)."""

    def __init__(
        self,
        n_bases: int,
        n_sites: int,
        base_pairs: Pairs,
        site_pairs: Pairs,
        *,
        dense: bool | None = None,
    ) -> None:
        self.n_bases, self.n_sites = n_bases, n_sites
        self.base_pairs, self.pairs = base_pairs, site_pairs
        self.shape = (n_bases + n_sites, n_sites)
        if dense is None:
            dense = self.shape[0] * self.shape[1] <= DENSE_LIMIT
        self.dense: FloatArray | None = self._full() if dense else None

    def _full(self) -> FloatArray:
        n = self.n_sites
        full = np.empty(self.shape)
        sites = np.arange(n)
        full[: self.n_bases] = self.base_pairs(np.arange(self.n_bases)[:, None], sites[None, :])
        step = max(1, 2_000_000 // max(n, 1))
        for lo in range(0, n, step):  # blocks of rows
            block = sites[lo : lo + step]
            full[self.n_bases + block] = self.pairs(block[:, None], sites[None, :])
        full.setflags(write=False)
        return full

    def __getitem__(self, key: tuple[Any, Any]) -> Any:
        if self.dense is not None:
            return self.dense[key]
        node, site = key
        if isinstance(site, (int, np.integer)) and isinstance(node, (int, np.integer)):
            return float(self._lookup(np.array([node]), np.array([site]))[0])
        if isinstance(node, slice):
            if node != slice(None) or not isinstance(site, (int, np.integer)):
                raise IndexError("TravelTable supports t[:, site] with one site only")
            return _Column(self, int(site))
        node_a, site_a = np.broadcast_arrays(np.asarray(node), np.asarray(site))
        return self._lookup(node_a.ravel(), site_a.ravel()).reshape(node_a.shape)

    def _lookup(self, node: IntArray, site: IntArray) -> FloatArray:
        node = node.astype(np.int64)
        site = site.astype(np.int64)
        if ((node < 0) | (node >= self.shape[0]) | (site < 0) | (site >= self.n_sites)).any():
            raise IndexError("travel node or site out of range")
        out = np.empty(node.shape)
        base = node < self.n_bases
        if base.any():
            out[base] = self.base_pairs(node[base], site[base])
        other = ~base
        if other.any():
            out[other] = self.pairs(node[other] - self.n_bases, site[other])
        return out


class ArrayPairs:
    """Minutes looked up in a stored ``(rows, columns)`` array (columns through ``alias``)."""

    def __init__(self, table: FloatArray, alias: IntArray) -> None:
        self.table, self.alias = table, alias

    def __call__(self, i: IntArray, j: IntArray) -> FloatArray:
        return np.asarray(self.table[i, self.alias[j]], dtype=float)


class MatrixPairs:
    """Site→site minutes from a travel-minutes file: the given TPS→TPS pair, else the reverse
    pair, else the quickest route via a base (``base_tps[b, i] + base_tps[b, j]``). PPK
    offices stand for the TPS nearest to them (``alias``)."""

    def __init__(
        self,
        keys: IntArray,
        minutes: FloatArray,
        base_tps: FloatArray,
        alias: IntArray,
    ) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys, self.minutes = keys[order], minutes[order]
        self.base_tps, self.alias = base_tps, alias
        self.n_tps = base_tps.shape[1]

    def _given(self, i: IntArray, j: IntArray) -> FloatArray:
        key = i * self.n_tps + j
        pos = np.minimum(np.searchsorted(self.keys, key), max(len(self.keys) - 1, 0))
        hit = self.keys[pos] == key if len(self.keys) else np.zeros(key.shape, dtype=bool)
        return np.where(hit, self.minutes[pos] if len(self.keys) else 0.0, np.nan)

    def __call__(self, i: IntArray, j: IntArray) -> FloatArray:
        i, j = np.broadcast_arrays(self.alias[i], self.alias[j])
        out = self._given(i, j)
        back = np.isnan(out)
        out[back] = self._given(j[back], i[back])
        out[i == j] = 0.0
        via = np.isnan(out)
        if via.any():
            out[via] = (self.base_tps[:, i[via]] + self.base_tps[:, j[via]]).min(axis=0)
        return out
