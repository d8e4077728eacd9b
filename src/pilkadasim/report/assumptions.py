"""The key assumptions of a run in words, each with its source in ``docs/sources.md``.

One home for the table shown in the HTML report and on the last slide: values are read from
the run's configuration and written as a person would ("lognormal, median 3 jam, 95 % selesai
dalam 6 jam", "13.00 WIB", "1,25 %"), never as raw config.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pilkadasim.report.fmt import clock, distribution, duration, num, pct
from pilkadasim.report.labels import t

Row = tuple[str, str, str]  # label, value in words, source


def _get(cfg: Any, key: str) -> Any:
    from omegaconf import OmegaConf

    value = OmegaConf.select(cfg, key, default=None)
    if value is not None and hasattr(value, "_get_node"):
        value = OmegaConf.to_container(value)
    return value


def _pattern(cfg: Any, lang: str) -> str:
    name = str(_get(cfg, "staffing.guard_pattern"))
    pattern = (_get(cfg, "staffing.guard_patterns") or {}).get(name) or {}
    parts = [f"{t(cat, lang).lower()} {p[0]} : {p[1]}" for cat, p in pattern.items()]
    return f"{name} — " + ", ".join(parts) if parts else name


def _reserve(cfg: Any, lang: str) -> str:
    kind = str(_get(cfg, "staffing.reserve_kind") or "sabhara")
    crew = (_get(cfg, "staffing.unit_kinds") or {}).get(kind, {}).get("crew")
    n = _get(cfg, "staffing.reserve_units")
    return t("reserve_teams_words", lang, n=n, kind=kind.capitalize(), crew=crew)


def _placement(cfg: Any, lang: str) -> str:
    text = t(f"placement:{_get(cfg, 'staffing.placement')}", lang)
    if _get(cfg, "staffing.reserve_mode") == "patrol":
        dwell = duration(_get(cfg, "staffing.patrol.dwell_min"), lang)
        text += "; " + t("patrol_words", lang, d=dwell)
    return text


def _timeline(cfg: Any, lang: str) -> str:
    text = t(f"timeline:{_get(cfg, 'timeline.mode')}", lang)
    if _get(cfg, "incidents.surges.enabled"):
        text += "; " + t("surges_on", lang)
    return text


def _voting(cfg: Any, lang: str) -> str:
    start, end = _get(cfg, "timeline.open_at"), _get(cfg, "timeline.close_at")
    return f"{clock(start, lang)} – {clock(end, lang)}"


def _late(cfg: Any, lang: str) -> str:
    delay = _get(cfg, "timeline.late_open_delay_min") or {}
    return f"{pct(_get(cfg, 'timeline.late_open_probability'), 2, lang)}; " + t(
        "late_by", lang, d=distribution(delay, lang)
    )


def _factors(cfg: Any, lang: str) -> str:
    f = _get(cfg, "incidents.category_factor") or {}
    return ", ".join(f"{t(c, lang)} × {num(v, 1, lang)}" for c, v in f.items())


def _escalation(cfg: Any, lang: str) -> str:
    e = _get(cfg, "incidents.escalation") or {}
    if not e.get("enabled"):
        return t("no", lang)
    return t(
        "escalation_words",
        lang,
        p=pct(e["probability"], 0, lang),
        m=duration(e["threshold_min"], lang),
    )


def _travel(cfg: Any, lang: str) -> str:
    mode = str(_get(cfg, "travel.mode"))
    if mode != "road":
        return t(f"travel:{mode}", lang)
    speeds = _get(cfg, "travel.speed_kmh") or {}
    text = ", ".join(f"{t(f'speed:{k}', lang)} {num(v, 0, lang)}" for k, v in speeds.items())
    return t("travel_words", lang, s=text, d=num(_get(cfg, "travel.detour_factor"), 1, lang))


def _rain(cfg: Any, lang: str) -> str:
    if _get(cfg, "travel.rain_probability") is None:
        return "–"
    return t(
        "rain_words",
        lang,
        p=pct(_get(cfg, "travel.rain_probability"), 0, lang),
        a=clock(_get(cfg, "travel.rain_from_at"), lang),
        b=clock(_get(cfg, "travel.rain_until_at"), lang),
        f=num(_get(cfg, "travel.rain_factor"), 1, lang),
    )


# (label key, how to write the value, source: section of docs/sources.md and grade key)
ASSUMPTIONS: tuple[tuple[str, Callable[[Any, str], str], str, str], ...] = (
    ("assume_personnel", lambda c, g: num(_get(c, "staffing.personnel_total"), 0, g), "§0", "S"),
    ("assume_pattern", _pattern, "§2", "SE"),
    ("assume_reserve", _reserve, "§2", "E"),
    ("assume_placement", _placement, "§2", "E"),
    ("assume_timeline", _timeline, "§1", "E"),
    ("assume_voting", _voting, "§1", "S"),
    ("assume_late", _late, "§1", "D"),
    (
        "assume_counting",
        lambda c, g: distribution(_get(c, "timeline.counting_min") or {}, g),
        "§1",
        "E",
    ),
    ("assume_rates", _factors, "§4", "E"),
    (
        "assume_rate_scale",
        lambda c, g: f"× {num(_get(c, 'incidents.rate_scale'), 1, g)}",
        "§4",
        "E",
    ),
    ("assume_escalation", _escalation, "§4", "E"),
    ("assume_travel", _travel, "§5", "E"),
    ("assume_rain", _rain, "§5", "SE"),
    ("assume_dispatch", lambda c, g: t(f"policy:{_get(c, 'dispatch.policy')}", g), "§2", "E"),
)


def assumption_rows(cfg: Any, lang: str) -> list[Row]:
    """(label, value in words, source) for each key assumption present in ``cfg``."""
    rows = []
    for label, value, section, grade in ASSUMPTIONS:
        try:
            text = value(cfg, lang)
        except (TypeError, KeyError, AttributeError):
            text = "–"  # a region or preset without this part of the configuration
        source = f"docs/sources.md {section} ({t(f'grade:{grade}', lang)})"
        rows.append((t(label, lang), text, source))
    return rows
