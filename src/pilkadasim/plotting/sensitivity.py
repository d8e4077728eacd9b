"""The tornado figure of ``experiment=sensitivity``: DataFrame → matplotlib Figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

TITLE = {
    "id": "Asumsi yang paling menggeser {m}\n(selisih berpasangan thd. skenario dasar, SK 95 %)",
    "en": "Assumptions that move the {m} most\n(paired change against the baseline, 95 % CI)",
}
XLABEL = {
    "id": "Perubahan terhadap skenario dasar (menit)",
    "en": "Change against the baseline scenario (minutes)",
}
LEGEND = {"id": ("rendah", "tinggi"), "en": ("low", "high")}


def tornado(rows: pd.DataFrame, metric_label: str, lang: str = "id") -> Figure:
    """Horizontal bars: the paired change of the decision metric when each assumption is set
    low (blue) or high (orange), with 95 % interval whiskers; largest swing on top."""
    fig = Figure(figsize=(10.0, 1.0 + 0.55 * max(len(rows), 1)), dpi=110)
    ax = fig.subplots()
    y = np.arange(len(rows))[::-1]
    for side, colour, dy in (("low", "#1f77b4", 0.18), ("high", "#ff7f0e", -0.18)):
        val = pd.to_numeric(rows[side], errors="coerce").to_numpy(dtype=float)
        lo = pd.to_numeric(rows[f"{side}.lo"], errors="coerce").to_numpy(dtype=float)
        hi = pd.to_numeric(rows[f"{side}.hi"], errors="coerce").to_numpy(dtype=float)
        err = np.vstack([np.clip(val - lo, 0, None), np.clip(hi - val, 0, None)])
        label = LEGEND[lang][0 if side == "low" else 1]
        ax.barh(y + dy, np.nan_to_num(val), height=0.34, color=colour, label=label)
        ax.errorbar(val, y + dy, xerr=np.nan_to_num(err), fmt="none", ecolor="black", lw=1)
    ax.axvline(0, color="black", lw=1)
    ax.set_yticks(y, [str(a) for a in rows["assumption"]])
    ax.set_xlabel(XLABEL[lang])
    ax.set_title(TITLE[lang].format(m=metric_label))
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
