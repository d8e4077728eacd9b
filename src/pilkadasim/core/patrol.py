"""Reserve teams on patrol (``staffing.reserve_mode=patrol``): routes, and where a team is.

**Route rule** (:func:`build_routes`). A patrolling team's area is the kecamatan of its base
(a base outside every kecamatan, or in one without TPS, takes the kecamatan of the TPS nearest
to it). The TPS of an area are put in one tour, nearest unvisited first: it starts at the
area's TPS nearest to the base of the area's first team, and each next stop is the unvisited
TPS quickest to reach from the current one (travel table, ties by TPS order). When several
teams share an area the tour is cut into as many consecutive sectors of near-equal size
(team order = unit order); each team circulates in its own sector: it stops ``dwell_min`` at
each TPS, drives to the next, and after the sector's last TPS drives back to its first.
A team starts the day at its first stop (no drive from the base).

**Where a team is** (:class:`PatrolFleet`). The patrol runs on a clock: the team's place on its
cycle is an offset that grows with time from an anchor ``(time, offset)``. While dwelling it
is at that TPS; between two stops it is a share ``f`` of the leg along, and its time to a site
``j`` is ``(1 - f)·t(a, j) + f·t(b, j)`` (``a``, ``b`` the leg's ends; the same interpolation
the fleet uses for a unit driving home), at its speed and the traffic factor of the moment.
Its position (``trips.from_lat/from_lon``) is interpolated the same way. A team on patrol is
mounted: no mobilisation delay. After clearing a scene (and no queued call for it) it drives to
the stop of its route quickest to reach from the scene and resumes its cycle there, dwelling
first; on the way it may be re-tasked, like a unit driving home. Patrol legs are driven at the
unit's speed without the traffic factor (the patrol's pace is its own); response drives use it.

Teams with an empty route (other kinds, or ``standby``) behave exactly as in
:class:`~pilkadasim.core.units.Fleet`.
"""

from __future__ import annotations

import bisect

import numpy as np
from numpy.typing import NDArray

from pilkadasim.core.scenario import Scenario
from pilkadasim.core.travel import TravelTable
from pilkadasim.core.units import IDLE, RETURNING, Fleet

Minutes = NDArray[np.float64] | TravelTable


def build_routes(scenario: Scenario, patrolling: list[bool]) -> tuple[tuple[int, ...], ...]:
    """The route (TPS site indices in visiting order) of each unit; ``()`` for units that do
    not patrol. See the module text for the rule."""
    reg, minutes = scenario.region, scenario.travel.minutes
    n_tps, nb = reg.sites.n_tps, len(reg.bases)
    kec = reg.sites.kecamatan[:n_tps]
    areas: dict[int, list[int]] = {}
    for u, (unit, on) in enumerate(zip(scenario.units, patrolling, strict=True)):
        if on and n_tps:
            areas.setdefault(_area(scenario, unit.base), []).append(u)
    routes: list[tuple[int, ...]] = [()] * len(scenario.units)
    for area, teams in areas.items():
        tps = np.flatnonzero(kec == area)
        first_base = scenario.units[teams[0]].base
        tour = _tour(minutes, nb, first_base, tps)
        for j, (u, sector) in enumerate(zip(teams, np.array_split(tour, len(teams)), strict=True)):
            routes[u] = tuple(int(s) for s in sector) if len(sector) else (tour[j % len(tour)],)
    return tuple(routes)


def _area(scenario: Scenario, base: int) -> int:
    """The kecamatan a team based at ``base`` patrols."""
    reg = scenario.region
    n_tps = reg.sites.n_tps
    kec = reg.sites.kecamatan[:n_tps]
    own = int(reg.bases.kecamatan[base])
    if own >= 0 and (kec == own).any():
        return own
    row = np.asarray(scenario.travel.minutes[np.full(n_tps, base), np.arange(n_tps)])
    return int(kec[int(np.argmin(row))])


def _tour(minutes: Minutes, nb: int, base: int, tps: np.ndarray) -> list[int]:
    """Nearest-unvisited tour of ``tps`` starting at the one nearest to ``base``."""
    left = [int(t) for t in tps]
    dist = np.asarray(minutes[np.full(len(left), base), np.array(left)], dtype=float)
    tour = [left.pop(int(np.argmin(dist)))]
    while left:
        here = np.full(len(left), nb + tour[-1])
        dist = np.asarray(minutes[here, np.array(left)], dtype=float)
        tour.append(left.pop(int(np.argmin(dist))))
    return tour


class PatrolFleet(Fleet):
    """A :class:`Fleet` whose patrolling units are on their routes when not on a call."""

    def __init__(self, scenario: Scenario) -> None:
        super().__init__(scenario)
        spec = scenario.patrol
        self.dwell = spec.dwell_min
        self.nb = len(scenario.region.bases)
        self.patrolling = [bool(r) for r in spec.routes]
        self.stops = [list(r) for r in spec.routes]
        self.starts: list[list[float]] = []
        self.legs: list[list[float]] = []
        self.cycle: list[float] = []
        for u, stops in enumerate(self.stops):
            legs = [
                self.minutes_between(stops[i], stops[(i + 1) % len(stops)]) * self.speed[u]
                for i in range(len(stops))
            ]
            starts = [i * self.dwell + sum(legs[:i]) for i in range(len(stops))]
            self.legs.append(legs)
            self.starts.append(starts)
            self.cycle.append(len(stops) * self.dwell + sum(legs))
            if stops:
                self.mobilisation[u] = 0.0  # mounted already
        start = scenario.timeline.start_at
        self.anchor_at = [start] * self.n
        self.anchor_offset = [0.0] * self.n
        self.resume_stop = [0] * self.n  # index into stops: where the team rejoins its route

    def minutes_between(self, a: int, b: int) -> float:
        """Reference minutes from site ``a`` to site ``b`` (the travel table)."""
        return float(self.minutes[self.nb + a, b])

    # ------------------------------------------------------------------ the patrol clock
    def offset(self, unit: int, now: float) -> float:
        """Minutes into the unit's cycle at ``now`` (held still before the anchor time)."""
        elapsed = max(0.0, now - self.anchor_at[unit])
        return (self.anchor_offset[unit] + elapsed) % self.cycle[unit]

    def leg(self, unit: int, now: float) -> tuple[int, int, float]:
        """``(a, b, f)``: between stops ``a`` and ``b`` (sites), a share ``f`` along
        (dwelling at ``a``: ``b == a``, ``f == 0``)."""
        off = self.offset(unit, now)
        i = bisect.bisect_right(self.starts[unit], off) - 1
        stops = self.stops[unit]
        inside = off - self.starts[unit][i] - self.dwell
        if inside <= 0 or self.legs[unit][i] <= 0:
            return stops[i], stops[i], 0.0
        return stops[i], stops[(i + 1) % len(stops)], min(1.0, inside / self.legs[unit][i])

    def hold(self, unit: int, frm: float, until: float) -> None:
        """The team stands still from ``frm`` to ``until`` (a crew handover), then goes on."""
        if self.patrolling[unit]:
            self.anchor_offset[unit] = self.offset(unit, frm)
            self.anchor_at[unit] = until

    # ------------------------------------------------------------------ Fleet hooks
    def eta(self, site: int, now: float, factor: float) -> list[float]:
        out = super().eta(site, now, factor)
        for u, s in enumerate(self.status):
            if not self.patrolling[u]:
                continue
            if s == IDLE:
                a, b, f = self.leg(u, now)
                t = (1 - f) * float(self.minutes[self.nb + a, site])
                if f > 0:
                    t += f * float(self.minutes[self.nb + b, site])
                out[u] = t * self.speed[u] * factor
            elif s == RETURNING:
                frac = self.return_share(u, now)
                scene = float(self.minutes[self.scene_node[u], site])
                back = float(self.minutes[self.nb + self.stops[u][self.resume_stop[u]], site])
                out[u] = ((1 - frac) * scene + frac * back) * self.speed[u] * factor
        return out

    def return_share(self, unit: int, now: float) -> float:
        span = self.return_end[unit] - self.return_start[unit]
        return min(1.0, (now - self.return_start[unit]) / span) if span > 0 else 1.0

    def position(self, unit: int, now: float) -> tuple[float, float]:
        status = self.status[unit]
        if not self.patrolling[unit] or status not in (IDLE, RETURNING):
            return super().position(unit, now)
        if status == IDLE:
            a, b, f = self.leg(unit, now)
            na, nb_ = self.nb + a, self.nb + b
        else:
            f = self.return_share(unit, now)
            na, nb_ = self.scene_node[unit], self.nb + self.stops[unit][self.resume_stop[unit]]
        lat = (1 - f) * self.node_lat[na] + f * self.node_lat[nb_]
        return lat, (1 - f) * self.node_lon[na] + f * self.node_lon[nb_]

    def return_minutes(self, unit: int, site: int, factor: float) -> float:
        if not self.patrolling[unit]:
            return super().return_minutes(unit, site, factor)
        times = [self.minutes_between(site, s) for s in self.stops[unit]]
        i = times.index(min(times))
        self.resume_stop[unit] = i
        return times[i] * self.speed[unit] * factor

    def at_home(self, unit: int, now: float) -> None:
        if self.patrolling[unit]:
            self.anchor_at[unit] = now
            self.anchor_offset[unit] = self.starts[unit][self.resume_stop[unit]]
