"""Mobile reserve units: an explicit state machine over the fleet.

A unit is a patrol car with a radio: it waits at its base (``idle``), is alerted and mounts up
(``dispatched``, the mobilisation delay), drives (``travelling``), works the incident
(``on_scene``) and drives home (``returning``) — and can be re-tasked on the way home or
straight from a scene; with crew shifts (``core.shifts``) it is out of service during a
``handover``. Every transition is checked against :data:`ALLOWED`, so a double
dispatch fails the moment it happens rather than corrupting results silently.

State is kept in plain Python lists: fleets are small (a few dozen units per kabupaten) and
scalar list access is several times faster than numpy indexing in the event loop.
"""

from __future__ import annotations

import math
from enum import IntEnum

from pilkadasim.core.scenario import Scenario


class UnitStatus(IntEnum):
    IDLE = 0
    DISPATCHED = 1
    TRAVELLING = 2
    ON_SCENE = 3
    RETURNING = 4
    HANDOVER = 5  # crew change (core.shifts): out of service


# plain ints for the hot path (IntEnum attribute access is slow); names for messages
IDLE, DISPATCHED, TRAVELLING, ON_SCENE, RETURNING, HANDOVER = (int(s) for s in UnitStatus)
ALLOWED: tuple[frozenset[int], ...] = (
    frozenset({DISPATCHED, HANDOVER}),  # from IDLE
    frozenset({TRAVELLING}),  # from DISPATCHED
    frozenset({ON_SCENE}),  # from TRAVELLING
    frozenset({RETURNING, DISPATCHED, HANDOVER}),  # from ON_SCENE
    frozenset({IDLE, DISPATCHED, HANDOVER}),  # from RETURNING
    frozenset({IDLE, DISPATCHED, RETURNING}),  # from HANDOVER
)
INF = math.inf


class Fleet:
    """Status and position of every reserve unit.

    Positions are travel-table nodes: a unit is at its home base (``idle``), at a site
    (``on_scene``) or part-way home; the time from part-way is interpolated between the scene
    and the base by the fraction of the return trip already driven.
    """

    def __init__(self, scenario: Scenario) -> None:
        units = scenario.units
        self.n = len(units)
        self.ids = [u.unit_id for u in units]
        self.home = [u.base for u in units]
        self.speed = [u.speed_factor for u in units]
        self.mobilisation = [u.mobilisation_min for u in units]
        self.capability = [u.capability for u in units]
        self.tier = [u.tier for u in units]
        self.max_capability = max(self.capability, default=0)
        self._capable = [
            [c >= min(sev, self.max_capability) for c in self.capability] for sev in (0, 1, 2, 3)
        ]
        self.everyone = [True] * self.n
        self.status = [IDLE] * self.n
        self.scene_node = list(self.home)  # last scene (node index) while on scene/returning
        self.return_start = [0.0] * self.n
        self.return_end = [0.0] * self.n
        self.return_token = [0] * self.n  # bumped on re-dispatch: cancels the pending arrival
        self.minutes = scenario.travel.minutes
        reg = scenario.region
        self.node_lat = [*reg.bases.lat.tolist(), *reg.sites.lat.tolist()]
        self.node_lon = [*reg.bases.lon.tolist(), *reg.sites.lon.tolist()]
        self._home_cache: dict[int, list[float]] = {}
        self.dispatches = [0] * self.n
        self.busy_min = [0.0] * self.n
        self.busy_since = [0.0] * self.n

    def move(self, unit: int, new: int) -> None:
        """Change ``unit``'s status; raises if the state machine does not allow it."""
        old = self.status[unit]
        if new not in ALLOWED[old]:
            raise AssertionError(
                f"unit {self.ids[unit]}: illegal transition {UnitStatus(old).name} -> "
                f"{UnitStatus(new).name}"
            )
        self.status[unit] = new

    def available(self, unit: int) -> bool:
        s = self.status[unit]
        return s in (IDLE, RETURNING)

    def n_available(self, severity: int) -> int:
        capable = self._capable[severity]
        return sum(1 for u in range(self.n) if capable[u] and self.available(u))

    def capable(self, severity: int) -> list[bool]:
        """Units that may take a severity-``severity`` incident alone. If no unit in the fleet
        is that capable, the most capable ones are (someone must go)."""
        return self._capable[severity]

    def home_minutes(self, site: int) -> list[float]:
        """Driving minutes from each unit's base to ``site`` at its own speed (cached)."""
        row = self._home_cache.get(site)
        if row is None:
            col = self.minutes[:, site]
            row = self._home_cache[site] = [
                float(col[h]) * s for h, s in zip(self.home, self.speed, strict=True)
            ]
        return row

    def eta(self, site: int, now: float, factor: float) -> list[float]:
        """Minutes until each available unit could be at ``site`` (``inf`` if unavailable):
        mobilisation (idle units only) plus driving time at the current traffic ``factor``."""
        home = self.home_minutes(site)
        out = [INF] * self.n
        for u, s in enumerate(self.status):
            if s == IDLE:
                out[u] = home[u] * factor + self.mobilisation[u]
            elif s == RETURNING:
                span = self.return_end[u] - self.return_start[u]
                frac = min(1.0, (now - self.return_start[u]) / span) if span > 0 else 1.0
                scene = float(self.minutes[self.scene_node[u], site]) * self.speed[u]
                out[u] = ((1 - frac) * scene + frac * home[u]) * factor
        return out

    def travel_from_scene(self, unit: int, site: int, factor: float) -> float:
        """Minutes from the unit's current scene to ``site``."""
        return float(self.minutes[self.scene_node[unit], site]) * self.speed[unit] * factor

    def position(self, unit: int, now: float) -> tuple[float, float]:
        """Where ``unit`` is at ``now`` (lat, lon): its base (idle), its scene, or part-way
        home (returning; interpolated by the share of the return trip driven)."""
        base, scene = self.home[unit], self.scene_node[unit]
        status = self.status[unit]
        if status == IDLE:
            return self.node_lat[base], self.node_lon[base]
        frac = 0.0
        if status == RETURNING:
            span = self.return_end[unit] - self.return_start[unit]
            frac = min(1.0, (now - self.return_start[unit]) / span) if span > 0 else 1.0
        lat = (1 - frac) * self.node_lat[scene] + frac * self.node_lat[base]
        return lat, (1 - frac) * self.node_lon[scene] + frac * self.node_lon[base]

    # hooks a patrolling fleet (core.patrol.PatrolFleet) overrides
    def return_minutes(self, unit: int, site: int, factor: float) -> float:
        """Minutes from scene ``site`` back to where the unit waits (its base)."""
        return self.home_minutes(site)[unit] * factor

    def at_home(self, unit: int, now: float) -> None:
        """The unit is back where it waits (nothing to do for a unit at its base)."""

    def hold(self, unit: int, frm: float, until: float) -> None:
        """The unit stands still from ``frm`` to ``until`` (nothing to do at a base)."""
