"""Figures for the rakor: DataFrame in, matplotlib Figure out (never shown, never saved here).

Built for a projector: large fonts, units on every axis, and a title that states the finding
rather than the chart type. Labels follow ``lang`` (``id`` default, ``en``). Figures are created
with :class:`matplotlib.figure.Figure` directly, so no global pyplot state is touched.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure

from pilkadasim.core.records import BY_UNIT
from pilkadasim.report.labels import t

STYLE: dict[Any, Any] = {  # rcParams keys (typed as Literal names by matplotlib)
    "font.size": 14,
    "axes.titlesize": 16,
    "axes.labelsize": 14,
    "legend.fontsize": 12,
    "xtick.labelsize": 12,
    "ytick.labelsize": 12,
}
STAGE_COLORS = {
    "preparation": "#9ecae1",
    "voting": "#6baed6",
    "counting": "#fd8d3c",
    "transport": "#e6550d",
    "recap": "#756bb1",
    "steady": "#969696",
}
TARGET_COLORS = ("#2ca02c", "#d62728", "#9467bd")
CATEGORIES = ("kurang_rawan", "rawan", "sangat_rawan", "khusus", "ppk")


def _figure(width: float = 11.0, height: float = 6.2) -> Figure:
    import matplotlib as mpl

    cast(Any, mpl.rcParams).update(STYLE)
    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def _target_lines(ax: Any, targets: Sequence[float], lang: str, vertical: bool = True) -> None:
    for target, color in zip(targets, TARGET_COLORS, strict=False):
        label = t("target_line", lang, t=f"{target:g}")
        if vertical:
            ax.axvline(target, color=color, ls="--", lw=2, label=label)
        else:
            ax.axhline(target, color=color, ls="--", lw=2, label=label)


def response_ecdf(
    points: Mapping[str, pd.DataFrame],
    targets: Sequence[float],
    lang: str = "id",
    max_minutes: float | None = None,
    best: bool = True,
) -> Figure:
    """Share of incidents reached within x minutes, one curve per design point. The title names
    the best point; ``best=False`` (cases that are not options, e.g. a sensitivity study) says
    only what is drawn."""
    fig = _figure()
    ax = fig.subplots()
    best_label, best_share = None, -1.0
    big = max(targets)
    import matplotlib as mpl

    many = len(points) > 6  # tab10 would repeat colours: use an ordered colour ramp
    colors = (
        mpl.colormaps["viridis"](np.linspace(0, 0.9, len(points))) if many else [None] * len(points)
    )
    for (label, inc), color in zip(points.items(), colors, strict=True):
        r = np.sort(inc["response_min"].dropna().to_numpy())
        n_all = max(len(inc), 1)
        if r.size:
            ax.step(
                r, np.arange(1, r.size + 1) / n_all, where="post", lw=2.2, label=label, color=color
            )
        share = float((r <= big).sum() / n_all)
        if share > best_share:
            best_label, best_share = label, share
    _target_lines(ax, targets, lang)
    upper = max_minutes or max(2.5 * big, 60.0)
    ax.set_xlim(0, upper)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(t("ax_response", lang))
    ax.set_ylabel(t("ax_share_reached", lang))
    ax.yaxis.set_major_formatter(lambda v, _pos: f"{100 * v:.0f}%")
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    if len(points) == 1:
        title = t("ecdf_title_one", lang, p=f"{100 * best_share:.0f}", t=f"{big:g}")
    elif not best:
        title = t("ecdf_title_cases", lang)
    else:
        title = t(
            "ecdf_title_many", lang, best=best_label, p=f"{100 * best_share:.0f}", t=f"{big:g}"
        )
    ax.set_title(title)
    return fig


def staffing_curve(
    sweep: pd.DataFrame,
    factor: str,
    target_min: float,
    goal: float,
    lang: str = "id",
    metric: str = "response_min",
    recommended: float | None = None,
) -> Figure:
    """p90 response and share within target against a staffing factor, with 95% CI bands."""
    fig = _figure(11.0, 8.0)
    top, bottom = fig.subplots(2, 1, sharex=True)
    d = sweep.sort_values(factor)
    x = d[factor].to_numpy(dtype=float)
    p90 = d[f"{metric}.p90"].to_numpy(dtype=float)
    top.plot(x, p90, "o-", lw=2.5, color="#1f77b4", label="p90")
    top.fill_between(
        x,
        d[f"{metric}.p90.lo"],
        d[f"{metric}.p90.hi"],
        alpha=0.25,
        color="#1f77b4",
        label=t("ci95", lang),
    )
    _target_lines(top, [target_min], lang, vertical=False)
    _mark_over_budget(top, d, x, p90, lang)
    top.set_ylabel(t("ax_p90", lang))
    top.grid(alpha=0.3)
    top.legend(loc="upper right")
    within = metric.replace("response_min", "within_target")
    key = f"{within}.{target_min:g}"
    bottom.plot(x, 100 * d[key], "s-", lw=2.5, color="#2ca02c")
    _mark_over_budget(bottom, d, x, 100 * d[key].to_numpy(dtype=float), lang)
    bottom.fill_between(x, 100 * d[f"{key}.lo"], 100 * d[f"{key}.hi"], alpha=0.25, color="#2ca02c")
    bottom.axhline(
        100 * goal,
        color="#d62728",
        ls="--",
        lw=2,
        label=t("goal_line", lang, p=f"{100 * goal:.0f}"),
    )
    bottom.set_ylabel(t("ax_within", lang, t=f"{target_min:g}"))
    bottom.set_xlabel(t(f"factor:{factor}", lang))
    bottom.set_xticks(x, [f"{v:g}" for v in x])
    bottom.grid(alpha=0.3)
    bottom.legend(loc="lower right")
    for ax in (top, bottom):
        if recommended is not None:
            ax.axvline(recommended, color="black", lw=1.5, alpha=0.6)
    if recommended is not None:
        title = t("curve_title_yes", lang, n=f"{recommended:g}", t=f"{target_min:g}")
    else:
        title = t("curve_title_no", lang, t=f"{target_min:g}")
    fig.suptitle(title, fontsize=16)
    return fig


def _mark_over_budget(ax: Any, d: pd.DataFrame, x: np.ndarray, y: np.ndarray, lang: str) -> None:
    """Grey hatched markers on the design points whose personnel exceed the total (column
    ``staffing.over_budget`` > 0), labelled in the legend: they need BKO reinforcement."""
    if "staffing.over_budget" not in d:
        return
    over = pd.to_numeric(d["staffing.over_budget"], errors="coerce").fillna(0).to_numpy() > 0
    if not over.any():
        return
    ax.scatter(
        x[over],
        y[over],
        s=260,
        facecolors="#d9d9d9",
        edgecolors="#525252",
        hatch="///",
        linewidths=1.2,
        zorder=5,
        label=t("over_budget", lang),
    )


def region_map(
    tps: pd.DataFrame,
    outlines: Mapping[str, Any] | None,
    bases: pd.DataFrame,
    value: str = "p90",
    lang: str = "id",
    vmax: float | None = None,
) -> Figure:
    """TPS coloured by response (``tps`` has lat, lon and ``value``), kecamatan outlines,
    bases. Grey dots: TPS without incidents in the simulated days."""
    fig = _figure(10.5, 9.0)
    ax = fig.subplots()
    if outlines:
        for desa in outlines.get("desa", []):
            for ring in desa["rings"]:
                xy = np.asarray(ring)
                ax.plot(xy[:, 0], xy[:, 1], color="#cccccc", lw=0.5)
        for kec in outlines.get("kecamatan", []):
            for ring in kec["rings"]:
                xy = np.asarray(ring)
                ax.plot(xy[:, 0], xy[:, 1], color="#555555", lw=1.3)
            if kec["rings"]:
                big = max(kec["rings"], key=len)
                cx, cy = np.asarray(big).mean(axis=0)
                ax.text(cx, cy, kec["name"], fontsize=11, ha="center", alpha=0.7, fontweight="bold")
    has = tps[value].notna()
    ax.scatter(
        tps.loc[~has, "lon"],
        tps.loc[~has, "lat"],
        s=10,
        color="#bbbbbb",
        label=t("map_no_incident", lang),
    )
    top = vmax or float(np.nanpercentile(tps[value], 95)) if has.any() else 60.0
    sc = ax.scatter(
        tps.loc[has, "lon"],
        tps.loc[has, "lat"],
        c=tps.loc[has, value],
        s=28,
        cmap="RdYlGn_r",
        norm=Normalize(0, max(top, 1.0)),
        edgecolors="black",
        linewidths=0.3,
    )
    fig.colorbar(sc, ax=ax, shrink=0.7, label=t("map_colour", lang, v=value))
    markers = {
        "polres": ("*", 320),
        "polsek": ("^", 120),
        "pos": ("D", 80),
        "kodim": ("s", 100),
        "koramil": ("s", 70),
    }
    for kind, grp in bases.groupby("kind"):
        marker, size = markers.get(str(kind), ("o", 80))
        ax.scatter(
            grp["lon"],
            grp["lat"],
            marker=marker,
            s=size,
            color="#1f3b73",
            edgecolors="white",
            linewidths=1,
            label=t(f"base:{kind}", lang),
            zorder=5,
        )
    ax.set_aspect("equal")
    ax.set_xlabel(t("ax_lon", lang))
    ax.set_ylabel(t("ax_lat", lang))
    ax.legend(loc="lower left", fontsize=11)
    slow = tps.loc[has].sort_values(value, ascending=False).head(1)
    worst = slow["kecamatan"].iloc[0] if len(slow) and "kecamatan" in slow else "–"
    ax.set_title(t("map_title", lang, v=value, k=worst))
    return fig


def hourly_profile(incidents: pd.DataFrame, n_reps: int, lang: str = "id") -> Figure:
    """Incidents per hour by stage (stacked bars) and reserve units busy (line)."""
    fig = _figure()
    ax = fig.subplots()
    hours = np.arange(0, 37)
    # election day only (00:00 to 12:00 next day): timeline=operation's other days are left out
    day = incidents[(incidents["occurred_at"] >= 0) & (incidents["occurred_at"] < 37 * 60)]
    hour = (day["occurred_at"] // 60).astype(int)
    bottom = np.zeros(len(hours))
    for stage, color in STAGE_COLORS.items():
        counts = np.bincount(hour[day["stage"] == stage], minlength=len(hours))
        per_day = counts[: len(hours)] / max(n_reps, 1)
        if per_day.sum() > 0:
            ax.bar(
                hours + 0.5, per_day, width=0.9, bottom=bottom, color=color, label=t(stage, lang)
            )
            bottom += per_day
    ax.set_ylim(0, max(float(bottom.max()) * 1.15, 0.1))
    ax.set_xlabel(t("ax_hour", lang))
    ax.set_ylabel(t("ax_incidents_hour", lang))
    ax.set_xlim(5, 30)
    ax.set_xticks(range(6, 31, 2), [f"{h % 24:02d}:00" for h in range(6, 31, 2)], rotation=45)
    ax.grid(alpha=0.3, axis="y")
    busy = units_busy_by_hour(incidents, n_reps, hours)
    ax2 = ax.twinx()
    ax2.plot(hours + 0.5, busy, color="black", lw=2.2, label=t("busy_units", lang))
    ax2.set_ylabel(t("busy_units", lang))
    ax2.set_ylim(0, max(1.0, float(busy.max()) * 1.3))
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper right", fontsize=11)
    peak = int(np.argmax(bottom)) if bottom.any() else 0
    ax.set_title(t("hourly_title", lang, h=f"{peak % 24:02d}:00"))
    return fig


def units_busy_by_hour(incidents: pd.DataFrame, n_reps: int, hours: np.ndarray) -> np.ndarray:
    """Mean reserve units committed in each hour (from dispatch to clearance × units sent)."""
    d = incidents[incidents["handled_by"].isin(BY_UNIT) & incidents["cleared_at"].notna()]
    start, end = d["dispatched_at"].to_numpy(), d["cleared_at"].to_numpy()
    weight = d["units_sent"].to_numpy(dtype=float)
    lo, hi = hours * 60.0, (hours + 1) * 60.0
    overlap = np.clip(
        np.minimum(end[:, None], hi[None, :]) - np.maximum(start[:, None], lo[None, :]), 0, None
    )
    busy: np.ndarray = (overlap * weight[:, None]).sum(axis=0) / 60.0 / max(n_reps, 1)
    return busy


def category_heatmap(incidents: pd.DataFrame, lang: str = "id") -> Figure:
    """p90 response per kecamatan × TPS category (number of incidents in small print)."""
    fig = _figure(11.0, 6.8)
    ax = fig.subplots()
    kec = list(dict.fromkeys(incidents["kecamatan"].astype(str)))
    cats = [c for c in CATEGORIES if (incidents["category"] == c).any()]
    grid = np.full((len(kec), len(cats)), np.nan)
    counts = np.zeros_like(grid)
    for (k, c), grp in incidents.groupby(
        [incidents["kecamatan"].astype(str), incidents["category"].astype(str)]
    ):
        if c in cats:
            r = grp["response_min"].dropna()
            i, j = kec.index(k), cats.index(c)
            counts[i, j] = len(grp)
            grid[i, j] = np.quantile(r, 0.9) if len(r) else np.nan
    im = ax.imshow(
        grid,
        cmap="RdYlGn_r",
        aspect="auto",
        norm=Normalize(0, max(float(np.nanmax(grid)) if np.isfinite(grid).any() else 1.0, 1.0)),
    )
    for i in range(len(kec)):
        for j in range(len(cats)):
            if np.isfinite(grid[i, j]):
                ax.text(
                    j,
                    i,
                    f"{grid[i, j]:.0f}\n(n={counts[i, j]:.0f})",
                    ha="center",
                    va="center",
                    fontsize=11,
                )
    ax.set_xticks(range(len(cats)), [t(c, lang) for c in cats])
    ax.set_yticks(range(len(kec)), kec)
    fig.colorbar(im, ax=ax, label=t("ax_p90", lang))
    if np.isfinite(grid).any():
        i, j = (int(x) for x in np.unravel_index(np.nanargmax(grid), grid.shape))
        title = t("heat_title", lang, k=kec[i], c=t(cats[j], lang), v=f"{grid[i, j]:.0f}")
    else:
        title = t("ax_p90", lang)
    ax.set_title(title)
    return fig
