"""The headline sentence of a sweep's ``recommendation.json``, in Bahasa Indonesia or English.

Sizing axes (reserve teams) get "the smallest number that meets the target with 95 %
confidence" or the reason there is none; other axes get the options ranked and named, never
"teams". The decision metric and the all-incident figure beside it are both named.
"""

from __future__ import annotations

from typing import Any

from pilkadasim.report.labels import t

METRIC_WORDS = {
    "reserve_response_min": {
        "id": "waktu respons insiden yang memerlukan tim cadangan",
        "en": "response time of incidents that needed a reserve team",
    },
    "response_min": {"id": "waktu respons semua insiden", "en": "response time of all incidents"},
}
MIN = {"id": "menit", "en": "min"}
SIDE = {"id": ("rendah", "tinggi"), "en": ("low", "high")}
BASELINE = {"id": "skenario dasar", "en": "baseline"}
UNIT_WORDS = {
    "staffing.reserve_units": {"id": "tim cadangan", "en": "reserve teams"},
}
TEXT = {
    "too_few_incidents": {
        "id": "Tidak ada rekomendasi: terlalu sedikit insiden per hari simulasi untuk menguji "
        "target {target} dengan keyakinan 95 %; tambah jumlah hari (run.replications).",
        "en": "No recommendation: too few incidents per simulated day to test the {target} "
        "target with 95 % confidence; simulate more days (run.replications).",
    },
    "value": {
        "id": "Rekomendasi: {n} {unit} — jumlah terkecil dalam sapuan yang membuat {stat} {metric} "
        "memenuhi target {target} dengan keyakinan 95 % (batas {bound}; uji berurutan atas "
        "{k} tingkat, galat keluarga ≤ 5 %).",
        "en": "Recommendation: {n} {unit} — the smallest number in the sweep for which the {stat} "
        "{metric} meets the {target} target with 95 % confidence (bound {bound}; fixed-sequence "
        "test over {k} levels, family-wise error ≤ 5 %).",
    },
    "bko": {
        "id": " Rencana ini melebihi jumlah personel: perlu BKO sebanyak {n} personel.",
        "en": " This plan exceeds the personnel total: it needs BKO reinforcement of {n}.",
    },
    "no_level_meets_target": {
        "id": "Tidak ada rekomendasi: pada {n} {unit} pun, {stat} {metric} tidak memenuhi target "
        "{target} dengan keyakinan 95 % (batas {bound}).",
        "en": "No recommendation: even with {n} {unit} the {stat} {metric} does not meet the "
        "{target} target with 95 % confidence (bound {bound}).",
    },
    "only_over_budget_levels_meet_target": {
        "id": "Tidak ada rekomendasi dalam anggaran personel: hanya {n} {unit} atau lebih memenuhi "
        "target {target}, dan itu perlu BKO {b} personel (izinkan dengan staffing.allow_bko=true).",
        "en": "No recommendation within the personnel total: only {n} {unit} or more meet the "
        "{target} target, which needs BKO reinforcement of {b} (allow with "
        "staffing.allow_bko=true).",
    },
    "ranking": {
        "id": "Peringkat menurut {stat} {metric} ({axis}): {items}. {same}",
        "en": "Ranking by the {stat} {metric} ({axis}): {items}. {same}",
    },
    "same": {
        "id": "Tidak berbeda nyata dari yang terbaik (rentang keyakinan 95 % selisih "
        "berpasangan): {names}.",
        "en": "Not distinguishable from the best (paired 95 % CI of the difference): {names}.",
    },
    "not_compared": {
        "id": " Tidak dapat dibandingkan (hari atau insiden terlalu sedikit): {names}.",
        "en": " Cannot be compared (too few days or incidents): {names}.",
    },
    "all_differ": {
        "id": "Semua opsi lain berbeda nyata dari yang terbaik.",
        "en": "Every other option is significantly worse than the best.",
    },
    "sensitivity": {
        "id": "Asumsi perkiraan yang paling menggeser {stat} {metric} (skenario dasar {base}; "
        "selisih berpasangan, rentang keyakinan 95 %): {items}.{rest}",
        "en": "The estimated assumptions that move the {stat} {metric} most (baseline {base}; "
        "paired change, 95 % CI): {items}.{rest}",
    },
    "sensitivity_none": {
        "id": "Tidak ada asumsi perkiraan yang menggeser {stat} {metric} secara nyata (skenario "
        "dasar {base}; selisih berpasangan, rentang keyakinan 95 %).{rest}",
        "en": "No estimated assumption moves the {stat} {metric} significantly (baseline {base}; "
        "paired change, 95 % CI).{rest}",
    },
    "sensitivity_rest": {
        "id": " Tidak terbukti menggeser (rentang keyakinan memuat 0): {names}.",
        "en": " No change shown (the interval includes 0): {names}.",
    },
    "beside": {
        "id": " Semua insiden: p90 {p90} (rentang keyakinan 95 % {ci}).",
        "en": " All incidents: p90 {p90} (95 % CI {ci}).",
    },
    "few_days": {
        "id": " Catatan: hanya {n} hari simulasi per titik; cakupan rentang keyakinan baru "
        "diperiksa mulai {m} hari (run.replications).",
        "en": " Note: only {n} simulated days per point; the coverage of the confidence bounds "
        "is verified from {m} days up (run.replications).",
    },
    "monotone": {
        "id": " Peringatan: hasil memburuk secara nyata saat unit ditambah ({pairs}).",
        "en": " Warning: results get significantly worse with more units ({pairs}).",
    },
}


def _metric_parts(rec: dict[str, Any], lang: str) -> tuple[str, str, str]:
    metric = str(rec["metric"])
    base = "reserve_response_min" if metric.startswith(("reserve_", "reserve")) else "response_min"
    share = ".p90" not in metric
    stat = ("bagian dalam" if lang == "id" else "share within") if share else "p90"
    mins = MIN[lang]
    target = f"{rec['target']:.0%}" if share else f"{rec['target_min']:g} {mins}"
    if share:
        stat = f"{stat} {rec['target_min']:g} {mins}"
    return stat, METRIC_WORDS[base][lang], target


def _fmt(x: Any, share: bool, lang: str, none: str = "not_reached") -> str:
    """A statistic; ``None`` is "not reached" (an estimate) or, with ``none="unbounded"``, a
    bound the data do not give."""
    from pilkadasim.report.fmt import minutes, pct

    if x is None:
        return t(none, lang)
    return pct(x, 0, lang) if share else f"{minutes(x, 1, lang)} {MIN[lang]}"


def _ci(ci: Any, lang: str = "id") -> str:
    from pilkadasim.report.fmt import interval

    return interval(ci, 1, lang) if ci else "–"


def option_name(axis: str, option: Any, lang: str) -> str:
    """An option as the report names it ("pola lean", "CV ketegangan 0.5", a sensitivity case
    "kecepatan tim Sabhara: rendah"); an axis without a word of its own is named as its override
    ("dispatch.policy=nearest")."""
    if axis == "sensitivity":
        return _case_name(str(option), lang)
    key = f"short:{axis}"
    word = t(key, lang)
    if word != key:
        return f"{word} {_value(option, lang)}"
    return f"{option}" if "," in axis else f"{axis}={option}"


def _value(option: Any, lang: str) -> str:
    """A numeric option with the language's decimal mark ("0,25" in Indonesian)."""
    if isinstance(option, float) and not option.is_integer():
        return f"{option:g}".replace(".", ",") if lang == "id" else f"{option:g}"
    if isinstance(option, float):
        return f"{option:g}"
    return str(option)


def _case_name(case: str, lang: str) -> str:
    """``speed_low`` → "kecepatan tim Sabhara: rendah"; ``baseline`` → "skenario dasar"."""
    from pilkadasim.report.sensitivity import assumption_name

    name, _, side = case.rpartition("_")
    if side in ("low", "high") and name:
        return f"{assumption_name(name, lang)}: {SIDE[lang][0 if side == 'low' else 1]}"
    return BASELINE[lang] if case == "baseline" else case


def headline(rec: dict[str, Any], lang: str = "id") -> str:
    """One or two sentences a planner can carry into the rakor."""
    stat, metric, target = _metric_parts(rec, lang)
    share = ".p90" not in str(rec["metric"])
    note = ""
    if rec.get("warning"):
        note = TEXT["few_days"][lang].format(n=rec.get("days", "?"), m=rec.get("min_days", 50))
    if rec.get("kind") == "sensitivity":
        return _sensitivity(rec, lang, stat, metric) + note
    if rec.get("kind") == "ranking":
        return _ranking(rec, lang, stat, metric, share) + note
    unit = UNIT_WORDS.get(rec["axis"], {}).get(lang) or _unit_word(str(rec["axis"]), lang)
    at = rec.get("at") or {}
    bound = _fmt(at.get("bound"), share, lang, none="unbounded")
    if rec["value"] is not None:
        tested = sum(1 for o in rec["options"] if o.get("tested"))
        text = TEXT["value"][lang].format(
            n=rec["value"],
            unit=unit,
            stat=stat,
            metric=metric,
            target=target,
            bound=bound,
            k=tested,
        )
        if rec.get("bko_needed"):
            text += TEXT["bko"][lang].format(n=rec["bko_needed"])
    elif rec["reason"] == "only_over_budget_levels_meet_target":
        text = TEXT[rec["reason"]][lang].format(
            n=rec["smallest_meeting"], unit=unit, target=target, b=rec["bko_needed"]
        )
    elif rec["reason"] == "too_few_incidents":
        text = TEXT["too_few_incidents"][lang].format(target=target)
    else:
        top = max(o["option"] for o in rec["options"])
        text = TEXT["no_level_meets_target"][lang].format(
            n=top, unit=unit, stat=stat, metric=metric, target=target, bound=bound
        )
    if at and "all_incidents_p90" in at and ".p90" in str(rec["metric"]):
        p90 = _fmt(at["all_incidents_p90"], False, lang)
        text += TEXT["beside"][lang].format(p90=p90, ci=_ci(at.get("all_incidents_p90_ci95"), lang))
    text += note
    if rec.get("monotone_violations"):
        pairs = ", ".join(f"{a}→{b}" for a, b in rec["monotone_violations"])
        text += TEXT["monotone"][lang].format(pairs=pairs)
    return text


def _ranking(rec: dict[str, Any], lang: str, stat: str, metric: str, share: bool) -> str:
    axis = rec["axis"]
    items = []
    for o in rec["options"]:
        name = option_name(axis, o["option"], lang)
        flag = " [>" + ("anggaran" if lang == "id" else "budget") + "]" if o["over_budget"] else ""
        items.append(f"{o['rank']}. {name}{flag}: {_fmt(o['estimate'], share, lang)}")
    others = [o for o in rec["options"] if o["option"] != rec["best"]]
    same = [
        option_name(axis, o["option"], lang)
        for o in others
        if o.get("diff_to_best_ci95") is not None and not o["distinguishable_from_best"]
    ]
    unknown = [
        option_name(axis, o["option"], lang) for o in others if o.get("diff_to_best_ci95") is None
    ]
    tail = TEXT["same"][lang].format(names="; ".join(same)) if same else ""
    if unknown:
        tail += TEXT["not_compared"][lang].format(names="; ".join(unknown))
    if not same and not unknown:
        tail = TEXT["all_differ"][lang]
    label = _axis_label(axis, lang)
    return TEXT["ranking"][lang].format(
        stat=stat, metric=metric, axis=label, items="; ".join(items), same=tail.strip()
    )


def _unit_word(axis: str, lang: str) -> str:
    """``staffing.fixed_units.brimob.count`` → "unit brimob"; else the axis's label."""
    parts = axis.split(".")
    if len(parts) == 4 and parts[:2] == ["staffing", "fixed_units"] and parts[3] == "count":
        return f"unit {parts[2]}"
    return _axis_label(axis, lang)


def _axis_label(axis: str, lang: str) -> str:
    """The report's words for a swept key, else the key itself."""
    word = t(f"factor:{axis}", lang)
    return axis if word == f"factor:{axis}" else word


def _signed(x: float | None, lang: str) -> str:
    from pilkadasim.report.fmt import num

    if x is None:
        return t("unbounded", lang)
    return ("+" if x > 0 else "−" if x < 0 else "") + num(abs(x), 1, lang)


def _sensitivity(rec: dict[str, Any], lang: str, stat: str, metric: str, top: int = 3) -> str:
    """The three assumptions that move the answer most (each side with its paired CI), and
    those that do not move it significantly."""
    from pilkadasim.report.sensitivity import assumption_name

    rows = rec.get("assumptions") or []
    moving = [a for a in rows if a["moves"]][:top]
    still = [assumption_name(a["assumption"], lang) for a in rows if not a["moves"]]
    items = []
    for k, a in enumerate(moving, start=1):
        sides = []
        for word, s in zip(SIDE[lang], ("low", "high"), strict=True):
            if a[s] is None:
                continue
            lo, hi = (_signed(x, lang) for x in a[f"{s}_ci95"])
            sides.append(f"{word} {_signed(a[s], lang)} {MIN[lang]} ({lo} – {hi})")
        items.append(f"{k}. {assumption_name(a['assumption'], lang)}: " + ", ".join(sides))
    base = _fmt(rec.get("baseline"), False, lang)
    rest = TEXT["sensitivity_rest"][lang].format(names=", ".join(still)) if still else ""
    if not moving:
        return TEXT["sensitivity_none"][lang].format(stat=stat, metric=metric, base=base, rest=rest)
    return TEXT["sensitivity"][lang].format(
        stat=stat, metric=metric, base=base, items="; ".join(items), rest=rest
    )
