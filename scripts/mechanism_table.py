"""Measure the issue-14 mechanisms one at a time on the default Bangka day (docs/model.md).

Every variant runs the same seed and replications (common random numbers); differences to the
all-off baseline are paired per day. Also prints the share of days with no incident at all
(and with none above severity 1) under the default. The last rows add protest surges and the
operation timeline to the default and are compared with the default (column ``vs``); an
operation row's "day" is the whole operation (H-2 to the KPU recap), its utilisation is over
that horizon. Run:
``python scripts/mechanism_table.py [replications]``.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

import pilkadasim
from pilkadasim.analysis.metrics import reserve_needed
from pilkadasim.analysis.stats import DayBootstrap, percentile_interval

OFF = [
    "incidents.tension_cv=0",
    "incidents.voters_exponent=0",
    "incidents.signal_extra_delay_min.weak=0",
    "incidents.signal_extra_delay_min.none=0",
    *(f"staffing.partners.{p}.enabled=false" for p in ("linmas", "koramil", "brimob")),
]
VARIANTS = {
    "all off (0.1 day)": OFF,
    "tension (cv 0.5)": [o for o in OFF if "tension" not in o],
    "voters (exponent 1)": [o for o in OFF if "voters" not in o],
    "signal (+10 min weak)": [o for o in OFF if "signal" not in o],
    "Linmas (2 per TPS)": [o for o in OFF if "linmas" not in o],
    "TNI Koramil (8 squads)": [o for o in OFF if "koramil" not in o],
    "Brimob BKO (2 teams)": [o for o in OFF if "brimob" not in o],
    "patrol (dwell 15 min)": [*OFF, "staffing.reserve_mode=patrol"],
    "shifts (12 h, handover 30 min)": [*OFF, "staffing.shift_hours=12", "staffing.handover_min=30"],
    "all on (default)": [],
    # the rows below add to the default and are compared with it (BASELINE)
    "surges on (default + surges)": ["incidents.surges.enabled=true"],
    "operation (H-2 to the KPU recap)": ["timeline=operation"],
    "operation + surges": ["timeline=operation", "incidents.surges.enabled=true"],
}
FLEET_01 = ("sabhara", "dalmas", "tni")  # the 0.1 fleet: utilisation over the same units
_NAMES = list(VARIANTS)
_DEFAULT = _NAMES.index("all on (default)")
BASELINE = dict.fromkeys(_NAMES[: _DEFAULT + 1], "all off (0.1 day)")
BASELINE.update(dict.fromkeys(_NAMES[_DEFAULT + 1 :], "all on (default)"))


def per_day(res: pilkadasim.Results, reps: int) -> pd.DataFrame:
    """Per replication: peak concurrent busy units (partner units included), mean utilisation
    of the 0.1 fleet's units (police reserve and Kodim TNI: partner rows are not diluted by
    their own idle squads), incidents."""
    trips = res.trips
    peak = np.zeros(reps)
    for r, d in trips.groupby("replication"):
        t = np.concatenate([d["dispatched_at"].to_numpy(), d["cleared_at"].to_numpy()])
        step = np.concatenate([np.ones(len(d)), -np.ones(len(d))])
        order = np.lexsort((step, t))  # a unit freed at t before one sent at t
        peak[int(r)] = np.cumsum(step[order]).max()
    units = res.units[res.units["kind"].isin(FLEET_01)]
    util = units.groupby("replication", observed=True)["utilization"].mean().reindex(range(reps))
    inc = res.incidents
    n = inc.groupby("replication").size().reindex(range(reps), fill_value=0)
    severe = inc[inc["severity"] >= 2].groupby("replication").size()
    severe = severe.reindex(range(reps), fill_value=0)
    return pd.DataFrame(
        {"peak": peak, "util": util.to_numpy(), "n": n.to_numpy(), "severe": severe.to_numpy()}
    )


def paired(a: np.ndarray, b: np.ndarray) -> str:
    d = b - a
    half = 1.96 * d.std(ddof=1) / np.sqrt(len(d))
    return f"{d.mean():+.3f} [{d.mean() - half:+.3f}, {d.mean() + half:+.3f}]"


def p90_diff(a: np.ndarray, b: np.ndarray, rng: np.random.Generator) -> str:
    idx = rng.integers(0, len(a), (2000, len(a)))
    boot = np.quantile(b[idx], 0.9, axis=1) - np.quantile(a[idx], 0.9, axis=1)
    lo, hi = np.quantile(boot, [0.025, 0.975])
    return f"{np.quantile(b, 0.9) - np.quantile(a, 0.9):+.1f} [{lo:+.1f}, {hi:+.1f}]"


def reserve_p90(res: pilkadasim.Results, boot: DayBootstrap) -> tuple[float, np.ndarray]:
    """summary.json's reserve-needed response p90 and its day-bootstrap replicates."""
    inc = res.incidents[reserve_needed(res.incidents)]
    v = inc["response_min"].to_numpy(dtype=float, na_value=np.inf)
    reps = boot.quantiles(v, inc["replication"].to_numpy(), [0.9])[:, 0]
    return float(res.summary["reserve_response_min"]["p90"]), reps


def paired_boot(a: tuple[float, np.ndarray], b: tuple[float, np.ndarray], n: int) -> str:
    """Δ of a statistic with a paired day-bootstrap interval (the same days drawn for both)."""
    lo, hi = percentile_interval(b[1] - a[1], n) or [float("nan")] * 2
    return f"{b[0] - a[0]:+.1f} [{lo:+.1f}, {hi:+.1f}]"


def main(reps: int) -> None:
    rows, days, resp = [], {}, {}
    boot = DayBootstrap(reps, 2024)  # shared by every row: paired differences
    for name, extra in VARIANTS.items():
        cfg = pilkadasim.compose(
            [f"run.replications={reps}", "run.seed=2024", "run.progress=false", *extra]
        )
        res = pilkadasim.simulate(cfg)
        days[name] = per_day(res, reps)
        resp[name] = reserve_p90(res, boot)
    rng = np.random.default_rng(14)
    for name, d in days.items():
        base, vs = days[BASELINE[name]], BASELINE[name]
        dispersion = d["n"].var() / d["n"].mean()
        rows.append(
            {
                "mechanism": name,
                "vs": vs.split(" (")[0],
                "incidents/day": f"{d['n'].mean():.2f} (var/mean {dispersion:.2f})",
                "reserve-needed p90 (min)": f"{resp[name][0]:.1f}",
                "Δ [95% CI]": paired_boot(resp[vs], resp[name], reps),
                "busy reserve units, p90 of daily peak": f"{np.quantile(d['peak'], 0.9):.0f}",
                "Δ [95% CI] ": p90_diff(base["peak"].to_numpy(), d["peak"].to_numpy(), rng),
                "peak busy units": f"{d['peak'].mean():.2f}",
                "Δ peak [95% CI]": paired(base["peak"].to_numpy(), d["peak"].to_numpy()),
                "utilisation %": f"{100 * d['util'].mean():.2f}",
                "Δ util pp [95% CI]": paired(
                    100 * base["util"].to_numpy(), 100 * d["util"].to_numpy()
                ),
            }
        )
    cols = list(rows[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in cols) + " |")
    d = days["all on (default)"]
    for col, label in (("n", "no incident"), ("severe", "no incident of severity >= 2")):
        k = int((d[col] == 0).sum())
        p = k / reps
        half = 1.96 * np.sqrt(p * (1 - p) / reps)
        print(f"days with {label}: {k}/{reps} = {p:.3f} ± {half:.3f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 400)
