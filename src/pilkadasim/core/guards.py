"""TPS guards: police posted at polling stations by the guard pattern.

A pattern "2 police : 4 TPS" makes a guard group of four neighbouring TPS with two guards, each
posted at one of them; a guard who is not where the trouble is must walk or ride over. Guards
handle severity-1 incidents in their own group if they can be there within
``dispatch.guard_max_travel_min``; otherwise the command post sends a reserve unit.

When the count ends, each ballot box is escorted to the PPK by a guard of its group, who is
away for the whole escort window (TPS → PPK and back). The escorts of a replication are planned
first, in the order the counts end: the box's own guard goes if free, else another guard of
the group, else the box waits at the TPS for the first guard back — so one guard's escort
windows never overlap. (A waiting box does not move the day's stage windows, which set the
incident rates: incidents never depend on staffing.) A guard takes an incident only if the
whole job — there, on scene, back to the post — fits before their next escort; the escort
guard handles trouble at the box they are escorting.

Guards need no SimPy processes: incidents reach them in time order, so "free from" times and
the planned escort windows are all the state there is. The static plan (groups, posts, whose
box is whose) is in :class:`~pilkadasim.core.scenario.GuardSpec`.
"""

from __future__ import annotations

import math

from pilkadasim.core.day import DayTimeline
from pilkadasim.core.scenario import Scenario

NAN = math.nan


class GuardPool:
    def __init__(self, scenario: Scenario, day: DayTimeline) -> None:
        spec = scenario.guards
        self.max_severity = spec.max_severity
        self.group_of_tps = spec.group_of_tps.tolist()
        self.post = spec.guard_post.tolist()
        self.members = spec.members
        self.free_at = [scenario.timeline.start_at] * spec.n_guards
        self.minutes = scenario.travel.minutes
        self.n_bases = len(scenario.region.bases)
        self.factor = scenario.travel.guard_factor
        self.max_travel = scenario.dispatch.guard_max_travel_min
        n_tps = len(self.group_of_tps)
        self.own = spec.escort_of_tps
        self.tps_of_group = spec.tps_of_group
        self.count_end, self.arrival = day.count_end_at, day.ppk_arrival_at
        self.planned = [False] * len(self.members)  # escorts are planned per group, lazily
        self.escort_of = [-1] * n_tps  # who escorts each box this replication
        self.box_start = [NAN] * n_tps
        self.box_end = [NAN] * n_tps
        self.windows: list[list[tuple[float, float]]] = [[] for _ in range(spec.n_guards)]

    def plan(self, grp: int) -> None:
        """Plan the escorts of guard group ``grp`` (once per replication, when first needed:
        groups are independent, and most never see an incident)."""
        if self.planned[grp]:
            return
        self.planned[grp] = True
        own, members = self.own, self.members[grp]
        boxes = sorted(
            (float(self.count_end[b]), b)
            for b in self.tps_of_group[grp]
            if own[b] >= 0 and not math.isnan(self.count_end[b])
        )
        back_at = dict.fromkeys(members, -math.inf)
        for s, box in boxes:
            length = 2.0 * (float(self.arrival[box]) - s)  # there and back, as long each way
            order = [own[box], *(g for g in members if g != own[box])]
            guard = next((g for g in order if back_at[g] <= s), -1)
            if guard < 0:  # every guard of the group is out: the box waits for the first back
                guard = min(order, key=lambda g: back_at[g])
                s = back_at[guard]
            self.escort_of[box], self.box_start[box], self.box_end[box] = guard, s, s + length
            back_at[guard] = s + length
            self.windows[guard].append((s, s + length))

    def plan_all(self) -> None:
        for grp in range(len(self.members)):
            self.plan(grp)

    def escorting(self, guard: int, start: float, end: float) -> bool:
        """Is ``guard`` due on an escort at any time in ``[start, end)``?"""
        return any(s < end and start < e for s, e in self.windows[guard])

    def take(
        self,
        tps: int,
        now: float,
        factor: float,
        delay: float,
        handling: float,
        *,
        on_escort: bool,
    ) -> tuple[int, float, float, float] | None:
        """The guard who handles an incident at ``tps`` now, if any: ``(guard, reported,
        arrived, cleared)``; the guard is booked until back at the post."""
        grp = self.group_of_tps[tps]
        if grp < 0:
            return None
        self.plan(grp)
        if on_escort:  # trouble at a box on its way: its escort is there
            g = self.escort_of[tps]
            if g >= 0 and self.box_start[tps] <= now < self.box_end[tps] and self.free_at[g] <= now:
                self.free_at[g] = now + handling
                return g, now, now, now + handling
        best: tuple[int, float, float, float] | None = None
        for g in self.members[grp]:
            if self.free_at[g] > now:
                continue
            minutes = float(self.minutes[self.n_bases + self.post[g], tps]) * self.factor * factor
            if minutes > self.max_travel or (best is not None and minutes >= best[2] - best[1]):
                continue
            reported = now if self.post[g] == tps else now + delay
            back_home = reported + 2 * minutes + handling
            if not self.escorting(g, now, back_home):
                best = (g, reported, reported + minutes, reported + minutes + handling)
        if best is None:
            return None
        g, _reported, arrived, cleared = best
        self.free_at[g] = cleared + (arrived - _reported)
        return best
