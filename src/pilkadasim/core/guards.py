"""TPS guards: police posted at polling stations by the guard pattern.

A pattern "2 police : 4 TPS" makes a guard group of four neighbouring TPS with two guards, each
posted at one of them; a guard who is not where the trouble is must walk or ride over. Guards
handle severity-1 incidents in their own group; when the count ends each guard escorts the
ballot boxes of the TPS assigned to them to the PPK and is away meanwhile. Guards need no SimPy
processes: incidents reach them in time order, so "free from" times are all the state there is.
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
        self.free_at = [scenario.timeline.start_at] * spec.n_guards
        self.minutes = scenario.travel.minutes
        self.n_bases = len(scenario.region.bases)
        self.factor = scenario.travel.guard_factor
        n_groups = max(self.group_of_tps, default=-1) + 1
        self.members: list[list[int]] = [[] for _ in range(n_groups)]
        for g, grp in enumerate(spec.guard_group.tolist()):
            self.members[grp].append(g)
        self.escort_of_tps = [-1] * len(self.group_of_tps)
        self.escorts: list[list[tuple[float, float]]] = [[] for _ in range(spec.n_guards)]
        self._plan_escorts(day)

    def _plan_escorts(self, day: DayTimeline) -> None:
        """Guard ``p mod n`` of a group escorts the box of the group's ``p``-th TPS, from the
        end of the count to the PPK and back (the way back taken as long as the way there)."""
        position = [0] * len(self.members)
        ends, arrivals = day.count_end_at.tolist(), day.ppk_arrival_at.tolist()
        for tps, grp in enumerate(self.group_of_tps):
            if grp < 0 or not self.members[grp] or math.isnan(ends[tps]):
                continue
            guards = self.members[grp]
            g = guards[position[grp] % len(guards)]
            position[grp] += 1
            self.escort_of_tps[tps] = g
            self.escorts[g].append((ends[tps], 2 * arrivals[tps] - ends[tps]))

    def escorting(self, guard: int, t: float) -> bool:
        return any(start <= t < end for start, end in self.escorts[guard])

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
        assert until >= self.free_at[guard] or self.escorting(guard, until)
        self.free_at[guard] = max(self.free_at[guard], until)

    def travel_back(self, guard: int, tps: int, factor: float) -> float:
        return float(self.minutes[self.n_bases + self.post[guard], tps]) * self.factor * factor
