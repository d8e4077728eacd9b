"""``reserve_cutoff``: hold the last ``k`` free units for serious incidents.

Sacks, Larson & Schaack's cut-off priority rule: an incident below ``cutoff_severity`` is
served only while more than ``reserve_k`` capable units are free; otherwise it waits in the
queue, so that a sudden severe incident still finds a unit at once. Among the units that may go,
the nearest goes (police before TNI).
"""

from __future__ import annotations

from pilkadasim.core.dispatch.base import Call, candidates, rank_by_tier_then_eta
from pilkadasim.core.scenario import Scenario
from pilkadasim.core.units import Fleet


class ReserveCutoff:
    def __init__(self, scenario: Scenario) -> None:
        # never hold back the whole fleet, or low-severity calls would wait for ever
        self.k = min(scenario.dispatch.reserve_k, max(len(scenario.units) - 1, 0))
        self.cutoff = scenario.dispatch.cutoff_severity

    def choose(
        self, fleet: Fleet, call: Call, n: int, eta: list[float], allowed: list[bool]
    ) -> list[int]:
        cand = candidates(eta, allowed)
        if call.severity < self.cutoff:
            n = min(n, max(0, len(cand) - self.k))
        return rank_by_tier_then_eta(fleet, cand, eta)[:n]

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        if call.severity >= self.cutoff:
            return True
        return fleet.n_available(call.severity) + 1 > self.k  # the freed unit counts as free
