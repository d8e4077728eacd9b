"""Run replications, serially or across worker processes, with identical results.

Replication ``r`` always uses streams ``(seed, r, ·)``; chunks of replications are farmed out
to workers and their records re-assembled in replication order, so the tables do not depend on
``run.workers``. The scenario is sent to each worker once (pool initialiser), not per task.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager

from pilkadasim.core import Records, run_replication
from pilkadasim.core.scenario import Scenario

_WORKER_SCENARIO: Scenario | None = None  # set once per worker process by _init_worker


def default_workers() -> int:
    return max(
        1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    )


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: simulation objects are short-lived and acyclic
    enough, and collection passes over a large heap make long runs super-linear."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def run_chunk(scenario: Scenario, replications: range, seed: int, region: int = 0) -> Records:
    records = Records()
    with gc_paused():
        for r in replications:
            records.extend(run_replication(scenario, r, seed, region=region))
    return records


def _init_worker(scenario: Scenario) -> None:
    global _WORKER_SCENARIO
    _WORKER_SCENARIO = scenario


def _worker_chunk(replications: range, seed: int, region: int) -> Records:
    assert _WORKER_SCENARIO is not None
    return run_chunk(_WORKER_SCENARIO, replications, seed, region)


def chunks(n: int, pieces: int) -> list[range]:
    size = max(1, -(-n // pieces))
    return [range(lo, min(n, lo + size)) for lo in range(0, n, size)]


def run_replications(
    scenario: Scenario,
    replications: int,
    seed: int,
    workers: int | None = None,
    on_progress: Callable[[int], None] | None = None,
    region: int = 0,
) -> Records:
    """Records of replications ``0 … replications-1``, in order."""
    workers = min(workers or default_workers(), replications)
    if mp.current_process().daemon:  # inside a launcher's worker: no nested process pool
        workers = 1
    parts = chunks(replications, 1 if workers == 1 else workers * 4)
    if workers <= 1:
        out = Records()
        for part in chunks(replications, max(1, replications // 20)):
            out.extend(run_chunk(scenario, part, seed, region))
            if on_progress:
                on_progress(len(part))
        return out
    done: dict[int, Records] = {}
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    with ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=_init_worker, initargs=(scenario,)
    ) as pool:
        futures = {
            pool.submit(_worker_chunk, part, seed, region): i for i, part in enumerate(parts)
        }
        for fut in as_completed(futures):
            done[futures[fut]] = fut.result()
            if on_progress:
                on_progress(len(parts[futures[fut]]))
    out = Records()
    for i in range(len(parts)):
        out.extend(done[i])
    return out
