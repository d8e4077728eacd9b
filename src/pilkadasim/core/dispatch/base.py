"""The protocol every dispatch policy implements, and the call it decides about."""

from __future__ import annotations

from typing import Protocol

from pilkadasim.core.units import Fleet


class Call(Protocol):
    """What a policy may read of an incident."""

    site: int
    severity: int


class DispatchPolicy(Protocol):
    def choose(self, fleet: Fleet, call: Call, n: int, eta: list[float]) -> list[int]:
        """Up to ``n`` units to send now (``eta[u]`` is ``inf`` for unavailable units)."""
        ...

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        """May ``unit``, just freed, take the queued ``call``?"""
        ...


def candidates(fleet: Fleet, call: Call, eta: list[float]) -> list[int]:
    """Available units capable of the call's severity."""
    capable = fleet.capable(call.severity)
    return [u for u in range(fleet.n) if capable[u] and eta[u] != float("inf")]


def rank_by_tier_then_eta(fleet: Fleet, units: list[int], eta: list[float]) -> list[int]:
    """``units`` ordered by tier (police before TNI), then ETA, then index."""
    tier = fleet.tier
    return sorted(units, key=lambda u: (tier[u], eta[u], u))
