"""Sensitivity of the answer to the estimated assumptions (``experiment=sensitivity``).

Each sweep point is one case from ``conf/sensitivity/``: an assumption set low or high
(``<name>_low`` / ``<name>_high``) or the unchanged ``baseline``. All run on the same seed and
days, so the change of the decision metric against the baseline is a paired comparison; its 95 %
interval is the paired day bootstrap of :mod:`pilkadasim.sweep.paired` (the ``delta.*``
columns of the sweep table). The tornado table has one row per assumption: first those that
move the answer (the interval of at least one side excludes 0), then the others, each group
ordered by the largest absolute change. A percentile can hop between two observed values
(atoms of the response times: the same remote TPS reached from the same base) and show a swing
of a few minutes whose interval still reaches 0; such a swing is not ranked above a smaller one
that is certain.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

AXIS = "sensitivity"
_ZERO = 1e-6  # minutes: an interval end this close to 0 reaches 0 (float noise of a difference)


def tornado_table(table: pd.DataFrame, metric: str, stat: str = "p90") -> pd.DataFrame:
    """Columns: ``assumption``, ``low``/``high`` (paired change, minutes) with ``.lo``/``.hi``,
    ``swing`` (largest absolute change) and ``moves`` (an interval excludes 0); sorted by
    ``moves`` then ``swing``, largest first."""
    key = f"delta.{metric}.{stat}"
    cases = table.set_index(AXIS)
    rows = []
    names = dict.fromkeys(
        str(c).rsplit("_", 1)[0] for c in cases.index if str(c).endswith(("_low", "_high"))
    )
    for name in names:
        row: dict[str, object] = {"assumption": name}
        for side in ("low", "high"):
            case = f"{name}_{side}"
            has = case in cases.index
            for suffix in ("", ".lo", ".hi"):
                row[f"{side}{suffix}"] = cases.loc[case, key + suffix] if has else None
        rows.append(row)
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    out["swing"] = out[["low", "high"]].abs().max(axis=1)
    lo = out[["low.lo", "high.lo"]].apply(pd.to_numeric, errors="coerce")
    hi = out[["low.hi", "high.hi"]].apply(pd.to_numeric, errors="coerce")
    out["moves"] = ((lo > _ZERO).to_numpy() | (hi < -_ZERO).to_numpy()).any(axis=1)
    out = out.sort_values(["moves", "swing"], ascending=False, kind="stable")
    return out.reset_index(drop=True)


def tornado_summary(table: pd.DataFrame, metric: str) -> dict[str, Any]:
    """``baseline`` (the metric's p90 in the unchanged case) and ``assumptions`` (the tornado
    rows, JSON-ready: ``low``/``high`` with ``low_ci95``/``high_ci95``, ``swing``, ``moves``)."""
    rows = tornado_table(table, metric)
    base = table.loc[table[AXIS].astype(str) == "baseline", f"{metric}.p90"]

    def num(x: Any) -> float | None:
        x = pd.to_numeric(x, errors="coerce")
        return None if pd.isna(x) or not np.isfinite(x) else float(x)

    def side(r: Any, s: str) -> dict[str, Any]:
        return {s: num(r[s]), f"{s}_ci95": [num(r[f"{s}.lo"]), num(r[f"{s}.hi"])]}

    return {
        "baseline": num(base.iloc[0]) if len(base) else None,
        "assumptions": [
            {
                "assumption": str(r["assumption"]),
                **side(r, "low"),
                **side(r, "high"),
                "swing": num(r["swing"]),
                "moves": bool(r["moves"]),
            }
            for _, r in rows.iterrows()
        ],
    }
