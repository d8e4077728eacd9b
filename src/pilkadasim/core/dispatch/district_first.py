"""``district_first`` ("rayonisasi"): the incident's own Polsek area first.

Units based in the kecamatan of the incident go before units from elsewhere, nearest first
among them; only when none of them is free does the nearest unit from another kecamatan go
(FACTS §2: "shift personnel from other Polseks if a Polsek cannot cope"). Police still come
before the TNI second tier.
"""

from __future__ import annotations

import numpy as np

from pilkadasim.core.dispatch.base import Call
from pilkadasim.core.scenario import FloatArray, Scenario
from pilkadasim.core.units import Fleet


class DistrictFirst:
    def __init__(self, scenario: Scenario) -> None:
        bases = scenario.region.bases
        self.unit_kecamatan = np.array(
            [bases.kecamatan[u.base] for u in scenario.units], dtype=np.int64
        )
        self.site_kecamatan = scenario.region.sites.kecamatan

    def choose(self, fleet: Fleet, call: Call, n: int, eta: FloatArray) -> list[int]:
        cand = np.flatnonzero(np.isfinite(eta) & fleet.capable(call.severity))
        foreign = self.unit_kecamatan[cand] != self.site_kecamatan[call.site]
        order = np.lexsort((cand, eta[cand], foreign, fleet.tier[cand]))
        chosen: list[int] = cand[order][:n].tolist()
        return chosen

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        return bool(fleet.capable(call.severity)[unit])
