"""A finished day written into :class:`~pilkadasim.core.records.Records`: one row per incident
(its times and who handled it, as a :class:`~pilkadasim.core.records.HandledBy` code), one per
dispatch leg (trips) and one per unit (dispatches, busy minutes, utilisation)."""

from __future__ import annotations

from collections.abc import Sequence

from pilkadasim.core.calls import Call
from pilkadasim.core.incidents import IncidentLog
from pilkadasim.core.records import TRIP_FIELDS, HandledBy, Records
from pilkadasim.core.units import HANDOVER, IDLE, RETURNING, Fleet

# a unit's tier (0 police, 1 TNI, 2 Brimob BKO) → who came first
_BY_TIER = (int(HandledBy.RESERVE), int(HandledBy.TNI), int(HandledBy.BRIMOB))


def handled_codes(calls: Sequence[Call], tier: Sequence[int], by_linmas: set[int]) -> list[int]:
    """Who handled each call: the guard, the tier of the first unit on scene, Linmas, or
    nobody before the horizon."""
    return [
        int(HandledBy.GUARD)
        if c.first_guard >= 0
        else _BY_TIER[min(tier[c.first_unit], 2)]
        if c.first_unit >= 0
        else int(HandledBy.LINMAS)
        if c.index in by_linmas
        else int(HandledBy.UNSERVED)
        for c in calls
    ]


def record_incidents(
    records: Records, replication: int, calls: Sequence[Call], log: IncidentLog, handled: list[int]
) -> None:
    stage, kind = log.stage.tolist(), log.type.tolist()
    columns = {
        "replication": [replication] * len(calls),
        "incident_id": [c.index for c in calls],
        "site": [c.site for c in calls],
        "type": [kind[c.index] for c in calls],
        "severity": [c.severity for c in calls],
        "stage": [stage[c.index] for c in calls],
        "occurred_at": [c.occurred_at for c in calls],
        "reported_at": [c.reported_at for c in calls],
        "dispatched_at": [c.dispatched_at for c in calls],
        "arrived_at": [c.arrived_at for c in calls],
        "cleared_at": [c.cleared_at for c in calls],
        "handled_by": handled,
        "units_sent": [1 if c.first_guard >= 0 else len(c.units) for c in calls],
        "capable_at": [c.capable_at for c in calls],
        "proceeded_without_capability": [c.proceeded for c in calls],
        "first_unit": [c.first_unit for c in calls],
        "first_guard": [c.first_guard for c in calls],
        "escalated": [c.escalated for c in calls],
    }
    for name, values in columns.items():
        records.incidents[name].extend(values)


def record_trips(records: Records, replication: int, legs: Sequence[tuple[float, ...]]) -> None:
    trips = records.trips
    trips["replication"].extend([replication] * len(legs))
    for k, name in enumerate(TRIP_FIELDS[1:]):
        trips[name].extend(leg[k] for leg in legs)


def record_units(
    records: Records, replication: int, fleet: Fleet, now: float, window: float
) -> None:
    units = records.units
    for u in range(fleet.n):
        busy = fleet.busy_min[u]
        if fleet.status[u] not in (IDLE, RETURNING, HANDOVER):
            busy += now - fleet.busy_since[u]  # still busy at the horizon
        row = (replication, u, fleet.dispatches[u], busy, busy / window)
        for name, value in zip(units, row, strict=True):
            units[name].append(value)
