"""Where does reserve size matter? Reserve-needed p90 by place, per point of a reserve sweep.

Reads a finished sweep directory (one job folder per ``staffing.reserve_units`` point, each with
``summary.json`` and ``incidents.parquet``) and prints, per point, the reserve-needed response
p90 (incidents that needed a reserve team; never reached = +∞) with its 95 % interval (as in
``summary.json``: Woodruff, days as clusters) for all incidents, for those at TPS and for those
at the PPK / KPU offices (category ``ppk``), plus the share of office incidents among them. Run:
``python scripts/reserve_where.py SWEEP_DIR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from pilkadasim.analysis.metrics import reserve_needed
from pilkadasim.analysis.stats import quantile_interval


def p90(inc: pd.DataFrame, n_days: int) -> str:
    if inc.empty:
        return "–"
    v = inc["response_min"].to_numpy(dtype=float, na_value=np.inf)
    days = inc["replication"].to_numpy()
    est = float(np.quantile(v, 0.9, method="inverted_cdf"))
    ci = quantile_interval(v, days, n_days, 0.9)

    def f(x: float | None) -> str:
        return "not reached" if x is None or not np.isfinite(x) else f"{x:.1f}"

    return f"{f(est)} [{f(ci[0]) if ci else '–'}, {f(ci[1]) if ci else '–'}]"


def main(folder: Path) -> None:
    rows = []
    for job in sorted((p for p in folder.iterdir() if p.is_dir()), key=lambda p: p.name):
        if not (job / "summary.json").exists():
            continue
        summary = json.loads((job / "summary.json").read_text())
        n_days = int(summary["replications"])
        inc = pd.read_parquet(job / "incidents.parquet")
        need = inc[reserve_needed(inc)]
        office = need["category"].astype(str) == "ppk"
        rows.append(
            {
                "reserve teams": summary["staffing"]["reserve_teams"],
                "needed/day": f"{len(need) / n_days:.2f}",
                "all: p90 [95% CI]": p90(need, n_days),
                "TPS: p90 [95% CI]": p90(need[~office], n_days),
                "PPK/KPU offices: p90 [95% CI]": p90(need[office], n_days),
                "office share": f"{office.mean():.0%}",
            }
        )
    rows.sort(key=lambda r: int(r["reserve teams"]))
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in cols) + " |")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
