"""Cross-file checks added for reliability: clashing ids, duplicate matrix rows, outlines.

Each problem is one line naming the file, the row or shape, and what to change; the loader
collects them and stops before anything is built.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from pilkadasim.errors import InputError


def id_clashes(tps: pd.DataFrame, bases: pd.DataFrame, problems: list[str]) -> None:
    """A TPS id equal to a base id makes travel rows ambiguous."""
    row_of = {b: i for i, b in enumerate(bases["base_id"])}
    for i, tid in enumerate(tps["tps_id"]):
        if tid in row_of:
            problems.append(
                f"tps.csv, row {i + 2}, column tps_id: {tid!r} is also a base id "
                f"(bases.csv, row {row_of[tid] + 2}); ids must differ between the files"
            )


def duplicate_pairs(travel: pd.DataFrame, name: str, problems: list[str]) -> None:
    """Two rows for the same (from_id, to_id): which one is meant cannot be guessed."""
    dup = travel.duplicated(subset=["from_id", "to_id"], keep="first").to_numpy()
    for i in dup.nonzero()[0][:5]:
        problems.append(
            f"{name}, row {i + 2}: the pair {travel['from_id'].iloc[i]!r} → "
            f"{travel['to_id'].iloc[i]!r} is given twice; keep one row per pair"
        )
    if dup.sum() > 5:
        problems.append(f"{name}: {int(dup.sum())} duplicate (from_id, to_id) rows in all")


def read_outlines(path: Path) -> dict[str, Any] | None:
    """outlines.json: ``{"kecamatan": [{"name", "rings"}], "desa": [{"rings"}]}`` with each
    ring a list of ``[lon, lat]`` points. Checked whole here, not when the map is drawn."""
    if not path.exists():
        return None
    if not path.is_file():
        raise InputError(f"{path}: is a folder, expected the outlines file (or remove it)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        raise InputError(f"{path.name}: not valid JSON ({err}); fix or remove the file") from None
    problems: list[str] = []
    if not isinstance(data, dict):
        problems.append(f"{path.name}: expected an object with 'kecamatan' and/or 'desa' lists")
        raise InputError(problems)
    for level in ("kecamatan", "desa"):
        shapes = data.get(level, [])
        if not isinstance(shapes, list):
            problems.append(f"{path.name}: {level!r} must be a list of shapes")
            continue
        for k, shape in enumerate(shapes):
            why = _shape_problem(shape, needs_name=level == "kecamatan")
            if why:
                problems.append(f"{path.name}: {level}[{k}]: {why}")
    if problems:
        raise InputError(problems[:10])
    return data


def _shape_problem(shape: Any, *, needs_name: bool) -> str | None:
    if not isinstance(shape, dict) or not isinstance(shape.get("rings"), list):
        return "expected an object with a 'rings' list of [[lon, lat], ...] rings"
    if needs_name and not isinstance(shape.get("name"), str):
        return "needs a 'name' (text)"
    for r, ring in enumerate(shape["rings"]):
        if not isinstance(ring, list) or not ring:
            return f"ring {r} is not a non-empty list of [lon, lat] points"
        for point in ring:
            if not (
                isinstance(point, list)
                and len(point) == 2
                and all(isinstance(v, (int, float)) and math.isfinite(v) for v in point)
            ):
                return f"ring {r} has a point {point!r}; each point is [lon, lat] (two numbers)"
    return None
