"""The packaged Bangka data: reproducible from the in-repo boundaries (data/geo), consistent
with the sourced numbers of docs/sources.md."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd

from pilkadasim.data.loaders import load_region, packaged_dir

ROOT = Path(__file__).parent.parent
GEO = ROOT / "data" / "geo"


def test_build_script_reproduces_packaged_files(tmp_path):
    """Never skipped: the boundaries are part of the repository."""
    assert (GEO / "bangka_desa.geojson").exists(), f"{GEO} is missing from the repository"
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "build_bangka_region.py"),
            "--geo",
            str(GEO),
            "--out",
            str(tmp_path),
        ],
        check=True,
        capture_output=True,
    )
    for name in ("tps.csv", "bases.csv", "desa.csv", "kecamatan.csv", "outlines.json"):
        assert (tmp_path / name).read_bytes() == (packaged_dir("bangka") / name).read_bytes(), name


def test_bangka_facts():
    data = load_region("bangka", None)
    tps = data.tps
    assert len(tps) == 452
    assert tps["kecamatan"].nunique() == 8
    assert tps["desa"].nunique() >= 75
    assert (tps["voters"] <= 600).all()
    assert abs(tps["voters"].sum() - 237_930) / 237_930 < 0.01
    counts = tps["category"].value_counts()
    assert counts["sangat_rawan"] == 3
    assert 15 <= counts["rawan"] <= 25
    kinds = data.bases["kind"].value_counts()
    assert kinds["polres"] == 1
    assert kinds["polsek"] == 8


def test_tps_lie_inside_their_desa():
    from matplotlib.path import Path as PolygonPath

    data = load_region("bangka", None)
    desa = pd.read_csv(packaged_dir("bangka") / "desa.csv")
    code_of = dict(zip(desa["name"] + "|" + desa["kecamatan_code"], desa["code"], strict=True))
    rings = {d["code"]: [PolygonPath(r) for r in d["rings"]] for d in data.outlines["desa"]}
    kec_code = {
        k: c
        for c, k in pd.read_csv(packaged_dir("bangka") / "kecamatan.csv")[
            ["code", "name"]
        ].itertuples(index=False)
    }
    for row in data.tps.itertuples():
        code = code_of[f"{row.desa}|{kec_code[row.kecamatan]}"]
        # outlines are simplified, so allow ~300 m of slack around the ring
        inside = any(
            p.contains_point((row.lon, row.lat), radius=0.003)
            or p.contains_point((row.lon, row.lat), radius=-0.003)
            for p in rings[code]
        )
        assert inside, row.tps_id
