"""Places that need attention: p90 response of incidents needing the reserve, per area.

Per-TPS p90 values are mostly the maximum of one to three incidents (noise); pooled over the
simulated days, a desa or kecamatan has enough incidents for a p90 with a confidence interval.
Incidents never reached count as +inf, so a p90 beyond the day is "not reached", not missing.
The interval is the distribution-free order-statistic interval for a quantile (binomial ranks).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from pilkadasim.analysis.metrics import reserve_needed

MIN_INCIDENTS = 20  # fewer incidents than this in a kecamatan: no p90 on the map
PLACE_MIN = 10  # fewer than this in a desa: not ranked among the slowest places


def reserve_incidents(incidents: pd.DataFrame) -> pd.DataFrame:
    """Incidents that needed the reserve (not handled by a guard or Linmas at the TPS)."""
    return incidents[reserve_needed(incidents)]


def quantile_ci(values: np.ndarray, q: float = 0.9) -> tuple[float, float, float]:
    """p-quantile of ``values`` (inf = never reached) with its 95% order-statistic interval.
    A bound among the never-reached is ``inf``; an upper bound the data cannot give (too few
    incidents) is ``nan``."""
    from scipy import stats

    x = np.sort(np.asarray(values, dtype=float))
    n = x.size
    point = float(np.quantile(x, q, method="inverted_cdf"))  # inf: among the never-reached
    lo_rank = int(stats.binom.ppf(0.025, n, q))  # 1-based ranks of the bounding order statistics
    hi_rank = int(stats.binom.ppf(0.975, n, q)) + 1
    lo = float(x[max(lo_rank, 1) - 1])
    hi = float(x[hi_rank - 1]) if hi_rank <= n else np.nan
    return point, lo, hi


def area_table(incidents: pd.DataFrame, by: list[str], min_n: int = MIN_INCIDENTS) -> pd.DataFrame:
    """Per area (``by`` columns): n reserve incidents, p90 and its 95% interval (areas with
    fewer than ``min_n`` incidents get NaN p90), slowest first."""
    d = reserve_incidents(incidents)
    rows: list[dict[str, Any]] = []
    for key, grp in d.groupby([d[c].astype(str) for c in by]):
        r = grp["response_min"].to_numpy(dtype=float)
        r = np.where(np.isnan(r), np.inf, r)
        row = dict(zip(by, key if isinstance(key, tuple) else (key,), strict=True))
        row["n"] = int(r.size)
        p90, lo, hi = quantile_ci(r) if r.size >= min_n else (np.nan, np.nan, np.nan)
        row.update({"p90": p90, "lo": lo, "hi": hi})
        rows.append(row)
    out = pd.DataFrame(rows, columns=[*by, "n", "p90", "lo", "hi"])
    return out.sort_values("p90", ascending=False, na_position="last").reset_index(drop=True)


def slowest_places(incidents: pd.DataFrame, top: int = 10, min_n: int = PLACE_MIN) -> pd.DataFrame:
    """The ``top`` desa with the slowest reserve p90 among those with at least ``min_n``
    such incidents (PPK offices are not desa: left out)."""
    tps = incidents[incidents["category"] != "ppk"]
    by = ["desa", "kecamatan"] if "desa" in tps else ["kecamatan"]
    return area_table(tps, by, min_n).dropna(subset=["p90"]).head(top)


def with_desa(incidents: pd.DataFrame, tps: pd.DataFrame) -> pd.DataFrame:
    """``incidents`` with the desa of their TPS (from the region's tps table)."""
    desa = dict(zip(tps["tps_id"].astype(str), tps["desa"].astype(str), strict=True))
    return incidents.assign(desa=incidents["tps_id"].astype(str).map(desa))
