"""``fixed_preference``: a fixed order of units per site, as in Larson's hypercube model.

Each site has a preference list (by default: every unit ranked by travel time from its home
base, computed once); the first free capable unit on the list goes, wherever it is at the
moment. Unlike ``nearest`` the order never adapts to where units actually are.
"""

from __future__ import annotations

from pilkadasim.core.dispatch.base import Call
from pilkadasim.core.scenario import Scenario
from pilkadasim.core.units import Fleet


class FixedPreference:
    def __init__(self, scenario: Scenario) -> None:
        given = scenario.dispatch.preference
        self.scenario = scenario
        self.given = [list(p) for p in given] if given else None
        self._cache: dict[int, list[int]] = {}

    def preference(self, site: int) -> list[int]:
        if self.given is not None:
            return self.given[site]
        pref = self._cache.get(site)
        if pref is None:
            units = self.scenario.units
            static = [self.scenario.travel.minutes[u.base, site] * u.speed_factor for u in units]
            pref = self._cache[site] = sorted(
                range(len(units)), key=lambda i: (units[i].tier, static[i], i)
            )
        return pref

    def choose(
        self, fleet: Fleet, call: Call, n: int, eta: list[float], allowed: list[bool]
    ) -> list[int]:
        inf = float("inf")
        return [u for u in self.preference(call.site) if allowed[u] and eta[u] != inf][:n]

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        return True
