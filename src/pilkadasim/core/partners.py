"""Linmas: the partners who stand at every TPS, first line for minor incidents.

Linmas (civil-defence volunteers, ``per_tps`` at each TPS, two in the Pilkada norm) are on the
spot from the opening to the end of the count. An incident of severity at most
``max_severity`` at a TPS during those stages is taken by a free Linmas of that TPS at once
(they are there: no report, no travel) and cleared after the incident's on-scene time; it is
recorded ``handled_by = linmas`` and never reaches the police guard or the reserve. If every
Linmas of the TPS is busy, the incident goes on as without Linmas (guard, then reserve).
Linmas are outside the police personnel total. No randomness: no random stream is used.

The other partners (TNI from the Koramil, Brimob BKO from Polda) are mobile units of the fleet
with their own tier (see ``pilkadasim.config.partners``).
"""

from __future__ import annotations

from dataclasses import dataclass

# stages (indices into core.scenario.STAGES) in which Linmas are at their TPS: preparation,
# voting, counting and the whole-day ``steady`` stage; not during box transport or the recap
LINMAS_STAGES: frozenset[int] = frozenset({0, 1, 2, 5})


@dataclass(frozen=True)
class LinmasSpec:
    per_tps: int = 2
    max_severity: int = 1

    def __post_init__(self) -> None:
        assert self.per_tps >= 1
        assert 1 <= self.max_severity <= 3


class LinmasPool:
    """When each Linmas of each TPS is free again, and which calls they took."""

    def __init__(self, spec: LinmasSpec, n_tps: int) -> None:
        self.max_severity = spec.max_severity
        self.n_tps = n_tps
        self.free_at = [[-float("inf")] * spec.per_tps for _ in range(n_tps)]
        self.handled: set[int] = set()

    def take(
        self, call_index: int, site: int, severity: int, stage: int, now: float, handling: float
    ) -> float | None:
        """The clearance time if a Linmas of ``site`` takes the incident now, else None."""
        if site >= self.n_tps or severity > self.max_severity or stage not in LINMAS_STAGES:
            return None
        slots = self.free_at[site]
        for k, free in enumerate(slots):
            if free <= now:
                slots[k] = now + handling
                self.handled.add(call_index)
                return now + handling
        return None
