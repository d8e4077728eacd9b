"""Figures and report of one run, from results in memory or from a saved run directory.

``write_run_outputs`` is called by the command line after a run; ``rebuild_run`` rebuilds the
same figures and report from ``incidents.parquet``, ``summary.json`` and the saved config
without simulating again (``pilkadasim-report RUN_DIR``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from pilkadasim.data.loaders import RegionData
from pilkadasim.report.io import atomic_write


def tps_response(incidents: pd.DataFrame, region: RegionData, stat: str = "p90") -> pd.DataFrame:
    """Per TPS: position, kecamatan and the response statistic (NaN without incidents)."""
    q = {"p50": 0.5, "p90": 0.9, "p95": 0.95}[stat]
    per = incidents.groupby(incidents["tps_id"].astype(str))["response_min"].quantile(q)
    tps = region.tps[["tps_id", "kecamatan", "lat", "lon"]].copy()
    tps[stat] = tps["tps_id"].map(per)
    return tps


def run_figures(
    incidents: pd.DataFrame,
    region: RegionData | None,
    n_reps: int,
    targets: list[float],
    lang: str,
    label: str,
    horizon: float = 2160.0,
) -> dict[str, Any]:
    from pilkadasim.plotting import demand as D
    from pilkadasim.plotting import figures as F

    figs = {"ecdf": F.response_ecdf({label: incidents}, targets, lang)}
    if region is not None and region.outlines:  # kecamatan map of the reserve response
        figs["kecmap"] = D.kecamatan_map(incidents, region.outlines, region.bases, lang)
    elif region is not None:  # no outlines: TPS points
        figs["map"] = F.region_map(
            tps_response(incidents, region), region.outlines, region.bases, "p90", lang
        )
    figs["peak"] = D.peak_demand(incidents, n_reps, horizon, lang)
    if incidents["kecamatan"].nunique() <= 40:  # beyond that the table is unreadable
        figs["heatmap"] = F.category_heatmap(incidents, lang)
    return figs


def output_name(stem: str, lang: str, run_lang: str, ext: str) -> str:
    """``report.html`` in the language of the run, ``report.en.html`` beside it for another
    language: a rebuild in another language never overwrites the original."""
    return f"{stem}.{ext}" if lang == run_lang else f"{stem}.{lang}.{ext}"


def save_figures(figures: dict[str, Any], folder: Path) -> dict[str, bytes]:
    """Write each figure as ``folder/<name>.png`` (atomically); return the PNG bytes."""
    import io

    out = {}
    for name, fig in figures.items():
        buf = io.BytesIO()
        fig.savefig(buf, format="png")
        png = buf.getvalue()
        atomic_write(folder / f"{name}.png", partial(Path.write_bytes, data=png))
        out[name] = png
    return out


def reproduce_command(run_dir: Path) -> str:
    """The shell command that reruns this run (paths quoted: spaces, ``;`` are safe)."""
    from shlex import quote

    folder = run_dir.resolve() / ".hydra" if (run_dir / ".hydra").exists() else run_dir.resolve()
    return f"pilkadasim --config-path {quote(str(folder))} --config-name config"


def write_run_outputs(
    run_dir: Path,
    cfg: DictConfig,
    summary: Mapping[str, Any],
    incidents: pd.DataFrame,
    region: RegionData | None,
    run_lang: str | None = None,
    command: str | None = None,
) -> Path | None:
    """figures/*.png, report.html and slides.pptx of one run (as ``report.figures`` /
    ``report.html``). In a language other than ``run_lang`` (the run's own), the files go
    beside the originals: ``figures.en/``, ``report.en.html``, ``slides.en.pptx``. ``command``
    is the reproduce command shown in the report (default: rerun the saved ``run_dir``)."""
    from pilkadasim.report.html import run_report, write_report
    from pilkadasim.report.labels import t
    from pilkadasim.report.places import slowest_places, with_desa

    lang = str(cfg.report.lang)
    run_lang = run_lang or lang
    pngs: dict[str, bytes] = {}
    figs: dict[str, Any] = {}
    if cfg.report.figures:
        figs = run_figures(
            incidents,
            region,
            int(summary["replications"]),
            [float(x) for x in cfg.report.targets_min],
            lang,
            t("this_run", lang),
            float(cfg.timeline.get("end_at", 2160)),
        )
        folder = "figures" if lang == run_lang else f"figures.{lang}"
        pngs = save_figures(figs, run_dir / folder)
    if not cfg.report.html:
        return None
    places = slowest_places(with_desa(incidents, region.tps)) if region is not None else None
    text = run_report(summary, cfg, pngs, lang, command or reproduce_command(run_dir), places)
    report = write_report(run_dir / output_name("report", lang, run_lang, "html"), text)
    from pilkadasim.report.slides import run_slides

    run_slides(
        run_dir / output_name("slides", lang, run_lang, "pptx"),
        summary,
        cfg,
        incidents,
        pngs,
        places,
    )
    return report


def load_run(run_dir: Path) -> tuple[DictConfig, dict[str, Any], pd.DataFrame]:
    cfg_path = run_dir / ".hydra" / "config.yaml"
    if not cfg_path.exists():
        cfg_path = run_dir / "config.yaml"
    if not (cfg_path.exists() and (run_dir / "summary.json").exists()):
        from pilkadasim.errors import InputError

        raise InputError(
            f"{run_dir}: not a run directory (needs summary.json, "
            "incidents.parquet and .hydra/config.yaml)"
        )
    cfg = OmegaConf.load(cfg_path)
    assert isinstance(cfg, DictConfig)
    summary = json.loads((run_dir / "summary.json").read_text())
    incidents = pd.read_parquet(run_dir / "incidents.parquet")
    return cfg, summary, incidents


def region_of(cfg: DictConfig) -> RegionData:
    from pilkadasim.config.builders import load_region_data

    return load_region_data(cfg)


def rebuild_run(run_dir: Path, lang: str | None = None) -> Path | None:
    """Figures and report of a saved run, without simulating."""
    cfg, summary, incidents = load_run(run_dir)
    run_lang = str(cfg.report.lang)
    if lang:
        cfg.report.lang = lang
    cfg.report.figures = True
    cfg.report.html = True
    return write_run_outputs(run_dir, cfg, summary, incidents, region_of(cfg), run_lang)
