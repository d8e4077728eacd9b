"""How reserve teams spend the hours between calls: on patrol or at their post, and in shifts.

Two frozen value objects of the :class:`~pilkadasim.core.scenario.Scenario`, both off by
default (a team waits at its base, one crew all day):

- :class:`PatrolSpec`: the route of each patrolling team (TPS it visits in order, a cycle)
  and the dwell at each stop; the behaviour is in :mod:`pilkadasim.core.patrol`.
- :class:`ShiftSpec`: shift length and handover time; the behaviour is in
  :mod:`pilkadasim.core.shifts`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PatrolSpec:
    """``routes[u]``: the TPS (site indices) unit ``u`` visits in this order, then again from
    the first (an empty route: the unit stands by at its base). ``dwell_min`` at each stop."""

    routes: tuple[tuple[int, ...], ...] = ()
    dwell_min: float = 15.0

    def __post_init__(self) -> None:
        assert self.dwell_min > 0, "a patrol must stop at each TPS for some time"

    @property
    def enabled(self) -> bool:
        return any(self.routes)


@dataclass(frozen=True)
class ShiftSpec:
    """Crews change every ``shift_min`` minutes from the start of the operation; a team is
    out of service for ``handover_min`` at each change (0 shift minutes: one crew all day)."""

    shift_min: float = 0.0
    handover_min: float = 0.0

    def __post_init__(self) -> None:
        assert self.shift_min >= 0
        assert self.handover_min >= 0
        assert self.shift_min == 0 or self.handover_min < self.shift_min

    @property
    def enabled(self) -> bool:
        return self.shift_min > 0
