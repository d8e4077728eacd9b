"""``nearest``: the quickest available capable unit (the default).

Police units come before the second tier (TNI); among them the one with the smallest
estimated time of arrival (mobilisation + driving) goes, ties broken by unit order.
"""

from __future__ import annotations

import numpy as np

from pilkadasim.core.dispatch.base import Call
from pilkadasim.core.scenario import FloatArray, Scenario
from pilkadasim.core.units import Fleet


def rank_by_tier_then_eta(fleet: Fleet, candidates: np.ndarray, eta: FloatArray) -> list[int]:
    """``candidates`` (unit indices) ordered by tier, then ETA, then index."""
    order = np.lexsort((candidates, eta[candidates], fleet.tier[candidates]))
    ranked: list[int] = candidates[order].tolist()
    return ranked


class Nearest:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def choose(self, fleet: Fleet, call: Call, n: int, eta: FloatArray) -> list[int]:
        candidates = np.flatnonzero(np.isfinite(eta) & fleet.capable(call.severity))
        return rank_by_tier_then_eta(fleet, candidates, eta)[:n]

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        return bool(fleet.capable(call.severity)[unit])
