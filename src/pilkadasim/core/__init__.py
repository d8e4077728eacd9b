"""The pure simulation core: SimPy + numpy + stdlib only (a test enforces it).

``run_replication(scenario, replication, seed)`` is the one entry point; everything it needs is
in the frozen :class:`~pilkadasim.core.scenario.Scenario` built by ``pilkadasim.config``.
"""

from pilkadasim.core.model import run_replication
from pilkadasim.core.records import Records

__all__ = ["Records", "run_replication"]
