"""Simulate staging plans on common random numbers, in worker processes.

A :class:`Design` is a guard pattern and one base per movable unit. Every design is simulated
on the *same* replications (the same incidents at the same TPS at the same times, the same
handling times), so differences between designs are due to the placement alone. Replication
``r`` is the pure function ``run_replication(scenario, r, seed)``, hence results do not depend
on the number of workers.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace

import numpy as np

from pilkadasim.analysis.metrics import RESERVE_NEEDED
from pilkadasim.core.records import HANDLED_BY
from pilkadasim.core.scenario import Scenario
from pilkadasim.runner import chunks, default_workers, run_chunk

# incidents that needed the reserve, as summary.json's reserve_* blocks count them
RESERVE_CODES = [HANDLED_BY.index(h) for h in RESERVE_NEEDED]
_STATE: dict[str, object] = {}  # per worker: scenarios and movable units (pool initialiser)


@dataclass(frozen=True, order=True)
class Design:
    """Where the movable units wait: ``bases[k]`` is the base index of movable unit ``k``."""

    pattern: str
    bases: tuple[int, ...]

    @property
    def key(self) -> str:
        return f"{self.pattern}|{','.join(map(str, self.bases))}"


@dataclass
class Outcome:
    """What the metric needs from replications ``start … start+n-1`` of one design."""

    start: int
    n: int
    rep: np.ndarray  # replication of each incident
    site: np.ndarray
    response: np.ndarray  # minutes from report to first unit; NaN if never reached
    reserve: np.ndarray  # the incident needed the reserve
    busy: np.ndarray  # per replication: mean utilisation of the movable units

    @staticmethod
    def join(parts: list[Outcome]) -> Outcome:
        cat = np.concatenate
        return Outcome(
            parts[0].start,
            sum(p.n for p in parts),
            cat([p.rep for p in parts]),
            cat([p.site for p in parts]),
            cat([p.response for p in parts]),
            cat([p.reserve for p in parts]),
            cat([p.busy for p in parts]),
        )


def place(scenario: Scenario, movable: tuple[int, ...], bases: tuple[int, ...]) -> Scenario:
    """``scenario`` with movable unit ``movable[k]`` at base ``bases[k]``."""
    units = list(scenario.units)
    for u, b in zip(movable, bases, strict=True):
        units[u] = replace(units[u], base=int(b))
    return replace(scenario, units=tuple(units))


def simulate_block(
    scenario: Scenario, movable: tuple[int, ...], bases: tuple[int, ...], reps: range, seed: int
) -> Outcome:
    rec = run_chunk(place(scenario, movable, bases), reps, seed)
    inc = rec.incidents
    response = np.asarray(inc["arrived_at"], float) - np.asarray(inc["reported_at"], float)
    util = np.zeros((len(reps), len(scenario.units)))
    rows = np.asarray(rec.units["replication"], np.int64) - reps.start
    util[rows, np.asarray(rec.units["unit"], np.int64)] = rec.units["utilization"]
    busy = util[:, list(movable)].mean(axis=1) if movable else np.zeros(len(reps))
    return Outcome(
        reps.start,
        len(reps),
        np.asarray(inc["replication"], np.int64),
        np.asarray(inc["site"], np.int64),
        response,
        np.isin(np.asarray(inc["handled_by"], np.int64), RESERVE_CODES),
        busy,
    )


def _init(scenarios: dict[str, Scenario], movable: dict[str, tuple[int, ...]]) -> None:
    _STATE["scenarios"], _STATE["movable"] = scenarios, movable


def _task(design: Design, reps: range, seed: int) -> Outcome:
    scenarios: dict[str, Scenario] = _STATE["scenarios"]  # type: ignore[assignment]
    movable: dict[str, tuple[int, ...]] = _STATE["movable"]  # type: ignore[assignment]
    return simulate_block(
        scenarios[design.pattern], movable[design.pattern], design.bases, reps, seed
    )


class Simulator:
    """Runs designs on blocks of replications, serially or on ``workers`` processes."""

    def __init__(
        self,
        scenarios: dict[str, Scenario],
        movable: dict[str, tuple[int, ...]],
        seed: int,
        workers: int | None,
    ) -> None:
        self.seed = seed
        self.workers = workers or default_workers()
        if mp.current_process().daemon:
            self.workers = 1
        self.replications = 0  # simulated so far (for the cost figures)
        _init(scenarios, movable)
        self.pool: ProcessPoolExecutor | None = None
        if self.workers > 1:
            ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=ctx, initializer=_init, initargs=(scenarios, movable)
            )

    def run(self, designs: list[Design], start: int, n: int) -> list[Outcome]:
        """Outcomes of ``designs`` on replications ``start … start+n-1`` (common numbers)."""
        self.replications += n * len(designs)
        block = range(start, start + n)
        if self.pool is None:
            return [_task(d, block, self.seed) for d in designs]
        pieces = max(1, min(n, -(-2 * self.workers // max(1, len(designs)))))
        parts = [range(start + c.start, start + c.stop) for c in chunks(n, pieces)]
        futures = [[self.pool.submit(_task, d, p, self.seed) for p in parts] for d in designs]
        return [Outcome.join([f.result() for f in fs]) for fs in futures]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()
            self.pool = None
