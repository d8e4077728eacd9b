"""``fixed_preference``: a fixed order of units per site, as in Larson's hypercube model.

Each site has a preference list (by default: every unit ranked by travel time from its home
base, computed once); the first free capable unit on the list goes, wherever it is at the
moment. Unlike ``nearest`` the order never adapts to where units actually are.
"""

from __future__ import annotations

import numpy as np

from pilkadasim.core.dispatch.base import Call
from pilkadasim.core.scenario import FloatArray, Scenario
from pilkadasim.core.units import Fleet


class FixedPreference:
    def __init__(self, scenario: Scenario) -> None:
        given = scenario.dispatch.preference
        if given:
            self.preference = [np.asarray(p, dtype=np.int64) for p in given]
        else:
            homes = np.array([u.base for u in scenario.units], dtype=np.int64)
            speed = np.array([u.speed_factor for u in scenario.units])
            static = scenario.travel.minutes[homes, :] * speed[:, None]  # (units, sites)
            tier = np.array([u.tier for u in scenario.units])
            self.preference = [
                np.lexsort((np.arange(len(homes)), static[:, s], tier))
                for s in range(static.shape[1])
            ]

    def choose(self, fleet: Fleet, call: Call, n: int, eta: FloatArray) -> list[int]:
        ok = np.isfinite(eta) & fleet.capable(call.severity)
        pref = self.preference[call.site]
        chosen: list[int] = pref[ok[pref]][:n].tolist()
        return chosen

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        return bool(fleet.capable(call.severity)[unit])
