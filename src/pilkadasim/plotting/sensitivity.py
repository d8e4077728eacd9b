"""The tornado figure of ``experiment=sensitivity``: DataFrame → matplotlib Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

TITLE = {
    "id": "Asumsi yang paling menggeser {m}\n(selisih berpasangan thd. skenario dasar, "
    "rentang keyakinan 95 %)",
    "en": "Assumptions that move the {m} most\n(paired change against the baseline, 95 % CI)",
}
XLABEL = {
    "id": "Perubahan terhadap skenario dasar (menit)",
    "en": "Change against the baseline scenario (minutes)",
}
LEGEND = {"id": ("rendah", "tinggi"), "en": ("low", "high")}
FADED = {
    "id": "pucat: tidak menggeser secara nyata (rentang keyakinan 95 % memuat 0)",
    "en": "faded: no significant change (95 % CI includes 0)",
}


def tornado(
    rows: pd.DataFrame,
    metric_label: str,
    lang: str = "id",
    names: dict[str, str] | None = None,
) -> Figure:
    """Horizontal bars: the paired change of the decision metric when each assumption is set
    low (blue) or high (orange), with 95 % interval whiskers, in the order of the rows (those
    that move the answer first, largest swing on top). Assumptions whose intervals all include
    0 (``moves`` false) are drawn faded. ``names`` maps an assumption to its label."""
    fig = Figure(figsize=(10.0, 1.0 + 0.55 * max(len(rows), 1)), dpi=110)
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    for side, colour, dy in (("low", "#1f77b4", 0.18), ("high", "#ff7f0e", -0.18)):
        val = pd.to_numeric(rows[side], errors="coerce").to_numpy(dtype=float)
        lo = pd.to_numeric(rows[f"{side}.lo"], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(rows[f"{side}.hi"], errors="coerce").to_numpy(dtype=float)
        err = np.vstack([np.clip(val - lo, 0, None), np.clip(hi - val, 0, None)])
        label = LEGEND[lang][0 if side == "low" else 1]
        moves = rows["moves"].to_numpy(dtype=bool) if "moves" in rows else np.ones(len(rows), bool)
        alpha = np.where(moves, 1.0, 0.35)
        bars = ax.barh(y + dy, np.nan_to_num(val), height=0.34, color=colour, label=label)
        for bar, a in zip(bars, alpha, strict=True):
            bar.set_alpha(float(a))
        for keep, a in ((moves, 1.0), (~moves, 0.35)):
            if keep.any():
                ax.errorbar(
                    val[keep],
                    (y + dy)[keep],
                    xerr=np.nan_to_num(err[:, keep]),
                    fmt="none",
                    ecolor="black",
                    lw=1,
                    alpha=a,
                )
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, [(names or {}).get(str(a), str(a)) for a in rows["assumption"]])
    faded = "moves" in rows and not rows["moves"].astype(bool).all()
    ax.set_xlabel(XLABEL[lang] + (f"\n{FADED[lang]}" if faded else ""))
    ax.set_title(TITLE[lang].format(m=metric_label), fontsize=11)
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
