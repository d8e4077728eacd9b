"""The protocol every dispatch policy implements, and the call it decides about."""

from __future__ import annotations

from typing import Protocol

from pilkadasim.core.scenario import FloatArray
from pilkadasim.core.units import Fleet


class Call(Protocol):
    """What a policy may read of an incident."""

    site: int
    severity: int


class DispatchPolicy(Protocol):
    def choose(self, fleet: Fleet, call: Call, n: int, eta: FloatArray) -> list[int]:
        """Up to ``n`` units to send now (``eta[u]`` is ``inf`` for unavailable units)."""
        ...

    def accepts(self, fleet: Fleet, unit: int, call: Call) -> bool:
        """May ``unit``, just freed, take the queued ``call``?"""
        ...
