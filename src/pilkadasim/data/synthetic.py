"""Synthetic regions for scale studies: ``region=synthetic region.tps=N``.

Up to ``region_max_tps`` TPS this is one made-up kabupaten; above, a made-up country of
kabupaten of ``mean_tps_per_region`` TPS each, scattered over a bounding box. Everything follows
from ``(N, seed)`` and the generator's assumptions (:class:`Generator`, from
``region.generator`` in conf/region/synthetic.yaml, where each number cites its source), and each
kabupaten is generated on its own (``region_data(country, k)``), so a national run never holds
more than one kabupaten's tables in memory.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from pilkadasim.data.loaders import RegionData

KM_PER_DEG = 111.2


@dataclass(frozen=True)
class Generator:
    """The model assumptions of a synthetic region (``region.generator``)."""

    region_max_tps: int  # up to this many TPS: one kabupaten
    mean_tps_per_region: float  # above: kabupaten of this mean size
    region_size_sigma: float  # log-normal spread of kabupaten sizes
    lat_range: tuple[float, float]  # where kabupaten centres fall
    lon_range: tuple[float, float]
    tps_per_kecamatan: float
    km2_per_tps: float
    kecamatan_spread: float  # kecamatan centres within this share of the radius
    tps_scatter: float  # TPS scatter: radius / (tps_scatter × √kecamatan)
    tps_per_desa: int
    voters_range: tuple[int, int]  # voters per TPS, uniform, both ends included
    category_p: tuple[tuple[str, float], ...]  # TPS category shares

    @staticmethod
    def from_config(g: Mapping[str, Any]) -> Generator:
        return Generator(
            int(g["region_max_tps"]),
            float(g["mean_tps_per_region"]),
            float(g["region_size_sigma"]),
            (float(g["lat_range"][0]), float(g["lat_range"][1])),
            (float(g["lon_range"][0]), float(g["lon_range"][1])),
            float(g["tps_per_kecamatan"]),
            float(g["km2_per_tps"]),
            float(g["kecamatan_spread"]),
            float(g["tps_scatter"]),
            int(g["tps_per_desa"]),
            (int(g["voters_range"][0]), int(g["voters_range"][1])),
            tuple((str(k), float(v)) for k, v in g["category_p"].items()),
        )


@dataclass(frozen=True)
class Country:
    seed: int
    sizes: tuple[int, ...]  # TPS per kabupaten, summing to N
    centres: tuple[tuple[float, float], ...]
    generator: Generator

    def __len__(self) -> int:
        return len(self.sizes)


def country(n_tps: int, seed: int, gen: Generator) -> Country:
    """How ``n_tps`` TPS are split into kabupaten, and where those lie."""
    rng = np.random.default_rng([seed, 0])
    n_regions = 1 if n_tps <= gen.region_max_tps else max(1, round(n_tps / gen.mean_tps_per_region))
    if n_regions == 1:
        sizes = np.array([n_tps])
    else:
        weights = rng.lognormal(0.0, gen.region_size_sigma, n_regions)
        sizes = np.maximum(1, np.floor(weights / weights.sum() * n_tps)).astype(int)
        sizes[np.argmax(sizes)] += n_tps - sizes.sum()
    lat = rng.uniform(*gen.lat_range, n_regions)
    lon = rng.uniform(*gen.lon_range, n_regions)
    return Country(
        seed,
        tuple(int(s) for s in sizes),
        tuple(zip(lat.round(4).tolist(), lon.round(4).tolist(), strict=True)),
        gen,
    )


def region_data(c: Country, k: int) -> RegionData:
    """Kabupaten ``k`` of the country: TPS, bases (Polres, a Polsek per kecamatan, Kodim)."""
    rng = np.random.default_rng([c.seed, 1, k])
    gen, n = c.generator, c.sizes[k]
    lat0, lon0 = c.centres[k]
    radius_km = math.sqrt(n * gen.km2_per_tps / math.pi)
    n_kec = max(1, round(n / gen.tps_per_kecamatan))
    kec_xy = _in_disk(rng, n_kec, gen.kecamatan_spread * radius_km)
    kec_of = np.sort(rng.integers(0, n_kec, n))
    xy = kec_xy[kec_of] + rng.normal(0, radius_km / (gen.tps_scatter * math.sqrt(n_kec)), (n, 2))
    categories = [name for name, _ in gen.category_p]
    shares = [p for _, p in gen.category_p]
    lat, lon = _to_degrees(xy, lat0, lon0)
    prefix = f"S{k:03d}"
    kec_names = np.array([f"{prefix}-K{j:02d}" for j in range(n_kec)])
    tps = pd.DataFrame(
        {
            "tps_id": [f"{prefix}-TPS{i:05d}" for i in range(n)],
            "kecamatan": kec_names[kec_of],
            "desa": [f"{prefix}-D{i // gen.tps_per_desa:04d}" for i in range(n)],
            "lat": lat,
            "lon": lon,
            "voters": rng.integers(gen.voters_range[0], gen.voters_range[1] + 1, n).astype(float),
            "category": rng.choice(categories, n, p=shares),
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
