"""The staging-plan map: teams by base (optimised plan), arrows from the current plan."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd
from matplotlib.figure import Figure

LABELS = {
    "id": {
        "title": "Rencana penempatan tim cadangan",
        "tps": "TPS",
        "base": "markas / pos (kandidat)",
        "teams": "tim (rencana terbaik)",
        "move": "dipindah dari rencana sekarang",
        "lon": "Bujur",
        "lat": "Lintang",
    },
    "en": {
        "title": "Staging plan of the reserve teams",
        "tps": "TPS",
        "base": "base / post (candidate)",
        "teams": "teams (best plan)",
        "move": "moved from the current plan",
        "lon": "Longitude",
        "lat": "Latitude",
    },
}


def plan_map(
    tps: pd.DataFrame,
    bases: pd.DataFrame,
    current: list[tuple[str, str]],
    best: list[tuple[str, str]],
    outlines: dict[str, Any] | None = None,
    lang: str = "id",
) -> Figure:
    """``tps`` (lat, lon), ``bases`` (base_id, lat, lon); plans as (unit_id, base_id) rows."""
    lab = LABELS[lang]
    fig = Figure(figsize=(10.5, 9.0), layout="constrained")
    ax = fig.subplots()
    for kec in (outlines or {}).get("kecamatan", []):
        for ring in kec["rings"]:
            xs, ys = zip(*ring, strict=True)
            ax.plot(xs, ys, color="#999999", lw=0.6)
    ax.scatter(tps["lon"], tps["lat"], s=6, color="#bbbbbb", label=lab["tps"])
    pos = bases.set_index("base_id")[["lon", "lat"]]
    ax.scatter(
        pos["lon"],
        pos["lat"],
        marker="^",
        s=50,
        facecolors="none",
        edgecolors="#1f3b73",
        label=lab["base"],
    )
    was = dict(current)
    moved = [(was[u], b) for u, b in best if u in was and was[u] != b]
    for a, b in sorted(set(moved)):
        ax.annotate(
            "",
            xy=(pos.at[b, "lon"], pos.at[b, "lat"]),
            xytext=(pos.at[a, "lon"], pos.at[a, "lat"]),
            arrowprops={"arrowstyle": "->", "color": "#d95f02", "lw": 1.6},
        )
    if moved:
        ax.plot([], [], color="#d95f02", lw=1.6, label=lab["move"])
    count = Counter(b for _, b in best)
    ax.scatter(
        [pos.at[b, "lon"] for b in count],
        [pos.at[b, "lat"] for b in count],
        s=[160 + 110 * n for n in count.values()],
        color="#1b9e77",
        edgecolors="black",
        zorder=5,
        label=lab["teams"],
    )
    for b, n in count.items():
        ax.annotate(
            f"{n}",
            (pos.at[b, "lon"], pos.at[b, "lat"]),
            ha="center",
            va="center",
            color="white",
            fontweight="bold",
            zorder=6,
        )
        ax.annotate(
            b,
            (pos.at[b, "lon"], pos.at[b, "lat"]),
            xytext=(9, 7),
            textcoords="offset points",
            fontsize=8,
            zorder=6,
        )
    ax.set_aspect("equal")
    ax.set_xlabel(lab["lon"])
    ax.set_ylabel(lab["lat"])
    ax.set_title(lab["title"])
    ax.legend(loc="lower left", fontsize=10)
    return fig
