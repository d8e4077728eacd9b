"""The protocol every dispatch policy implements, and the call it decides about."""

from __future__ import annotations

from typing import Protocol

from pilkadasim.core.units import Fleet


class Call(Protocol):
    """What a policy may read of an incident."""

    site: int
    severity: int


class DispatchPolicy(Protocol):
    def choose(
        self, fleet: Fleet, call: Call, n: int, eta: list[float], allowed: list[bool]
    ) -> list[int]:
        """Up to ``n`` units to send now among the ``allowed`` ones (the engine passes the
        units capable of the call's severity, or every unit for a first responder);
        ``eta[u]`` is ``inf`` for unavailable units."""
        ...

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        """Beyond capability (the engine checks that): may ``unit``, just freed, take a
        queued call? The answer may depend on the call's severity, not on the call itself."""
        ...


def candidates(eta: list[float], allowed: list[bool]) -> list[int]:
    """Available units among the ``allowed`` ones."""
    inf = float("inf")
    return [u for u, e in enumerate(eta) if allowed[u] and e != inf]


def rank_by_tier_then_eta(fleet: Fleet, units: list[int], eta: list[float]) -> list[int]:
    """``units`` ordered by tier (police before TNI), then ETA, then index."""
    tier = fleet.tier
    return sorted(units, key=lambda u: (tier[u], eta[u], u))
