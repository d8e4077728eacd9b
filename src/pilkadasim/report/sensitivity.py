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


def write_sensitivity(sweep_dir: Path, table: pd.DataFrame, cfg: Any) -> pd.DataFrame:
    from pilkadasim.analysis.sensitivity import tornado_table
    from pilkadasim.report.io import atomic_write

    metric = str(cfg.report.decision_metric)
    rows = tornado_table(table, metric)
    atomic_write(sweep_dir / "sensitivity.csv", lambda p: rows.to_csv(p, index=False))
    if cfg.report.figures and not rows.empty:
        from pilkadasim.plotting.sensitivity import tornado

        lang = str(cfg.report.lang)
        fig = tornado(rows, METRIC_LABEL[metric][lang], lang)
        target = sweep_dir / "figures" / "tornado.png"
        atomic_write(target, lambda p: fig.savefig(p, format="png"))
    return rows
