"""The single seam from configuration to the core: ``to_scenario(cfg)``.

Validates the config, reads the region files, and builds the frozen
:class:`~pilkadasim.core.scenario.Scenario` once per run, one builder per config group:

==========  ==========================  ===========================================
group       builder                     core object
==========  ==========================  ===========================================
region      :mod:`.region`              :class:`~pilkadasim.core.scenario.Region`
timeline    :mod:`.timeline`            :class:`~pilkadasim.core.scenario.TimelineSpec`
incidents   :mod:`.incidents`           :class:`~pilkadasim.core.scenario.IncidentSpec`
staffing    :mod:`.staffing`,           :class:`~pilkadasim.core.scenario.GuardSpec`,
            :mod:`.placement`           :class:`~pilkadasim.core.scenario.UnitSpec`
dispatch    :mod:`.dispatch`            :class:`~pilkadasim.core.scenario.DispatchSpec`
travel      :mod:`.travel`              :class:`~pilkadasim.core.scenario.TravelSpec`
==========  ==========================  ===========================================

The operation's mechanisms (partners, patrol, shifts, rosters, the operation, surges) add to
these objects through one-line hooks, their builders beside the checks of their keys:
:mod:`pilkadasim.config.partners` (Linmas, TNI Koramil, Brimob BKO: ``staffing.partners``),
:mod:`pilkadasim.config.rosters` (patrols and shifts) and :mod:`pilkadasim.config.operation`
(``timeline=operation``, ``incidents.surges``).

What the outer layers need to name things (TPS ids, unit ids, type labels, the staffing
split) comes back alongside in :class:`Built`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from omegaconf import DictConfig

from pilkadasim.config.builders.dispatch import build_dispatch
from pilkadasim.config.builders.incidents import build_incidents, type_labels
from pilkadasim.config.builders.placement import build_unit_table
from pilkadasim.config.builders.region import build_region, load_region_data
from pilkadasim.config.builders.staffing import (
    build_guards,
    build_units,
    personnel_split,
    reserve_teams,
)
from pilkadasim.config.builders.timeline import build_timeline
from pilkadasim.config.builders.travel import build_travel
from pilkadasim.config.checks import validate
from pilkadasim.config.operation import with_kpu_office, with_operation, with_surges
from pilkadasim.config.partners import linmas_spec, partner_staffing
from pilkadasim.config.plan import apply_plan
from pilkadasim.config.rosters import with_rosters
from pilkadasim.core.scenario import Scenario
from pilkadasim.data.loaders import RegionData


@dataclass
class Built:
    """A scenario and the names the outer layers need to describe it."""

    scenario: Scenario
    region: RegionData
    units: pd.DataFrame  # unit_id, base_id, kind, crew, police
    type_labels: dict[str, dict[str, str]]  # type -> {"id": ..., "en": ...}
    staffing: dict[str, Any] = field(default_factory=dict)


def to_scenario(cfg: DictConfig, part: int = 0, *, validated: bool = False) -> Built:
    """Validate ``cfg`` (unless already ``validated``) and build everything one run (of
    kabupaten ``part``) needs."""
    if not validated:
        validate(cfg)
    region_data = load_region_data(cfg, part)
    region = build_region(region_data, with_ppk=bool(cfg.region.ppk))
    region = with_kpu_office(cfg, region)  # timeline=operation (config.operation)
    guards, guard_count = build_guards(cfg, region, region_data.tps["desa"])
    units_df = build_unit_table(cfg, region_data, region, reserve_teams(cfg, guard_count))
    units_df = apply_plan(units_df, cfg.staffing, region.bases.ids)  # staffing.plan(_file)
    scenario = Scenario(
        region=region,
        timeline=with_operation(cfg, region, build_timeline(cfg)),
        incidents=with_surges(cfg, build_incidents(cfg, region, region_data.tps.get("signal"))),
        guards=guards,
        units=build_units(cfg, region, units_df),
        dispatch=build_dispatch(cfg),
        travel=build_travel(cfg, region, region_data),
        linmas=linmas_spec(cfg),
    )
    scenario = with_rosters(cfg, scenario)  # patrols and shifts (config.rosters)
    if not validated:
        from pilkadasim.config.limits import check_incident_volume

        check_incident_volume(scenario, int(cfg.run.seed))
    staffing = personnel_split(cfg, guard_count, units_df)
    staffing.update(partner_staffing(cfg, region_data, units_df))
    return Built(scenario, region_data, units_df, type_labels(cfg), staffing)
