"""Great-circle distances, vectorised (used when building travel tables, never per event)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

EARTH_RADIUS_KM = 6371.0088


def haversine_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """Great-circle distance in km; arguments broadcast like numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat = p2 - p1
    dlon = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1))))


def unit_vectors(lat: ArrayLike, lon: ArrayLike) -> NDArray[np.float64]:
    """Points on the unit sphere, shape (n, 3)."""
    la, lo = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def distance_matrix_km(
    lat1: ArrayLike, lon1: ArrayLike, lat2: ArrayLike, lon2: ArrayLike
) -> NDArray[np.float64]:
    """All pairwise great-circle distances (rows: points 1, columns: points 2) in km, from one
    matrix product of unit vectors: the chord c gives the angle 2·asin(c/2), accurate to
    centimetres at every distance (unlike arccos of the dot product for near points)."""
    a, b = unit_vectors(lat1, lon1), unit_vectors(lat2, lon2)
    chord2 = np.clip(2.0 - 2.0 * (a @ b.T), 0.0, 4.0)
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(chord2) / 2))
