"""When is the reserve stretched, and where is it slow: the peak-demand figure and the
kecamatan map of reserve response (DataFrame in, matplotlib Figure out)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize

from pilkadasim.analysis.metrics import reserve_needed
from pilkadasim.plotting.figures import _figure
from pilkadasim.report.labels import t
from pilkadasim.report.places import MIN_INCIDENTS, area_table

HOURS = np.arange(0, 37)  # election day 00:00 to 12:00 next day


def hourly_load(
    start: np.ndarray, end: np.ndarray, rep: np.ndarray, weight: np.ndarray, n_reps: int
) -> np.ndarray:
    """(n_reps × hours): time-average number of intervals [start, end) open in each hour of
    each simulated day, each counted ``weight`` times."""
    lo, hi = HOURS * 60.0, (HOURS + 1) * 60.0
    overlap = np.clip(np.minimum(end[:, None], hi) - np.maximum(start[:, None], lo), 0, None)
    out = np.zeros((n_reps, HOURS.size))
    np.add.at(out, rep, overlap * weight[:, None] / 60.0)
    return out


def peak_demand_table(incidents: pd.DataFrame, n_reps: int, horizon: float) -> pd.DataFrame:
    """Per hour: open incidents needing the reserve (report → clearance; never cleared: open
    to the horizon) and reserve units busy (dispatch → clearance × units sent), as the mean
    over simulated days and the 90th percentile across days."""
    d = incidents[reserve_needed(incidents)]
    rep = d["replication"].to_numpy(dtype=int)
    cleared = d["cleared_at"].fillna(horizon).to_numpy(dtype=float)
    open_ = hourly_load(d["reported_at"].to_numpy(float), cleared, rep, np.ones(len(d)), n_reps)
    sent = d["dispatched_at"].notna().to_numpy()
    busy = hourly_load(
        d["dispatched_at"].to_numpy(float)[sent],
        cleared[sent],
        rep[sent],
        d["units_sent"].to_numpy(float)[sent],
        n_reps,
    )
    return pd.DataFrame(
        {
            "hour": HOURS,
            "open_mean": open_.mean(axis=0),
            "open_p90": np.quantile(open_, 0.9, axis=0),
            "busy_mean": busy.mean(axis=0),
            "busy_p90": np.quantile(busy, 0.9, axis=0),
        }
    )


def peak_demand(incidents: pd.DataFrame, n_reps: int, horizon: float, lang: str = "id") -> Any:
    """Open reserve incidents and busy reserve units by hour: mean day and busy day."""
    tab = peak_demand_table(incidents, n_reps, horizon)
    fig = _figure(11.0, 5.4)
    ax = fig.subplots()
    x = tab["hour"] + 0.5
    for column, colour, what in (
        ("busy", "#1f3b73", "busy_units_short"),
        ("open", "#e6550d", "open_reserve"),
    ):
        for stat, width, style, days in (
            ("mean", 2.5, "-", "mean_days"),
            ("p90", 1.8, "--", "p90_days"),
        ):
            label = f"{t(what, lang)}, {t(days, lang)}"
            ax.plot(x, tab[f"{column}_{stat}"], color=colour, lw=width, ls=style, label=label)
    sep = "." if lang == "id" else ":"
    ax.set_xlim(5, 31)
    ax.set_xticks(range(6, 31, 2), [f"{h % 24:02d}{sep}00" for h in range(6, 31, 2)], rotation=45)
    ax.set_xlabel(t("ax_hour", lang) + " (WIB)")
    ax.set_ylabel(t("ax_count", lang))
    top = float(max(tab["busy_p90"].max(), tab["open_p90"].max(), 1.0))
    ax.set_ylim(0, top * 1.1)
    ax.grid(alpha=0.3)
    fig.legend(loc="outside lower center", ncols=2, fontsize=11, frameon=False)
    peak = int(tab["busy_mean"].idxmax())
    num = (lambda v: f"{v:.1f}".replace(".", ",")) if lang == "id" else (lambda v: f"{v:.1f}")
    ax.set_title(
        t(
            "peak_title",
            lang,
            h=f"{peak % 24:02d}{sep}00",
            m=num(tab["busy_mean"].iloc[peak]),
            p=num(tab["busy_p90"].iloc[peak]),
        ),
        fontsize=14,
    )
    return fig


def kecamatan_map(
    incidents: pd.DataFrame,
    outlines: Mapping[str, Any] | None,
    bases: pd.DataFrame,
    lang: str = "id",
    scenario: str | None = None,
) -> Any:
    """Kecamatan coloured by the p90 response of incidents needing the reserve (grey: fewer
    than MIN_INCIDENTS such incidents), desa boundaries thin, labels with p90 and n."""
    fig = _figure(8.6, 8.6)
    ax = fig.subplots()
    tab = area_table(incidents[incidents["category"] != "ppk"], ["kecamatan"]).set_index(
        "kecamatan"
    )
    finite = tab["p90"].replace(np.inf, np.nan).dropna()
    norm = Normalize(0, max(float(finite.max()) if len(finite) else 60.0, 30.0))
    import matplotlib as mpl

    cmap = mpl.colormaps["RdYlGn_r"]
    from matplotlib.patches import Polygon

    for desa in (outlines or {}).get("desa", []):
        for ring in desa["rings"]:
            xy = np.asarray(ring)
            ax.plot(xy[:, 0], xy[:, 1], color="#888888", lw=0.4, zorder=2)
    for kec in (outlines or {}).get("kecamatan", []):
        row = tab.loc[kec["name"]] if kec["name"] in tab.index else None
        v = None if row is None else row["p90"]
        color = "#dddddd" if v is None or np.isnan(v) else cmap(norm(min(v, norm.vmax)))
        for ring in kec["rings"]:
            ax.add_patch(
                Polygon(np.asarray(ring), closed=True, fc=color, ec="#333333", lw=1.2, zorder=1)
            )
        if kec["rings"]:
            big = np.asarray(max(kec["rings"], key=len))
            cx, cy = big.mean(axis=0)
            n = 0 if row is None else int(row["n"])
            if v is None or np.isnan(v):
                value = f"n={n}"
            elif np.isinf(v):
                value = f"{t('not_reached', lang)} (n={n})"
            else:
                value = f"{v:.0f} {t('unit_min', lang)} (n={n})"
            ax.text(
                cx,
                cy,
                f"{kec['name']}\n{value}",
                fontsize=9.5,
                ha="center",
                va="center",
                zorder=6,
                bbox={"fc": "white", "ec": "none", "alpha": 0.7, "pad": 1.0},
            )
    from matplotlib.patches import Patch

    grey = Patch(fc="#dddddd", ec="#333333", label=f"{t('too_few', lang)} (n < {MIN_INCIDENTS})")
    for kind, grp in bases[bases["kind"].isin(["polres", "polsek"])].groupby("kind"):
        ax.scatter(
            grp["lon"],
            grp["lat"],
            marker="*" if kind == "polres" else "^",
            s=260 if kind == "polres" else 90,
            color="#1f3b73",
            edgecolors="white",
            zorder=5,
            label=t(f"base:{kind}", lang),
        )
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_xlabel(t("ax_lon", lang))
    ax.set_ylabel(t("ax_lat", lang))
    sm = mpl.cm.ScalarMappable(norm=norm, cmap=cmap)
    fig.colorbar(sm, ax=ax, shrink=0.6, label=t("ax_p90", lang))
    handles = [*ax.get_legend_handles_labels()[0], grey]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=11, frameon=False)
    if len(finite):
        title = t("kecmap_title", lang, k=finite.idxmax(), v=f"{finite.max():.0f}")
    else:  # no kecamatan has enough incidents for a p90
        title = t("ax_p90", lang) + f" — {t('too_few', lang)}"
    ax.set_title(
        title + (f"\n{t('map_shows', lang, name=scenario)}" if scenario else ""), fontsize=14
    )
    return fig
