"""Named random streams.

Every source of randomness in a replication has its own stream, derived from
``SeedSequence(seed, spawn_key=(replication, stream_id))`` — and, for the ``k``-th kabupaten of
a multi-region run (k > 0), ``spawn_key=(replication, stream_id, k)``. The table of stream ids is
append-only: adding a stream never shifts the numbers any other stream produces, and a stream
that staffing or dispatch never touches (incident occurrences) is identical across every design
point of a sweep — common random numbers by construction.
"""

from __future__ import annotations

from enum import IntEnum

import numpy as np


class Stream(IntEnum):
    """Stream ids. Append only; never renumber (that would change every stored result)."""

    OPENING = 0  # late opening of TPS
    CLOSING = 1  # queue still voting at 13:00
    COUNTING = 2  # counting durations
    HANDOVER = 3  # box loading / handover at the PPK
    OCCURRENCE = 4  # incident counts and times (thinning)
    INCIDENT_TYPE = 5
    SEVERITY = 6
    HANDLING = 7
    REPORTING_DELAY = 8
    ESCALATION = 9
    CLUSTERING = 10
    WEATHER = 11
    TENSION = 12  # day-level random effect on every hazard of the day
    OPERATION = 13  # timeline=operation: logistics departures, plenos, KPU recap length
    SURGE = 14  # result-driven protest surges at PPK / KPU offices


def stream(seed: int, replication: int, stream_id: Stream, region: int = 0) -> np.random.Generator:
    """The generator of one named stream of one replication (of region ``region``)."""
    key = (replication, int(stream_id)) if region == 0 else (replication, int(stream_id), region)
    ss = np.random.SeedSequence(seed, spawn_key=key)
    return np.random.Generator(np.random.PCG64(ss))


class Streams:
    """Lazily created generators of one replication, looked up by :class:`Stream`."""

    __slots__ = ("_cache", "region", "replication", "seed")

    def __init__(self, seed: int, replication: int, region: int = 0) -> None:
        if seed < 0 or replication < 0:
            raise ValueError(f"seed and replication must be >= 0, got {seed}, {replication}")
        self.seed = seed
        self.replication = replication
        self.region = region
        self._cache: dict[Stream, np.random.Generator] = {}

    def __getitem__(self, stream_id: Stream) -> np.random.Generator:
        gen = self._cache.get(stream_id)
        if gen is None:
            gen = self._cache[stream_id] = stream(
                self.seed, self.replication, stream_id, self.region
            )
        return gen
