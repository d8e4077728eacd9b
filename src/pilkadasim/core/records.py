"""Records: what a replication observed, as plain column lists (no pandas in the core).

``incidents`` has one row per incident, ``units`` one per reserve unit, ``trips`` one per unit
leg (dispatch to clearance). Indices (site, type, unit) are turned into names by
``pilkadasim.analysis.tables``; the documented columns are in ``docs/reference/outputs.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
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


class HandledBy(IntEnum):
    """Who handled an incident: the one definition of the ``handled_by`` column. Records hold
    the code, the tables on disk the ``label``. ``needs_reserve``: the incident needed the
    mobile reserve (the guard posted at the TPS did not take it). A new value is one line
    ``NAME = code, "label", needs_reserve`` (codes are append-only: they are in the records).
    """

    label: str
    needs_reserve: bool

    def __new__(cls, code: int, label: str, needs_reserve: bool) -> HandledBy:
        member = int.__new__(cls, code)
        member._value_ = code
        member.label = label
        member.needs_reserve = needs_reserve
        return member

    GUARD = 0, "guard", False  # the guard posted at (or near) the TPS
    RESERVE = 1, "reserve", True  # a police reserve unit came first
    TNI = 2, "tni", True  # a second-tier (TNI) unit came first
    UNSERVED = 3, "unserved", True  # nobody came before the horizon
    LINMAS = 4, "linmas", False  # the Linmas at the TPS took a minor incident on the spot
    BRIMOB = 5, "brimob", True  # a third-tier (Brimob BKO) unit came first

    @property
    def by_unit(self) -> bool:
        """A mobile unit (not a guard) came."""
        return self.needs_reserve and self is not HandledBy.UNSERVED


HANDLED_BY: tuple[str, ...] = tuple(h.label for h in HandledBy)  # on-disk names, by code
RESERVE_NEEDED: tuple[str, ...] = tuple(h.label for h in HandledBy if h.needs_reserve)
BY_UNIT: tuple[str, ...] = tuple(h.label for h in HandledBy if h.by_unit)


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
