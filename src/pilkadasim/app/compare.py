"""Plan B against plan A on common random numbers: paired differences, intervals, words.

Both plans are run with the same seed and replications, so day ``r`` of A and day ``r`` of B
see the very same incidents (incidents never depend on staffing or dispatch). A difference is
estimated on all incidents pooled (as the headline is) and its 95 % interval comes from
resampling whole days, the same days for A and B (paired bootstrap, fixed seed: the same
answer every time). Days are the independent unit; incidents of one day are not.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from pilkadasim.errors import InputError

RESAMPLES = 2000
SEED = 20241127  # fixed: the interval of a comparison never changes between clicks


def paired_days(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    """Refuse a comparison that is not on common random numbers."""
    if a["count"].shape != b["count"].shape or not np.array_equal(a["count"], b["count"]):
        raise InputError(
            "compare: plans A and B do not see the same incidents (different run.seed, "
            "run.replications, region, timeline or incidents); pin A again after changing those"
        )


def resample(n_days: int, resamples: int = RESAMPLES) -> np.ndarray:
    """How often each day is drawn, per resample (``resamples × n_days``)."""
    rng = np.random.default_rng(SEED)
    picks = rng.integers(0, n_days, size=(resamples, n_days))
    weights = np.zeros((resamples, n_days))
    np.add.at(weights, (np.arange(resamples)[:, None], picks), 1.0)
    return weights


def share_difference(
    a: dict[str, np.ndarray], b: dict[str, np.ndarray], target: float, w: np.ndarray
) -> dict[str, Any]:
    """B − A in the share of all incidents reached within ``target`` minutes."""
    key = f"hit_{target:g}"
    n = a["count"]
    diff = b[key] - a[key]
    point = float(diff.sum() / n.sum()) if n.sum() else float("nan")
    boot = (w @ diff) / np.maximum(w @ n, 1.0)
    lo, hi = np.percentile(boot, [2.5, 97.5])
    return {"target": target, "diff": point, "ci95": [float(lo), float(hi)]}


def weighted_p90(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """p90 (the 'higher' order statistic) of ``values`` under each row of ``weights``."""
    order = np.argsort(values, kind="stable")
    v, w = values[order], weights[:, order]
    cum = np.cumsum(w, axis=1)
    idx = np.argmax(cum >= 0.9 * cum[:, -1:] - 1e-9, axis=1)
    picked: np.ndarray = v[idx]
    return picked


def reserve_p90_difference(
    a: dict[str, np.ndarray], b: dict[str, np.ndarray], w: np.ndarray
) -> dict[str, Any]:
    """B − A in the p90 response of incidents that needed the reserve (minutes)."""
    ones = np.ones((1, w.shape[1]))
    out: dict[str, Any] = {}
    for name, d in (("a", a), ("b", b)):
        if d["reserve_r"].size == 0:
            return {"a": None, "b": None, "diff": None, "ci95": None}
        out[name] = weighted_p90(d["reserve_r"], ones[:, d["reserve_rep"]])[0]
        out[f"boot_{name}"] = weighted_p90(d["reserve_r"], w[:, d["reserve_rep"]])
    if not (np.isfinite(out["a"]) and np.isfinite(out["b"])):
        fin = {k: float(out[k]) if np.isfinite(out[k]) else None for k in ("a", "b")}
        return {**fin, "diff": None, "ci95": None}
    boot = out["boot_b"] - out["boot_a"]
    boot = boot[np.isfinite(boot)]
    lo, hi = np.percentile(boot, [2.5, 97.5]) if boot.size else (np.nan, np.nan)
    return {
        "a": float(out["a"]),
        "b": float(out["b"]),
        "diff": float(out["b"] - out["a"]),
        "ci95": [float(lo), float(hi)] if boot.size else None,
    }


def compare(
    a: dict[str, np.ndarray], b: dict[str, np.ndarray], targets: list[float]
) -> dict[str, Any]:
    """Paired differences B − A with 95 % intervals, and the sentences that say them."""
    paired_days(a, b)
    w = resample(a["count"].size)
    shares = [share_difference(a, b, t, w) for t in targets]
    p90 = reserve_p90_difference(a, b, w)
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
    "unreached": {
        "id": "Insiden yang butuh cadangan: p90 tidak terjangkau di {which} — tidak bisa "
        "dibandingkan",
        "en": "Incidents needing the reserve: p90 not reached in {which} — cannot be compared",
    },
}


def share_words(s: dict[str, Any], lang: str) -> str:
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
    if p["diff"] is None or p["ci95"] is None:
        which = " & ".join(k.upper() for k in ("a", "b") if p.get(k) is None) or "A & B"
        return P90["unreached"][lang].format(which=which)
    d, (lo, hi) = p["diff"], p["ci95"]
    if hi < 0:
        return P90["faster"][lang].format(d=num(-d, lang), lo=num(-hi, lang), hi=num(-lo, lang))
    if lo > 0:
        return P90["slower"][lang].format(d=num(d, lang), lo=num(lo, lang), hi=num(hi, lang))
    return P90["same"][lang].format(d=num(d, lang), lo=num(lo, lang), hi=num(hi, lang))
