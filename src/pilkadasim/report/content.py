"""What a run's report and slides both say, built once from ``summary.json`` and the config:
the headline with its interval and the staffing plan (the personnel total split into TPS
guards, reserve teams and where they wait, command post and other; partners outside it)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pilkadasim.report import fmt as F
from pilkadasim.report.labels import t


def headline(summary: Mapping[str, Any], lang: str) -> str:
    """The finding: share within the largest target and p90, each with its 95% interval."""
    w = summary["within_target"]
    big = max(w, key=float)
    r = summary["response_min"]
    return t(
        "run_finding",
        lang,
        p=F.pct(w[big]["p"], lang=lang),
        ci=F.interval(w[big]["ci95"], lang=lang, scale=100) + " %",
        t=big,
        p90=F.minutes(r["p90"], lang=lang),
        p90ci=F.interval(r["ci95"]["p90"], lang=lang),
        n=summary["replications"],
    )


def staffing_rows(summary: Mapping[str, Any], cfg: Any, lang: str) -> list[list[str]]:
    """[label, number] rows of the staffing plan; empty without a staffing block."""
    st = summary.get("staffing") or {}
    if not st:
        return []
    placement = None
    if cfg is not None and "staffing" in cfg:
        placement = t(f"placement:{cfg.staffing.placement}", lang)
    rows = [[t("tps_guards", lang), str(st["tps_guards"])]]
    for kind, k in (st.get("reserve_by_kind") or {}).items():
        rows.append(
            [f"{t('reserve', lang)}: {k['units']} × {kind.capitalize()}", str(k["personnel"])]
        )
    if not st.get("reserve_by_kind"):
        rows.append([t("reserve", lang), str(st["reserve"])])
    rows.append([t("command_and_support", lang), str(st["command_and_support"])])
    rows.append([t("total", lang), str(st["personnel_total"])])
    if st.get("over_budget"):
        rows.append([t("over_budget", lang), f"+{st['over_budget']}"])
    if placement:
        rows.append([t("where_wait", lang), placement])
    rows += partner_rows(st, lang)
    return rows


def partner_rows(st: Mapping[str, Any], lang: str) -> list[list[str]]:
    """[label, personnel] of the partners outside the personnel total (Linmas, TNI, Brimob): one
    row naming each with its personnel, the total as the value; a row per partner missing."""
    partners = st.get("partners")
    if partners is None:  # a summary written before partners were shown one by one
        return [[t("partner", lang), str(st.get("partner_personnel", 0))]]
    # one row, so the personnel table (and the printed page) keeps its height
    parts = " · ".join(
        f"{t(f'partner:{kind}', lang)} {p['personnel']}" for kind, p in partners.items()
    )
    total = sum(int(p["personnel"]) for p in partners.values())
    rows = [[f"{t('partner', lang)}: {parts}" if parts else t("partner", lang), str(total)]]
    return rows + [[t("partner_missing", lang), why] for why in st.get("partners_missing", [])]


def asked_question(cfg: Any, lang: str) -> str:
    """A study's configured question in ``lang``: ``question_en`` in English when set, else
    ``question`` (Indonesian) as written; empty when the config asks none."""
    if lang == "en" and cfg.get("question_en"):
        return str(cfg.get("question_en"))
    return str(cfg.get("question", "") or "")


def question(cfg: Any, summary: Mapping[str, Any], lang: str) -> str:
    """The question a run answers: the configured question of a study (in ``lang`` where it is
    given), else one built from this run's own personnel total (so a custom region never shows
    Bangka's numbers)."""
    asked = asked_question(cfg, lang)
    if asked:
        return asked
    n = (summary.get("staffing") or {}).get("personnel_total")
    return t("default_question", lang, n=n) if n else t("default_question_plain", lang)
