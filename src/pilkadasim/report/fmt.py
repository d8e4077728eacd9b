"""Numbers, times and durations as a planner writes them, in ``id`` or ``en``.

Indonesian uses a decimal comma and a point between thousands (``1.234,5``); clock times are
WIB (Asia/Jakarta, UTC+7), written ``13.00 WIB`` in Indonesian and ``13:00 WIB`` in English.
A statistic that is ``None`` because some incidents were never reached (the percentile lies
beyond the simulated day) is written "tidak terjangkau" / "not reached", never as a blank.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any

from pilkadasim.report.labels import t

WIB = timezone(timedelta(hours=7), "WIB")


def num(x: Any, digits: int = 1, lang: str = "id", none: str = "–") -> str:
    """``x`` with ``digits`` decimals and a thousands separator in the language's style."""
    if x is None or x != x:  # None or NaN
        return none
    text = f"{round(float(x), digits) + 0.0:,.{digits}f}"  # + 0.0: never "-0,0"
    if lang == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def minutes(x: Any, digits: int = 1, lang: str = "id") -> str:
    """A response statistic in minutes; ``None`` means not every incident was reached."""
    return num(x, digits, lang, none=t("not_reached", lang))


def pct(p: Any, digits: int = 1, lang: str = "id") -> str:
    """A share (0.0125) as a percentage ("1,25 %" with ``digits=2``)."""
    return "–" if p is None or p != p else f"{num(100 * float(p), digits, lang)} %"


def interval(
    ci: Sequence[Any] | None, digits: int = 1, lang: str = "id", scale: float = 1.0
) -> str:
    """A confidence interval "lo – hi"; an upper end the data do not give (``None``: it falls
    among never-reached incidents, or too few incidents lie above the percentile) is
    "lo – unbounded"."""
    if not ci or ci[0] is None:
        return "–"
    hi = t("unbounded", lang) if ci[1] is None else num(scale * ci[1], digits, lang)
    return f"{num(scale * ci[0], digits, lang)} – {hi}"


def clock(minute: float, lang: str = "id") -> str:
    """Minutes since 00:00 of election day as a WIB clock time ("13.00 WIB"); the next day
    is marked ("11.59 WIB, esok hari"), other days by their H-day ("H-1 14.00 WIB",
    "H+6 09.00 WIB": timeline=operation)."""
    day, rest = divmod(round(minute), 1440)
    sep = "." if lang == "id" else ":"
    text = f"{rest // 60:02d}{sep}{rest % 60:02d} WIB"
    if day < 0 or day > 1:
        return f"H{day:+d} {text}"
    return text + (f", {t('next_day', lang)}" if day >= 1 else "")


def duration(mins: float, lang: str = "id") -> str:
    """20 → "20 menit", 180 → "3 jam", 90 → "1 jam 30 menit"."""
    mins = float(mins)
    if mins < 60 or mins % 15:
        return f"{num(mins, 0 if mins == int(mins) else 1, lang)} {t('unit_min', lang)}"
    h, m = divmod(int(mins), 60)
    text = f"{h} {t('unit_hour', lang)}"
    return text + (f" {m} {t('unit_min', lang)}" if m else "")


def distribution(d: Mapping[str, Any], lang: str = "id") -> str:
    """A configured distribution in words."""
    kind = str(d.get("dist", ""))
    if kind == "lognormal" and d.get("median") is not None and d.get("p95") is not None:
        return t(
            "dist_lognormal_p95",
            lang,
            median=duration(d["median"], lang),
            p95=duration(d["p95"], lang),
        )
    if kind == "lognormal" and d.get("mean") is not None:
        return t("dist_lognormal_mean", lang, mean=duration(d["mean"], lang))
    if kind == "uniform":
        return t("dist_uniform", lang, lo=num(d["low"], 0, lang), hi=duration(d["high"], lang))
    if d.get("value") is not None:
        return duration(d["value"], lang)
    return ", ".join(f"{k} {v}" for k, v in d.items() if v is not None)


def now_wib(lang: str = "id") -> str:
    """The current time in WIB, for a report's own timestamp."""
    now = datetime.now(WIB)
    sep = "." if lang == "id" else ":"
    return now.strftime(f"%d-%m-%Y %H{sep}%M WIB")
