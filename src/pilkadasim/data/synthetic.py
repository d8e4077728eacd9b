"""Synthetic regions for scale studies: ``region=synthetic region.tps=N``.

Up to :data:`REGION_MAX_TPS` TPS this is one made-up kabupaten; above, a made-up country of
kabupaten of ~800 TPS each (Pilkada 2024: ~435,000 TPS in ~545 regions, docs/sources.md), scattered
over Indonesia's bounding box. Everything follows from ``(N, seed)`` and each kabupaten is
generated on its own (``region_data(country, k)``), so a national run never holds more than one
kabupaten's tables in memory. Proportions of TPS categories follow Polda Babel's 2024
classification (docs/sources.md); voters per TPS ≈ DPT ÷ TPS nationally (~467).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pilkadasim.data.loaders import RegionData

REGION_MAX_TPS = 2000
MEAN_TPS_PER_REGION = 800  # 435,296 TPS / 545 regions [D]
TPS_PER_KECAMATAN = 56  # Bangka: 452 / 8 [D]
KM2_PER_TPS = 6.6  # Bangka: 3,017 km² / 452 TPS [D]
CATEGORY_P = {"kurang_rawan": 0.945, "rawan": 0.046, "sangat_rawan": 0.005, "khusus": 0.004}
KM_PER_DEG = 111.2


@dataclass(frozen=True)
class Country:
    seed: int
    sizes: tuple[int, ...]  # TPS per kabupaten, summing to N
    centres: tuple[tuple[float, float], ...]

    def __len__(self) -> int:
        return len(self.sizes)


def country(n_tps: int, seed: int) -> Country:
    """How ``n_tps`` TPS are split into kabupaten, and where those lie."""
    rng = np.random.default_rng([seed, 0])
    n_regions = 1 if n_tps <= REGION_MAX_TPS else max(1, round(n_tps / MEAN_TPS_PER_REGION))
    if n_regions == 1:
        sizes = np.array([n_tps])
    else:
        weights = rng.lognormal(0.0, 0.5, n_regions)
        sizes = np.maximum(1, np.floor(weights / weights.sum() * n_tps)).astype(int)
        sizes[np.argmax(sizes)] += n_tps - sizes.sum()
    lat = rng.uniform(-9.5, 4.5, n_regions)
    lon = rng.uniform(96.0, 140.0, n_regions)
    return Country(
        seed,
        tuple(int(s) for s in sizes),
        tuple(zip(lat.round(4).tolist(), lon.round(4).tolist(), strict=True)),
    )


def region_data(c: Country, k: int) -> RegionData:
    """Kabupaten ``k`` of the country: TPS, bases (Polres, a Polsek per kecamatan, Kodim)."""
    rng = np.random.default_rng([c.seed, 1, k])
    n = c.sizes[k]
    lat0, lon0 = c.centres[k]
    radius_km = math.sqrt(n * KM2_PER_TPS / math.pi)
    n_kec = max(1, round(n / TPS_PER_KECAMATAN))
    kec_xy = _in_disk(rng, n_kec, 0.7 * radius_km)
    kec_of = np.sort(rng.integers(0, n_kec, n))
    xy = kec_xy[kec_of] + rng.normal(0, radius_km / (2.5 * math.sqrt(n_kec)), (n, 2))
    lat, lon = _to_degrees(xy, lat0, lon0)
    prefix = f"S{k:03d}"
    kec_names = np.array([f"{prefix}-K{j:02d}" for j in range(n_kec)])
    tps = pd.DataFrame(
        {
            "tps_id": [f"{prefix}-TPS{i:05d}" for i in range(n)],
            "kecamatan": kec_names[kec_of],
            "desa": [f"{prefix}-D{i // 6:04d}" for i in range(n)],
            "lat": lat,
            "lon": lon,
            "voters": rng.integers(300, 601, n).astype(float),
            "category": rng.choice(list(CATEGORY_P), n, p=list(CATEGORY_P.values())),
        }
    )
    blat, blon = _to_degrees(kec_xy, lat0, lon0)
    bases = pd.DataFrame(
        {
            "base_id": ["polres", *(f"polsek_{j:02d}" for j in range(n_kec)), "kodim"],
            "name": [
                f"Polres {prefix}",
                *(f"Polsek {kec}" for kec in kec_names),
                f"Kodim {prefix}",
            ],
            "kind": ["polres", *["polsek"] * n_kec, "kodim"],
            "lat": [lat0, *blat.tolist(), lat0 + 0.01],
            "lon": [lon0, *blon.tolist(), lon0 + 0.01],
            "kecamatan": [kec_names[0], *kec_names.tolist(), kec_names[0]],
        }
    )
    return RegionData(f"synthetic-{prefix}", tps, bases)


def _in_disk(rng: np.random.Generator, n: int, radius: float) -> np.ndarray:
    r = radius * np.sqrt(rng.random(n))
    a = rng.uniform(0, 2 * math.pi, n)
    return np.column_stack([r * np.cos(a), r * np.sin(a)])


def _to_degrees(xy: np.ndarray, lat0: float, lon0: float) -> tuple[np.ndarray, np.ndarray]:
    lat = lat0 + xy[:, 1] / KM_PER_DEG
    lon = lon0 + xy[:, 0] / (KM_PER_DEG * math.cos(math.radians(lat0)))
    return lat, lon
