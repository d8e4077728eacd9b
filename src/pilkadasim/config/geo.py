"""Great-circle geometry, vectorised (used when building travel tables, never per event).

Everything is element-wise: no matrix product (whose sums inside BLAS depend on the BLAS
thread count), so results are bit-identical however numpy's BLAS is set up.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from pilkadasim.core.travel import EARTH_RADIUS_KM, haversine_km

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "unit_vectors"]


def unit_vectors(lat: ArrayLike, lon: ArrayLike) -> NDArray[np.float64]:
    """Points on the unit sphere, shape (n, 3): the straight-line (chord) distance between
    them orders pairs exactly as the great-circle distance does (for nearest-neighbour trees)."""
    la, lo = np.radians(np.asarray(lat, dtype=float)), np.radians(np.asarray(lon, dtype=float))
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
