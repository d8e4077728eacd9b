"""Outputs of ``experiment=sensitivity`` at the sweep root: ``sensitivity.csv`` (the tornado
table, see :mod:`pilkadasim.analysis.sensitivity`) and ``figures/tornado.png``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

METRIC_LABEL = {
    "reserve_response_min": {
        "id": "p90 respons insiden yang perlu cadangan",
        "en": "p90 response of reserve-needed incidents",
    },
    "response_min": {"id": "p90 respons semua insiden", "en": "p90 response of all incidents"},
}


def assumption_name(name: str, lang: str) -> str:
    """The report's words for an assumption ("speed" → "kecepatan tim Sabhara")."""
    from pilkadasim.report.labels import t

    key = f"assumption:{name}"
    word = t(key, lang)
    return name if word == key else word


def write_sensitivity(sweep_dir: Path, table: pd.DataFrame, cfg: Any) -> pd.DataFrame:
    """``sensitivity.csv`` at the sweep root (the figure is one of the sweep's figures:
    :func:`tornado_figure`, drawn with the report)."""
    from pilkadasim.analysis.sensitivity import tornado_table
    from pilkadasim.report.io import atomic_write

    rows = tornado_table(table, str(cfg.report.decision_metric))
    atomic_write(sweep_dir / "sensitivity.csv", lambda p: rows.to_csv(p, index=False))
    return rows


def tornado_figure(table: pd.DataFrame, cfg: Any, lang: str) -> Any:
    """The tornado of the sweep table, with the assumptions in the report's words (``None``
    when no low/high case was run)."""
    from pilkadasim.analysis.sensitivity import tornado_table
    from pilkadasim.plotting.sensitivity import tornado

    metric = str(cfg.report.decision_metric)
    rows = tornado_table(table, metric)
    if rows.empty:
        return None
    names = {str(a): assumption_name(str(a), lang) for a in rows["assumption"]}
    return tornado(rows, METRIC_LABEL[metric][lang], lang, names)
