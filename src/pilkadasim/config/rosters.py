"""Config → patrol routes and crew shifts (``staffing.reserve_mode``, ``staffing.patrol``,
``staffing.shift_hours``, ``staffing.handover_min``): checks and the builder.

The builder runs on a finished scenario (it needs the region, the travel table and the units)
and returns it with :class:`~pilkadasim.core.rosters.PatrolSpec` and
:class:`~pilkadasim.core.rosters.ShiftSpec` filled in; with the defaults (``standby``, no
shifts) the scenario is returned unchanged.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from omegaconf import DictConfig

from pilkadasim.core.patrol import build_routes
from pilkadasim.core.rosters import PatrolSpec, ShiftSpec
from pilkadasim.core.scenario import MINUTES_PER_HOUR, Scenario

MODES = ("standby", "patrol")


def check(c: Any, s: DictConfig) -> None:
    """Value checks of the keys above (``c`` is config.checks' Checker, which calls this)."""
    c.choice("staffing.reserve_mode", s.reserve_mode, MODES)
    c.number("staffing.patrol.dwell_min", s.patrol.dwell_min, 0, strict_low=True)
    for i, kind in enumerate(s.patrol.kinds):
        c.choice(f"staffing.patrol.kinds[{i}]", kind, list(s.unit_kinds))
    c.number("staffing.shift_hours", s.shift_hours, 0)
    c.number("staffing.handover_min", s.handover_min, 0)
    hours, handover = s.shift_hours, s.handover_min
    if hours is not None and handover is not None and handover >= hours * MINUTES_PER_HOUR > 0:
        c.fail(
            "staffing.handover_min",
            handover,
            f"must be shorter than a shift (staffing.shift_hours = {hours} h)",
        )


def with_rosters(cfg: DictConfig, scenario: Scenario) -> Scenario:
    """``scenario`` with the configured patrols and shifts (unchanged when both are off)."""
    s = cfg.staffing
    patrol, shifts = scenario.patrol, scenario.shifts
    if s.reserve_mode == "patrol":
        kinds = set(s.patrol.kinds) or {s.reserve_kind}
        routes = build_routes(scenario, [u.kind in kinds for u in scenario.units])
        patrol = PatrolSpec(routes, float(s.patrol.dwell_min))
    if float(s.shift_hours) > 0:
        shifts = ShiftSpec(float(s.shift_hours) * MINUTES_PER_HOUR, float(s.handover_min))
    if patrol is scenario.patrol and shifts is scenario.shifts:
        return scenario
    return dataclasses.replace(scenario, patrol=patrol, shifts=shifts)
