"""Records → tidy DataFrames with the documented columns (docs/reference/outputs.md).

The core records indices; here they become names (TPS ids, kecamatan, categories, incident
types, unit ids). This is the only place the record layout is turned into the public one.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from pilkadasim.core.records import HANDLED_BY, Records
from pilkadasim.core.scenario import CATEGORIES, DAY_STAGES, STAGES, Scenario


class Built(Protocol):
    """What the tables read of a built run (:class:`pilkadasim.config.builders.Built`): the
    scenario and the unit table (unit_id, base_id, kind, ... in scenario order)."""

    @property
    def scenario(self) -> Scenario: ...
    @property
    def units(self) -> pd.DataFrame: ...


INCIDENT_COLUMNS = (
    "replication",
    "incident_id",
    "tps_id",
    "kecamatan",
    "category",
    "type",
    "severity",
    "stage",
    "occurred_at",
    "reported_at",
    "dispatched_at",
    "arrived_at",
    "cleared_at",
    "response_min",
    "handled_by",
    "units_sent",
    "first_unit_id",
    "capable_min",
    "proceeded_without_capability",
)
UNIT_COLUMNS = (
    "replication",
    "unit_id",
    "base_id",
    "kind",
    "dispatches",
    "busy_min",
    "utilization",
)


def _named(codes: np.ndarray, names: list[str] | tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes, categories=list(dict.fromkeys(names)))


def incidents_frame(records: Records, built: Built) -> pd.DataFrame:
    rec = records.incidents
    sc = built.scenario
    sites = sc.region.sites
    site = np.asarray(rec["site"], dtype=np.int64)
    first_unit = np.asarray(rec["first_unit"], dtype=np.int64)
    first_guard = np.asarray(rec["first_guard"], dtype=np.int64)
    unit_ids = np.array([u.unit_id for u in sc.units] + [None], dtype=object)
    first_id = unit_ids[np.where(first_unit >= 0, first_unit, len(sc.units))]
    guard = first_guard >= 0
    first_id[guard] = [f"guard_{g:04d}" for g in first_guard[guard]]
    first_id[np.asarray(rec["handled_by"]) == HANDLED_BY.index("linmas")] = "linmas"
    reported = np.asarray(rec["reported_at"], dtype=float)
    arrived = np.asarray(rec["arrived_at"], dtype=float)
    kec = np.asarray(sites.kecamatan)[site]
    kec_names = list(sc.region.kecamatan)
    return pd.DataFrame(
        {
            "replication": np.asarray(rec["replication"], dtype=np.int64),
            "incident_id": np.asarray(rec["incident_id"], dtype=np.int64),
            "tps_id": pd.Categorical(np.asarray(sites.ids, dtype=object)[site]),
            "kecamatan": pd.Categorical.from_codes(kec, categories=kec_names),
            "category": _named(np.asarray(sites.category)[site], CATEGORIES),
            "type": _named(
                np.asarray(rec["type"], dtype=np.int64), [t.name for t in sc.incidents.types]
            ),
            "severity": np.asarray(rec["severity"], dtype=np.int64),
            "stage": _named(
                np.asarray(rec["stage"], dtype=np.int64),
                STAGES if sc.timeline.operation else DAY_STAGES,  # operation: its own stages
            ),
            "occurred_at": np.asarray(rec["occurred_at"], dtype=float),
            "reported_at": reported,
            "dispatched_at": np.asarray(rec["dispatched_at"], dtype=float),
            "arrived_at": arrived,
            "cleared_at": np.asarray(rec["cleared_at"], dtype=float),
            "response_min": arrived - reported,
            "handled_by": _named(np.asarray(rec["handled_by"], dtype=np.int64), HANDLED_BY),
            "units_sent": np.asarray(rec["units_sent"], dtype=np.int64),
            "first_unit_id": pd.array(first_id, dtype="string"),
            "capable_min": np.asarray(rec["capable_at"], dtype=float) - reported,
            "proceeded_without_capability": np.asarray(
                rec["proceeded_without_capability"], dtype=bool
            ),
        },
        columns=list(INCIDENT_COLUMNS),
    )


def units_frame(records: Records, built: Built) -> pd.DataFrame:
    rec = records.units
    units = built.units.reset_index(drop=True)
    idx = np.asarray(rec["unit"], dtype=np.int64)
    return pd.DataFrame(
        {
            "replication": np.asarray(rec["replication"], dtype=np.int64),
            "unit_id": pd.Categorical(units["unit_id"].to_numpy()[idx]),
            "base_id": pd.Categorical(units["base_id"].to_numpy()[idx]),
            "kind": pd.Categorical(units["kind"].to_numpy()[idx]),
            "dispatches": np.asarray(rec["dispatches"], dtype=np.int64),
            "busy_min": np.asarray(rec["busy_min"], dtype=float),
            "utilization": np.asarray(rec["utilization"], dtype=float),
        },
        columns=list(UNIT_COLUMNS),
    )


def trips_frame(records: Records, built: Built) -> pd.DataFrame:
    rec = records.trips
    ids = np.array([u.unit_id for u in built.scenario.units], dtype=object)
    unit = np.asarray(rec["unit"], dtype=np.int64)
    return pd.DataFrame(
        {
            "replication": np.asarray(rec["replication"], dtype=np.int64),
            "unit_id": ids[unit] if len(unit) else np.array([], dtype=object),
            "incident_id": np.asarray(rec["incident_id"], dtype=np.int64),
            "dispatched_at": np.asarray(rec["dispatched_at"], dtype=float),
            "arrived_at": np.asarray(rec["arrived_at"], dtype=float),
            "cleared_at": np.asarray(rec["cleared_at"], dtype=float),
            "travel_min": np.asarray(rec["travel_min"], dtype=float),
            "from_lat": np.asarray(rec["from_lat"], dtype=float),
            "from_lon": np.asarray(rec["from_lon"], dtype=float),
        }
    )
