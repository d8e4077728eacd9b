"""An explicit staging plan: ``unit_id → base_id`` over the placement rule.

``staffing.plan`` (a mapping) and ``staffing.plan_file`` (a CSV with ``unit_id, base_id``, as
``experiment=optimise_staging`` writes it as ``plan.csv``) move the named units to the named
bases; units not named stay where the placement rule (or ``units.csv``) put them. The mapping
wins over the file for a unit named in both.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from pilkadasim.errors import InputError


def read_plan_file(path: str | Path) -> dict[str, str]:
    """``unit_id → base_id`` from a plan CSV, or a one-line message naming what is wrong."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"staffing.plan_file: {p} does not exist (a plan.csv: unit_id, base_id)")
    frame = pd.read_csv(p, dtype=str)
    missing = {"unit_id", "base_id"} - set(frame.columns)
    if missing:
        raise InputError(f"{p}: missing column(s) {', '.join(sorted(missing))}")
    dup = frame["unit_id"][frame["unit_id"].duplicated()]
    if len(dup):
        raise InputError(f"{p}: unit {dup.iloc[0]!r} appears twice")
    return dict(zip(frame["unit_id"], frame["base_id"], strict=True))


def apply_plan(
    units: pd.DataFrame, staffing: Mapping[str, Any], base_ids: list[str] | tuple[str, ...]
) -> pd.DataFrame:
    """``units`` with the bases of ``staffing.plan`` / ``staffing.plan_file`` applied."""
    plan: dict[str, str] = {}
    if staffing.get("plan_file"):
        plan.update(read_plan_file(str(staffing["plan_file"])))
    plan.update({str(k): str(v) for k, v in (staffing.get("plan") or {}).items()})
    if not plan:
        return units
    known = set(units["unit_id"])
    for unit, base in plan.items():
        if unit not in known:
            raise InputError(
                f"staffing.plan: no unit {unit!r} (units: {', '.join(units['unit_id'])})"
            )
        if base not in base_ids:
            raise InputError(
                f"staffing.plan: unit {unit!r} to base {base!r}, which is not in bases.csv "
                f"(bases: {', '.join(base_ids)})"
            )
    out = units.copy()
    out["base_id"] = [plan.get(u, b) for u, b in zip(out["unit_id"], out["base_id"], strict=True)]
    return out
