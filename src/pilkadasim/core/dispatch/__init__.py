"""Dispatch policies: who goes when an incident is reported, and who takes a queued one.

One policy per module behind the small :class:`~pilkadasim.core.dispatch.base.DispatchPolicy`
protocol; :func:`make_policy` maps the scenario's policy name to an instance.
"""

from __future__ import annotations

from pilkadasim.core.dispatch.base import DispatchPolicy
from pilkadasim.core.dispatch.district_first import DistrictFirst
from pilkadasim.core.dispatch.fixed_preference import FixedPreference
from pilkadasim.core.dispatch.nearest import Nearest
from pilkadasim.core.dispatch.reserve_cutoff import ReserveCutoff
from pilkadasim.core.scenario import Scenario

POLICIES: dict[str, type] = {
    "nearest": Nearest,
    "district_first": DistrictFirst,
    "fixed_preference": FixedPreference,
    "reserve_cutoff": ReserveCutoff,
}


def make_policy(scenario: Scenario) -> DispatchPolicy:
    name = scenario.dispatch.policy
    try:
        cls = POLICIES[name]
    except KeyError:
        raise ValueError(f"unknown dispatch policy {name!r}; known: {sorted(POLICIES)}") from None
    policy: DispatchPolicy = cls(scenario)
    return policy


__all__ = ["POLICIES", "DispatchPolicy", "make_policy"]
