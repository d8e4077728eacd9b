"""Mobile reserve units: an explicit state machine over a vectorised fleet.

A unit is a patrol car with a radio: it waits at its base (``idle``), is alerted and mounts up
(``dispatched``, the mobilisation delay), drives (``travelling``), works the incident
(``on_scene``) and drives home (``returning``) — and can be re-tasked on the way home or
straight from a scene. Every transition is checked against :data:`ALLOWED`, so a double
dispatch fails the moment it happens rather than corrupting results silently.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np
from numpy.typing import NDArray

from pilkadasim.core.scenario import FloatArray, Scenario


class UnitStatus(IntEnum):
    IDLE = 0
    DISPATCHED = 1
    TRAVELLING = 2
    ON_SCENE = 3
    RETURNING = 4


S = UnitStatus
ALLOWED: dict[UnitStatus, frozenset[UnitStatus]] = {
    S.IDLE: frozenset({S.DISPATCHED}),
    S.DISPATCHED: frozenset({S.TRAVELLING}),
    S.TRAVELLING: frozenset({S.ON_SCENE}),
    S.ON_SCENE: frozenset({S.RETURNING, S.DISPATCHED}),
    S.RETURNING: frozenset({S.IDLE, S.DISPATCHED}),
}


class Fleet:
    """Status and position of every reserve unit, as arrays for vectorised ETA queries.

    Positions are travel-table nodes: a unit is at its home base (``idle``), at a site
    (``on_scene``) or part-way home; the time from part-way is interpolated between the scene
    and the base by the fraction of the return trip already driven.
    """

    def __init__(self, scenario: Scenario) -> None:
        units = scenario.units
        n_bases = len(scenario.region.bases)
        self.n = len(units)
        self.ids = [u.unit_id for u in units]
        self.home = np.array([u.base for u in units], dtype=np.int64)
        self.speed = np.array([u.speed_factor for u in units], dtype=float)
        self.mobilisation = np.array([u.mobilisation_min for u in units], dtype=float)
        self.capability = np.array([u.capability for u in units], dtype=np.int64)
        self.tier = np.array([u.tier for u in units], dtype=np.int64)
        self.max_capability = int(self.capability.max()) if self.n else 0
        self.status = np.zeros(self.n, dtype=np.int64)
        self.scene_node = self.home.copy()  # last scene (node index) while on scene/returning
        self.return_start = np.zeros(self.n)
        self.return_end = np.zeros(self.n)
        self.n_bases = n_bases
        self.minutes = scenario.travel.minutes
        self.dispatches = [0] * self.n
        self.busy_min = [0.0] * self.n
        self.busy_since = [0.0] * self.n

    def move(self, unit: int, new: UnitStatus) -> None:
        """Change ``unit``'s status; raises if the state machine does not allow it."""
        old = UnitStatus(int(self.status[unit]))
        if new not in ALLOWED[old]:
            raise AssertionError(
                f"unit {self.ids[unit]}: illegal transition {old.name} -> {new.name}"
            )
        self.status[unit] = new

    def available(self) -> NDArray[np.bool_]:
        mask: NDArray[np.bool_] = (self.status == S.IDLE) | (self.status == S.RETURNING)
        return mask

    def capable(self, severity: int) -> NDArray[np.bool_]:
        """Units that may take a severity-``severity`` incident alone. If no unit in the fleet
        is that capable, the most capable ones are (someone must go)."""
        mask: NDArray[np.bool_] = self.capability >= min(severity, self.max_capability)
        return mask

    def eta(self, site: int, now: float, factor: float) -> FloatArray:
        """Minutes until each available unit could be at ``site`` (``inf`` if unavailable):
        mobilisation (idle units only) plus driving time at the current traffic ``factor``."""
        drive = self.minutes[self.home, site]
        returning = self.status == S.RETURNING
        if returning.any():
            span = np.maximum(self.return_end - self.return_start, 1e-12)
            frac = np.clip((now - self.return_start) / span, 0.0, 1.0)
            from_scene = self.minutes[self.scene_node, site]
            drive = np.where(returning, (1 - frac) * from_scene + frac * drive, drive)
        eta = drive * self.speed * factor
        idle = self.status == S.IDLE
        eta[idle] += self.mobilisation[idle]
        eta[~(idle | returning)] = np.inf
        out: FloatArray = eta
        return out

    def travel_from_scene(self, unit: int, site: int, factor: float) -> float:
        """Minutes from the unit's current scene to ``site``."""
        return float(self.minutes[self.scene_node[unit], site] * self.speed[unit] * factor)
