"""Plan B against plan A on common random numbers: paired differences, intervals, words.

Both plans are run with the same seed and replications, so day ``r`` of A and day ``r`` of B
see the very same incidents (incidents never depend on staffing or dispatch). A difference is
estimated on all incidents pooled (as the headline is) and its 95 % interval comes from
resampling whole days, the same days for A and B: the run's own day bootstrap
(:class:`pilkadasim.analysis.stats.DayBootstrap`, fixed seed, so the same answer every time).
Days are the independent unit; incidents of one day are not.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pilkadasim.analysis.stats import DayBootstrap, percentile_interval
from pilkadasim.errors import InputError

SEED = 20241127  # fixed: the interval of a comparison never changes between clicks


def paired_days(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    """Refuse a comparison that is not on common random numbers."""
    if a["count"].shape != b["count"].shape or not np.array_equal(a["count"], b["count"]):
        raise InputError(
            "compare: plans A and B do not see the same incidents (different run.seed, "
            "run.replications, region, timeline or incidents); pin A again after changing those"
        )


def share_difference(
    a: dict[str, np.ndarray], b: dict[str, np.ndarray], target: float, boot: DayBootstrap
) -> dict[str, Any]:
    """B − A in the share of all incidents reached within ``target`` minutes."""
    key = f"hit_{target:g}"
    n = a["count"]
    diff = b[key] - a[key]
    point = float(diff.sum() / n.sum()) if n.sum() else float("nan")
    per_incident = np.repeat(diff / np.maximum(n, 1.0), n.astype(np.int64))
    days = np.repeat(np.arange(n.size), n.astype(np.int64))
    ci = percentile_interval(boot.means(per_incident, days), boot.n_days)
    return {"target": target, "diff": point, "ci95": ci}


def reserve_p90_difference(
    a: dict[str, np.ndarray], b: dict[str, np.ndarray], boot: DayBootstrap
) -> dict[str, Any]:
    """B − A in the p90 response of incidents that needed the reserve (minutes), the p90 as
    in summary.json (inverted CDF), resampled on the same days for A and B."""
    if a["reserve_r"].size == 0 or b["reserve_r"].size == 0:
        return {"a": None, "b": None, "diff": None, "ci95": None}
    point = {k: quantile(d["reserve_r"], 0.9) for k, d in (("a", a), ("b", b))}
    if not (np.isfinite(point["a"]) and np.isfinite(point["b"])):
        fin = {k: float(v) if np.isfinite(v) else None for k, v in point.items()}
        return {**fin, "diff": None, "ci95": None}
    reps = {
        k: boot.quantiles(d["reserve_r"], d["reserve_rep"], [0.9])[:, 0]
        for k, d in (("a", a), ("b", b))
    }
    with np.errstate(invalid="ignore"):
        diff = reps["b"] - reps["a"]  # inf − inf (both unreached) is nan: not defined
    return {
        "a": point["a"],
        "b": point["b"],
        "diff": point["b"] - point["a"],
        "ci95": percentile_interval(np.where(np.isfinite(diff), diff, np.nan), boot.n_days),
    }


def quantile(values: np.ndarray, q: float) -> float:
    """The ``q`` quantile by the inverted CDF (as summary.json defines its percentiles)."""
    return float(np.quantile(np.asarray(values, dtype=float), q, method="inverted_cdf"))


def compare(
    a: dict[str, np.ndarray], b: dict[str, np.ndarray], targets: list[float]
) -> dict[str, Any]:
    """Paired differences B − A with 95 % intervals, and the sentences that say them."""
    paired_days(a, b)
    boot = DayBootstrap(a["count"].size, seed=SEED)
    shares = [share_difference(a, b, t, boot) for t in targets]
    p90 = reserve_p90_difference(a, b, boot)
    words = {
        lang: [share_words(s, lang) for s in shares] + [p90_words(p90, lang)]
        for lang in ("id", "en")
    }
    return {"days": int(a["count"].size), "shares": shares, "reserve_p90": p90, "words": words}


# ------------------------------------------------------------------------------- words
def num(x: float, lang: str) -> str:
    """1 decimal below 10, none above; decimal comma in Bahasa Indonesia; a true minus."""
    text = f"{abs(x):.0f}" if abs(x) >= 10 else f"{abs(x):.1f}"
    if lang == "id":
        text = text.replace(".", ",")
    return ("−" if x < 0 and text.strip("0,.") else "") + text


SHARE = {
    "more": {
        "id": "B menjangkau {d} % lebih banyak insiden dalam {t} menit (rentang {lo}–{hi} %)",
        "en": "B reaches {d} % more incidents within {t} minutes (range {lo}–{hi} %)",
    },
    "fewer": {
        "id": "B menjangkau {d} % lebih sedikit insiden dalam {t} menit (rentang {lo}–{hi} %)",
        "en": "B reaches {d} % fewer incidents within {t} minutes (range {lo}–{hi} %)",
    },
    "same": {
        "id": "Dalam {t} menit tidak ada beda yang jelas antara B dan A: {d} % "
        "(rentang {lo} s.d. {hi} %)",
        "en": "Within {t} minutes there is no clear difference between B and A: {d} % "
        "(range {lo} to {hi} %)",
    },
}
P90 = {
    "faster": {
        "id": "Insiden yang butuh cadangan: p90 B {d} menit lebih cepat (rentang {lo}–{hi} menit)",
        "en": "Incidents needing the reserve: B's p90 is {d} min faster (range {lo}–{hi} min)",
    },
    "slower": {
        "id": "Insiden yang butuh cadangan: p90 B {d} menit lebih lambat (rentang {lo}–{hi} menit)",
        "en": "Incidents needing the reserve: B's p90 is {d} min slower (range {lo}–{hi} min)",
    },
    "same": {
        "id": "Insiden yang butuh cadangan: p90 B dan A tidak berbeda jelas: {d} menit "
        "(rentang {lo} s.d. {hi} menit)",
        "en": "Incidents needing the reserve: no clear difference in p90 between B and A: "
        "{d} min (range {lo} to {hi} min)",
    },
    "few": {
        "id": "Insiden yang butuh cadangan terlalu sedikit untuk membandingkan p90 B dan A "
        "(selisih {d} menit, tanpa rentang keyakinan)",
        "en": "Too few incidents needing the reserve to compare B's and A's p90 "
        "({d} min apart, no confidence interval)",
    },
    "unreached": {
        "id": "Insiden yang butuh cadangan: p90 tidak terjangkau di {which} — tidak bisa "
        "dibandingkan",
        "en": "Incidents needing the reserve: p90 not reached in {which} — cannot be compared",
    },
}


def share_words(s: dict[str, Any], lang: str) -> str:
    if s["ci95"] is None:  # no incident on any day
        return {"id": "Tidak ada insiden untuk dibandingkan", "en": "No incidents to compare"}[lang]
    d, (lo, hi) = 100 * s["diff"], (100 * s["ci95"][0], 100 * s["ci95"][1])
    t = f"{s['target']:g}"
    if lo > 0:
        return SHARE["more"][lang].format(d=num(d, lang), t=t, lo=num(lo, lang), hi=num(hi, lang))
    if hi < 0:
        return SHARE["fewer"][lang].format(
            d=num(-d, lang), t=t, lo=num(-hi, lang), hi=num(-lo, lang)
        )
    return SHARE["same"][lang].format(d=num(d, lang), t=t, lo=num(lo, lang), hi=num(hi, lang))


def p90_words(p: dict[str, Any], lang: str) -> str:
    if p["diff"] is not None and p["ci95"] is None:
        return P90["few"][lang].format(d=num(p["diff"], lang))
    if p["diff"] is None or p["ci95"] is None:
        which = " & ".join(k.upper() for k in ("a", "b") if p.get(k) is None) or "A & B"
        return P90["unreached"][lang].format(which=which)
    d, (lo, hi) = p["diff"], p["ci95"]
    if hi < 0:
        return P90["faster"][lang].format(d=num(-d, lang), lo=num(-hi, lang), hi=num(-lo, lang))
    if lo > 0:
        return P90["slower"][lang].format(d=num(d, lang), lo=num(lo, lang), hi=num(hi, lang))
    return P90["same"][lang].format(d=num(d, lang), lo=num(lo, lang), hi=num(hi, lang))
