"""Records: what a replication observed, as plain column lists (no pandas in the core).

``incidents`` has one row per incident, ``units`` one per reserve unit, ``trips`` one per unit
leg (dispatch to clearance). Indices (site, type, unit) are turned into names by
``pilkadasim.analysis.tables``; the documented columns are in ``docs/reference/outputs.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

INCIDENT_FIELDS = (
    "replication",
    "incident_id",
    "site",
    "type",
    "severity",
    "stage",
    "occurred_at",
    "reported_at",
    "dispatched_at",
    "arrived_at",
    "cleared_at",
    "handled_by",
    "units_sent",
    "first_unit",
    "first_guard",
    "escalated",
    "capable_at",
    "proceeded_without_capability",
)
UNIT_FIELDS = ("replication", "unit", "dispatches", "busy_min", "utilization")
TRIP_FIELDS = (
    "replication",
    "unit",
    "incident_id",
    "dispatched_at",
    "arrived_at",
    "cleared_at",
    "travel_min",
    "from_lat",
    "from_lon",
)
HANDLED_BY = ("guard", "reserve", "tni", "unserved", "linmas", "brimob")  # codes: append only


def _columns(names: tuple[str, ...]) -> dict[str, list[Any]]:
    return {name: [] for name in names}


@dataclass
class Records:
    incidents: dict[str, list[Any]] = field(default_factory=lambda: _columns(INCIDENT_FIELDS))
    units: dict[str, list[Any]] = field(default_factory=lambda: _columns(UNIT_FIELDS))
    trips: dict[str, list[Any]] = field(default_factory=lambda: _columns(TRIP_FIELDS))

    def extend(self, other: Records) -> None:
        """Append ``other``'s rows (replications must be appended in order)."""
        for mine, theirs in (
            (self.incidents, other.incidents),
            (self.units, other.units),
            (self.trips, other.trips),
        ):
            for name, column in mine.items():
                column.extend(theirs[name])

    @property
    def n_incidents(self) -> int:
        return len(self.incidents["incident_id"])
