"""TPS guards: police posted at polling stations by the guard pattern.

A pattern "2 police : 4 TPS" makes a guard group of four neighbouring TPS with two guards, each
posted at one of them; a guard who is not where the trouble is must walk or ride over. Guards
handle severity-1 incidents in their own group; when the count ends each guard escorts the
ballot boxes of the TPS assigned to them to the PPK and is away meanwhile (there and back).
Guards need no SimPy processes: incidents reach them in time order, so "free from" times are
all the state there is. The static plan (groups, posts, who escorts which box) is in
:class:`~pilkadasim.core.scenario.GuardSpec`; only the escort times change per replication.
"""

from __future__ import annotations

import math

from pilkadasim.core.scenario import Scenario
from pilkadasim.core.timeline import DayTimeline


class GuardPool:
    def __init__(self, scenario: Scenario, day: DayTimeline) -> None:
        spec = scenario.guards
        self.max_severity = spec.max_severity
        self.group_of_tps = spec.group_of_tps.tolist()
        self.post = spec.guard_post.tolist()
        self.members = spec.members
        self.escort_of_tps = spec.escort_of_tps
        self.tps_of_guard = spec.tps_of_guard
        self.free_at = [scenario.timeline.start_at] * spec.n_guards
        self.minutes = scenario.travel.minutes
        self.n_bases = len(scenario.region.bases)
        self.factor = scenario.travel.guard_factor
        if spec.n_guards:  # escort: end of count → PPK → back (the way back as long)
            self.escort_start = day.count_end_at.tolist()
            self.escort_end = (2 * day.ppk_arrival_at - day.count_end_at).tolist()

    def escorting(self, guard: int, t: float) -> bool:
        start, end = self.escort_start, self.escort_end
        return any(
            start[b] <= t < end[b] for b in self.tps_of_guard[guard] if not math.isnan(start[b])
        )

    def nearest_free(self, tps: int, now: float, factor: float) -> tuple[int, float] | None:
        """The free guard of ``tps``'s group who is quickest there, with the minutes it takes."""
        grp = self.group_of_tps[tps]
        best: tuple[int, float] | None = None
        if grp < 0:
            return None
        for g in self.members[grp]:
            if self.free_at[g] > now or self.escorting(g, now):
                continue
            minutes = float(self.minutes[self.n_bases + self.post[g], tps]) * self.factor * factor
            if best is None or minutes < best[1]:
                best = (g, minutes)
        return best

    def occupy(self, guard: int, until: float) -> None:
        self.free_at[guard] = max(self.free_at[guard], until)

    def travel_back(self, guard: int, tps: int, factor: float) -> float:
        return float(self.minutes[self.n_bases + self.post[guard], tps]) * self.factor * factor
