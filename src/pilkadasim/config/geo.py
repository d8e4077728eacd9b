"""Great-circle geometry, vectorised (used when building travel tables, never per event).

Everything is element-wise: no matrix product (whose sums inside BLAS depend on the BLAS
thread count), so results are bit-identical however numpy's BLAS is set up.
"""

from __future__ import annotations

from pilkadasim.core.travel import EARTH_RADIUS_KM, haversine_km, unit_vectors

__all__ = ["EARTH_RADIUS_KM", "haversine_km", "unit_vectors"]
