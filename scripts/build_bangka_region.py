"""Build the packaged Kabupaten Bangka region from the boundary data in ``data/geo``.

Reads the desa/kecamatan GeoJSON in ``data/geo`` (MIT, wilayah_boundaries; in this repository)
and the numbers listed with their sources in ``docs/sources.md``, and writes the CSVs of
``src/pilkadasim/data/bangka``:
``kecamatan.csv``, ``desa.csv``, ``tps.csv``, ``bases.csv`` and ``outlines.json`` (simplified
boundaries for maps). Every assumption is listed in ``src/pilkadasim/data/bangka/README.md``.

The script is deterministic (fixed seed); run it with ``make region``.
"""

from __future__ import annotations

import argparse
import json
import math
from pathlib import Path

import numpy as np
from matplotlib.path import Path as PolygonPath

SEED = 20241127  # election day; any fixed number would do
TPS_TOTAL = 452  # source article (rakor Polres Bangka); KPU says 455 — docs/sources.md
DPT_TOTAL = 237_930  # Pilkada 2024 DPT, Kab. Bangka [S] docs/sources.md
MAX_VOTERS_PER_TPS = 600  # Pilkada 2024 cap [S] docs/sources.md
EARTH_RADIUS_KM = 6371.0088
OUTLIER_KM = 30.0  # polygon parts this far from the mainland are dropped (geo README)

# docs/sources.md: kecamatan table. DPT = PSU 2025 roll [S], used only as proportions.
KECAMATAN = {
    "19.01.01": {
        "name": "Sungailiat",
        "centre": "Sri Menanti",
        "area": 147.05,
        "pop": 92_883,
        "dpt": 70_061,
    },
    "19.01.02": {
        "name": "Belinyu",
        "centre": "Kuto Panji",
        "area": 503.54,
        "pop": 50_200,
        "dpt": 37_933,
    },
    "19.01.03": {
        "name": "Merawang",
        "centre": "Batu Rusa",
        "area": 215.89,
        "pop": 30_596,
        "dpt": 22_441,
    },
    "19.01.04": {
        "name": "Mendo Barat",
        "centre": "Petaling Banjar",
        "area": 685.64,
        "pop": 51_133,
        "dpt": 36_773,
    },
    "19.01.05": {
        "name": "Pemali",
        "centre": "Air Duren",
        "area": 140.46,
        "pop": 34_705,
        "dpt": 25_552,
    },
    "19.01.06": {"name": "Bakam", "centre": "Bakam", "area": 426.26, "pop": 19_039, "dpt": 13_811},
    "19.01.07": {
        "name": "Riau Silip",
        "centre": "Riau",
        "area": 625.91,
        "pop": 28_290,
        "dpt": 21_489,
    },
    "19.01.08": {
        "name": "Puding Besar",
        "centre": "Puding Besar",
        "area": 272.10,
        "pop": 19_419,
        "dpt": 14_462,
    },
}
# Polres Bangka HQ, Sungailiat: 1°51'20.7"S 106°7'3.4"E [S] docs/sources.md.
POLRES = (-1.855750, 106.117611)
# [E] sangat rawan TPS: 3 in Kab. Bangka [S]; which desa is an assumption (remote / island desa).
SANGAT_RAWAN_DESA = ("Bintet", "Mapur", "Penagan")
KHUSUS_DESA = ("Sungailiat",)  # Lapas (Bukit Semut) had 2 TPS [S]; 2 TPS khusus [E]
N_KHUSUS = 2
N_RAWAN = 20  # [E] docs/sources.md: 15–25 for Bangka
N_WEAK_SIGNAL = 11  # Bawaslu Bangka: 11 TPS with internet network problems [S]; which: [E]
KELURAHAN_WEIGHT = 3.0  # [E] urban kelurahan are denser than rural desa
# [E] staging posts on the trunk roads (docs/sources.md: main roads).
STAGING_POSTS = (
    (
        "pos_riding_panjang",
        "Pos Pam Riding Panjang (jalan Sungailiat–Belinyu)",
        "Riding Panjang",
        "19.01.02",
    ),
    ("pos_kemuja", "Pos Pam Kemuja (jalan Pangkalpinang–Mendo)", "Kemuja", "19.01.04"),
    ("pos_puding", "Pos Pam Puding Besar (jalan tengah)", "Puding Besar", "19.01.08"),
)


def haversine_km(lat1, lon1, lat2, lon2):
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2) - np.radians(lon1)
    a = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def ring_area_km2(ring: np.ndarray) -> float:
    """Area of a lon/lat ring by a local equirectangular projection (good to <1% here)."""
    lat0 = math.radians(float(ring[:, 1].mean()))
    x = np.radians(ring[:, 0]) * math.cos(lat0) * EARTH_RADIUS_KM
    y = np.radians(ring[:, 1]) * EARTH_RADIUS_KM
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


def polygon_parts(geometry: dict, mainland: tuple[float, float]) -> list[np.ndarray]:
    """Outer rings of a (Multi)Polygon, without parts more than OUTLIER_KM off the mainland."""
    polys = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    rings = [np.asarray(p[0], dtype=float) for p in polys]
    keep = []
    for ring in rings:
        d = haversine_km(ring[:, 1].mean(), ring[:, 0].mean(), mainland[0], mainland[1])
        if d <= 80.0:  # the whole regency fits in ~80 km of its centroid
            keep.append(ring)
    return keep


def largest_remainder(total: int, weights: np.ndarray, minimum=0) -> np.ndarray:
    """Split ``total`` in proportion to ``weights`` (Hamilton's method), each at least ``minimum``
    (a number or one per element); what is left after the minimums is split by weight."""
    base = np.broadcast_to(np.asarray(minimum, dtype=int), len(weights)).copy()
    rest = total - base.sum()
    quota = rest * weights / weights.sum()
    counts = np.floor(quota).astype(int)
    order = np.argsort(-(quota - counts), kind="stable")
    counts[order[: rest - counts.sum()]] += 1
    return base + counts


def sample_in_rings(rng, rings, centre, spread_km, n):
    """``n`` points inside the rings, clustered around ``centre`` (settlements) [E]."""
    paths = [PolygonPath(r) for r in rings]
    areas = np.array([ring_area_km2(r) for r in rings])
    main = rings[int(np.argmax(areas))]
    out = []
    km_per_deg = EARTH_RADIUS_KM * math.pi / 180
    tries = 0
    while len(out) < n:
        tries += 1
        if tries < 2000:
            lat = centre[0] + rng.normal(0, spread_km / km_per_deg)
            lon = centre[1] + rng.normal(0, spread_km / km_per_deg)
        else:  # fall back to uniform sampling in the bounding box of the largest part
            lon = rng.uniform(main[:, 0].min(), main[:, 0].max())
            lat = rng.uniform(main[:, 1].min(), main[:, 1].max())
        if any(p.contains_point((lon, lat)) for p in paths):
            out.append((lat, lon))
    return out


def interior_point(rings, centroid):
    """The centroid if it lies inside the desa, else the nearest vertex-mean of the largest part."""
    paths = [PolygonPath(r) for r in rings]
    if any(p.contains_point((centroid[1], centroid[0])) for p in paths):
        return centroid
    rng = np.random.default_rng(SEED)
    return sample_in_rings(rng, rings, centroid, 2.0, 1)[0]


def simplify(ring: np.ndarray, tol_deg: float) -> list[list[float]]:
    """Keep vertices at least ``tol_deg`` apart (enough for a regency-scale map)."""
    kept = [ring[0]]
    for pt in ring[1:]:
        if np.hypot(*(pt - kept[-1])) >= tol_deg:
            kept.append(pt)
    kept.append(ring[0])
    return [[round(float(x), 5), round(float(y), 5)] for x, y in kept]


def build(geo_dir: Path, out_dir: Path) -> None:
    rng = np.random.default_rng(SEED)
    kec_geo = json.loads((geo_dir / "bangka_kecamatan.geojson").read_text())["features"]
    desa_geo = json.loads((geo_dir / "bangka_desa.geojson").read_text())["features"]
    kab = json.loads((geo_dir / "bangka_kabupaten.geojson").read_text())["features"][0]
    mainland = (kab["properties"]["centroid_lat"], kab["properties"]["centroid_lon"])

    # --- kecamatan: DPT 2024 split by the 2025 per-kecamatan rolls; TPS by DPT -------------
    codes = sorted(KECAMATAN)
    dpt_2025 = np.array([KECAMATAN[c]["dpt"] for c in codes], dtype=float)
    kec_voters = largest_remainder(DPT_TOTAL, dpt_2025)
    kec_tps = largest_remainder(TPS_TOTAL, dpt_2025)
    kec_rows = []
    kec_centroid = {f["properties"]["code"]: f["properties"] for f in kec_geo}
    for code, voters, n_tps in zip(codes, kec_voters, kec_tps, strict=True):
        k = KECAMATAN[code]
        props = kec_centroid[code]
        kec_rows.append(
            {
                "code": code,
                "name": k["name"],
                "centroid_lat": props["centroid_lat"],
                "centroid_lon": props["centroid_lon"],
                "area_km2": k["area"],
                "population_2020": k["pop"],
                "voters": int(voters),
                "tps": int(n_tps),
            }
        )

    # --- desa: area from polygons; voters split by sqrt(area) x kelurahan weight [E] ------
    desa_rows, desa_rings = [], {}
    for f in desa_geo:
        p = f["properties"]
        rings = polygon_parts(f["geometry"], mainland)
        desa_rings[p["code"]] = rings
        area = sum(ring_area_km2(r) for r in rings)
        kelurahan = p["code"].split(".")[3].startswith("1")
        lat, lon = interior_point(rings, (p["centroid_lat"], p["centroid_lon"]))
        desa_rows.append(
            {
                "code": p["code"],
                "name": p["name"],
                "kecamatan_code": p["code"][:8],
                "kind": "kelurahan" if kelurahan else "desa",
                "centroid_lat": lat,
                "centroid_lon": lon,
                "area_km2": round(area, 3),
            }
        )
    for code, kv, kt in zip(codes, kec_voters, kec_tps, strict=True):
        rows = [d for d in desa_rows if d["kecamatan_code"] == code]
        w = np.array(
            [
                math.sqrt(d["area_km2"]) * (KELURAHAN_WEIGHT if d["kind"] == "kelurahan" else 1.0)
                for d in rows
            ]
        )
        voters = largest_remainder(int(kv), w)
        need = np.maximum(1, np.ceil(voters / MAX_VOTERS_PER_TPS)).astype(int)
        tps = largest_remainder(int(kt), voters.astype(float), minimum=need)
        for d, v, t in zip(rows, voters, tps, strict=True):
            d["voters"], d["tps"] = int(v), int(t)

    # --- TPS: positions clustered around the desa centre, inside the polygon [E] ---------
    tps_rows = []
    for d in desa_rows:
        rings = desa_rings[d["code"]]
        spread = max(0.4, math.sqrt(d["area_km2"]) / 4)
        pts = sample_in_rings(rng, rings, (d["centroid_lat"], d["centroid_lon"]), spread, d["tps"])
        base = d["voters"] / d["tps"]
        jitter = rng.uniform(0.9, 1.1, d["tps"])
        voters = np.minimum(MAX_VOTERS_PER_TPS, np.round(base * jitter)).astype(int)
        kec_name = KECAMATAN[d["kecamatan_code"]]["name"]
        for i, ((lat, lon), v) in enumerate(zip(pts, voters, strict=True), start=1):
            tps_rows.append(
                {
                    "tps_id": f"{d['code']}-TPS{i:03d}",
                    "kecamatan": kec_name,
                    "desa": d["name"],
                    "lat": round(lat, 6),
                    "lon": round(lon, 6),
                    "voters": int(v),
                    "category": "kurang_rawan",
                }
            )
    assign_categories(rng, tps_rows)

    # --- bases: Polres, a Polsek per kecamatan at its admin centre [E], Kodim, posts -----
    by_name = {(d["kecamatan_code"], d["name"]): d for d in desa_rows}
    bases = [
        {
            "base_id": "polres",
            "name": "Polres Bangka (Sungailiat)",
            "kind": "polres",
            "lat": POLRES[0],
            "lon": POLRES[1],
            "kecamatan": "Sungailiat",
        }
    ]
    bases += [centre_base(code, by_name, "polsek", "Polsek") for code in codes]
    mark_signal(tps_rows, bases)
    ppk = [
        ppk_office(KECAMATAN[code]["name"], KECAMATAN[code]["centre"], tps_rows) for code in codes
    ]
    sungailiat = by_name[("19.01.01", "Parit Padang")]
    bases.append(
        {
            "base_id": "kodim_0413",
            "name": "Kodim 0413 Bangka (Sungailiat)",
            "kind": "kodim",
            "lat": round(sungailiat["centroid_lat"], 6),
            "lon": round(sungailiat["centroid_lon"], 6),
            "kecamatan": "Sungailiat",
        }
    )
    for base_id, name, desa, code in STAGING_POSTS:
        d = by_name[(code, desa)]
        bases.append(
            {
                "base_id": base_id,
                "name": name,
                "kind": "pos",
                "lat": round(d["centroid_lat"], 6),
                "lon": round(d["centroid_lon"], 6),
                "kecamatan": KECAMATAN[code]["name"],
            }
        )

    bases += candidate_posts()
    bases += partner_bases(codes, by_name)

    outlines = {
        "kecamatan": [
            {
                "code": f["properties"]["code"],
                "name": f["properties"]["name"],
                "rings": [simplify(r, 0.004) for r in polygon_parts(f["geometry"], mainland)],
            }
            for f in kec_geo
        ],
        "desa": [
            {"code": code, "rings": [simplify(r, 0.003) for r in rings]}
            for code, rings in desa_rings.items()
        ],
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    write_csv(out_dir / "kecamatan.csv", kec_rows)
    write_csv(out_dir / "desa.csv", desa_rows)
    write_csv(out_dir / "tps.csv", tps_rows)
    write_csv(out_dir / "bases.csv", bases)
    write_csv(out_dir / "ppk.csv", ppk)
    (out_dir / "outlines.json").write_text(json.dumps(outlines, separators=(",", ":")))
    cats = {
        c: sum(r["category"] == c for r in tps_rows)
        for c in ("kurang_rawan", "rawan", "sangat_rawan", "khusus")
    }
    print(
        f"wrote {len(tps_rows)} TPS, {sum(r['voters'] for r in tps_rows)} voters, "
        f"{len(desa_rows)} desa, {len(bases)} bases; categories {cats}"
    )


def ppk_office(kecamatan: str, centre: str, tps_rows) -> dict:
    """The PPK at the kantor camat in the administrative-centre desa [E]: the mean position of
    that desa's TPS (the settlement they cluster around)."""
    mine = [r for r in tps_rows if r["kecamatan"] == kecamatan and r["desa"] == centre]
    return {
        "ppk_id": f"ppk_{kecamatan.lower().replace(' ', '_')}",
        "kecamatan": kecamatan,
        "name": f"PPK {kecamatan} (Kantor Camat, {centre})",
        "lat": round(float(np.mean([r["lat"] for r in mine])), 6),
        "lon": round(float(np.mean([r["lon"] for r in mine])), 6),
    }


# --- candidate staging posts for experiment=optimise_staging [E] --------------------------
# Where a reserve team could wait besides the Polres, Polsek and the three posts above: desa
# centres at road junctions and on the trunk roads (docs/sources.md §5), one or two per kecamatan,
# at the desa interior points of desa.csv. Candidates, not real posts: the optimiser chooses
# among them. (base_id, name, lat, lon, kecamatan)
CANDIDATE_POSTS = (
    (
        "pos_sinar_baru",
        "Pos Sinar Baru (jalan Sungailiat–Matras)",
        -1.803781,
        106.076223,
        "Sungailiat",
    ),
    (
        "pos_kenanga",
        "Pos Kenanga (jalan Sungailiat–Pangkalpinang)",
        -1.927837,
        106.113545,
        "Sungailiat",
    ),
    ("pos_gunung_muda", "Pos Gunung Muda (jalan Belinyu timur)", -1.651658, 105.87447, "Belinyu"),
    ("pos_lumut", "Pos Lumut (jalan Sungailiat–Belinyu)", -1.764653, 105.824498, "Belinyu"),
    ("pos_merawang", "Pos Merawang (simpang Jurung)", -1.961349, 106.109976, "Merawang"),
    ("pos_air_anyir", "Pos Air Anyir (jalan Merawang timur)", -2.04611, 106.14208, "Merawang"),
    ("pos_mendo", "Pos Mendo (jalan Mendo–Kota Kapur)", -2.149237, 105.885458, "Mendo Barat"),
    ("pos_kace", "Pos Kace (jalan Pangkalpinang–Mendo)", -2.160442, 106.043821, "Mendo Barat"),
    ("pos_pemali", "Pos Pemali (simpang Pemali)", -1.881338, 106.04248, "Pemali"),
    ("pos_mabat", "Pos Mabat (jalan Bakam–Puding)", -1.908367, 105.952298, "Bakam"),
    (
        "pos_pangkal_niur",
        "Pos Pangkal Niur (jalan Riau Silip barat)",
        -1.827929,
        105.759303,
        "Riau Silip",
    ),
    ("pos_deniang", "Pos Deniang (jalan Riau Silip timur)", -1.753085, 106.053051, "Riau Silip"),
    ("pos_berbura", "Pos Berbura (simpang Riau Silip)", -1.825955, 105.824928, "Riau Silip"),
    (
        "pos_kota_waringin",
        "Pos Kota Waringin (jalan Puding barat)",
        -2.102186,
        105.768468,
        "Puding Besar",
    ),
)


def candidate_posts() -> list[dict]:
    return [
        {"base_id": b, "name": n, "kind": "pos", "lat": lat, "lon": lon, "kecamatan": k}
        for b, n, lat, lon, k in CANDIDATE_POSTS
    ]


# --- end of candidate staging posts ----------------------------------------------------

# [E] Polda Kepulauan Bangka Belitung is in Pangkalpinang [S]; the point is the city centre,
# outside Kabupaten Bangka (its exact compound is not in the sources).
POLDA = (-2.129100, 106.113800)


def centre_base(code, by_name, kind: str, title: str) -> dict:
    """A base at the administrative centre of kecamatan ``code`` (its desa centroid)."""
    k = KECAMATAN[code]
    d = by_name[(code, k["centre"])]
    return {
        "base_id": f"{kind}_{k['name'].lower().replace(' ', '_')}",
        "name": f"{title} {k['name']}",
        "kind": kind,
        "lat": round(d["centroid_lat"], 6),
        "lon": round(d["centroid_lon"], 6),
        "kecamatan": k["name"],
    }


def partner_bases(codes, by_name) -> list[dict]:
    """Bases of the partners outside the 363: a Koramil in every kecamatan at its administrative
    centre (the Polsek's point) [E], and Polda Babel in Pangkalpinang (Brimob BKO) [E]."""
    rows = [centre_base(code, by_name, "koramil", "Koramil") for code in codes]
    rows.append(
        {
            "base_id": "polda_babel",
            "name": "Polda Kep. Bangka Belitung (Pangkalpinang)",
            "kind": "polda",
            "lat": POLDA[0],
            "lon": POLDA[1],
            "kecamatan": "",
        }
    )
    return rows


def assign_categories(rng, tps_rows) -> None:
    """3 sangat rawan [S] at remote desa [E]; 2 khusus (Lapas) [E]; 20 rawan [E] weighted to
    large TPS (near the 600 cap) and to Belinyu (docs/sources.md: rawan definition, Belinyu
    result)."""

    def first_in(desa):
        return next(r for r in tps_rows if r["desa"] == desa and r["category"] == "kurang_rawan")

    for desa in SANGAT_RAWAN_DESA:
        first_in(desa)["category"] = "sangat_rawan"
    for desa in KHUSUS_DESA:
        for _ in range(N_KHUSUS):
            first_in(desa)["category"] = "khusus"
    free = [r for r in tps_rows if r["category"] == "kurang_rawan"]
    w = np.array(
        [
            (r["voters"] / MAX_VOTERS_PER_TPS) ** 4 * (2.0 if r["kecamatan"] == "Belinyu" else 1.0)
            for r in free
        ]
    )
    for i in rng.choice(len(free), size=N_RAWAN, replace=False, p=w / w.sum()):
        free[i]["category"] = "rawan"


def mark_signal(tps_rows, bases) -> None:
    """The ``signal`` column: the N_WEAK_SIGNAL TPS farthest (straight line) from their
    nearest Polres/Polsek are ``weak`` [E: remoteness as a proxy for coverage], the rest
    ``good``. Uses no random numbers, so no other column changes."""
    posts = [(b["lat"], b["lon"]) for b in bases if b["kind"] in ("polres", "polsek")]
    far = [min(haversine_km(r["lat"], r["lon"], la, lo) for la, lo in posts) for r in tps_rows]
    weak = set(np.argsort(far, kind="stable")[::-1][:N_WEAK_SIGNAL].tolist())
    for i, r in enumerate(tps_rows):
        r["signal"] = "weak" if i in weak else "good"


def write_csv(path: Path, rows: list[dict]) -> None:
    cols = list(rows[0])
    lines = [",".join(cols)]
    for r in rows:
        lines.append(",".join(_cell(r[c]) for c in cols))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cell(v) -> str:
    if isinstance(v, float):
        return f"{v:.6f}".rstrip("0").rstrip(".")
    s = str(v)
    return f'"{s}"' if "," in s else s


if __name__ == "__main__":
    here = Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--geo", type=Path, default=here / "data" / "geo")
    ap.add_argument("--out", type=Path, default=here / "src" / "pilkadasim" / "data" / "bangka")
    args = ap.parse_args()
    build(args.geo, args.out)
