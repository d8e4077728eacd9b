"""``nearest``: the quickest available unit (the default).

Police units come before the second tier (TNI); among them the one with the smallest
estimated time of arrival (mobilisation + driving) goes, ties broken by unit order.
"""

from __future__ import annotations

from pilkadasim.core.dispatch.base import Call, candidates, rank_by_tier_then_eta
from pilkadasim.core.scenario import Scenario
from pilkadasim.core.units import INF, Fleet


class Nearest:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def choose(
        self, fleet: Fleet, call: Call, n: int, eta: list[float], allowed: list[bool]
    ) -> list[int]:
        if n == 1:  # the common case: one pass, no lists, no tuples
            best, best_tier, best_eta = -1, 2, INF
            tier = fleet.tier
            for u, e in enumerate(eta):
                if e != INF and allowed[u]:
                    t = tier[u]
                    if t < best_tier or (t == best_tier and e < best_eta):
                        best, best_tier, best_eta = u, t, e
            return [best] if best >= 0 else []
        return rank_by_tier_then_eta(fleet, candidates(eta, allowed), eta)[:n]

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        return True
