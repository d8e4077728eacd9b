"""``district_first`` ("rayonisasi"): the incident's own Polsek area first.

Units based in the kecamatan of the incident go before units from elsewhere, nearest first
among them; only when none of them is free does the nearest unit from another kecamatan go
(sources §2: "shift personnel from other Polseks if a Polsek cannot cope"). Police still come
before the TNI second tier.
"""

from __future__ import annotations

from pilkadasim.core.dispatch.base import Call, candidates
from pilkadasim.core.scenario import Scenario
from pilkadasim.core.units import Fleet


class DistrictFirst:
    def __init__(self, scenario: Scenario) -> None:
        bases = scenario.region.bases
        self.unit_kecamatan = [int(bases.kecamatan[u.base]) for u in scenario.units]
        self.site_kecamatan = scenario.region.sites.kecamatan.tolist()

    def choose(
        self, fleet: Fleet, call: Call, n: int, eta: list[float], allowed: list[bool]
    ) -> list[int]:
        home = self.site_kecamatan[call.site]
        tier, kec = fleet.tier, self.unit_kecamatan
        cand = candidates(eta, allowed)
        return sorted(cand, key=lambda u: (tier[u], kec[u] != home, eta[u], u))[:n]

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        return True
