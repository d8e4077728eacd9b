"""One replication's drawn day: the stage windows of every site (drawn in
:mod:`pilkadasim.core.timeline`; the operation's extra stages come from
:mod:`pilkadasim.core.operation`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pilkadasim.core.scenario import FloatArray


@dataclass(frozen=True)
class DayTimeline:
    """Stage windows per site: ``windows[site, stage] = (start_at, end_at)``; a stage with
    ``end_at <= start_at`` does not happen at that site."""

    windows: FloatArray  # shape (n_sites, len(STAGES), 2)
    count_end_at: FloatArray  # per TPS (NaN in steady mode)
    ppk_arrival_at: FloatArray  # per TPS: ballot box at the PPK (NaN in steady mode)
    raining: bool

    def stage_at(self, site: int, t: float) -> int:
        """The stage of ``site`` at time ``t`` (-1 if none)."""
        w = self.windows[site]
        active = np.flatnonzero((w[:, 0] <= t) & (t < w[:, 1]))
        return int(active[0]) if len(active) else -1
