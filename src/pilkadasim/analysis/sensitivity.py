"""Sensitivity of the answer to the estimated assumptions (``experiment=sensitivity``).

Each sweep point is one case from ``conf/sensitivity/``: an assumption set low or high
(``<name>_low`` / ``<name>_high``) or the unchanged ``baseline``. All run on the same seed and
days, so the change of the decision metric against the baseline is a paired comparison; its 95 %
interval is the paired day bootstrap of :mod:`pilkadasim.sweep.paired` (the ``delta.*``
columns of the sweep table). The tornado table has one row per assumption, ordered by the
largest absolute change.
"""

from __future__ import annotations

import pandas as pd

AXIS = "sensitivity"


def tornado_table(table: pd.DataFrame, metric: str, stat: str = "p90") -> pd.DataFrame:
    """Columns: ``assumption``, ``low``/``high`` (paired change, minutes) with ``.lo``/``.hi``,
    ``swing`` (largest absolute change); sorted by ``swing``, largest first."""
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
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
