"""Replications per second of the default Bangka day on one core, scenario built once.

Run: ``make bench`` (prints, never fails). Target (issue "Speed and scale"): >= 100 reps/s.
"""

from __future__ import annotations

import time

import pilkadasim
from pilkadasim.config.convert import to_scenario
from pilkadasim.runner import run_chunk


def main(replications: int = 400) -> dict[str, float]:
    cfg = pilkadasim.compose(["run.workers=1"])
    t0 = time.perf_counter()
    built = to_scenario(cfg)
    t1 = time.perf_counter()
    records = run_chunk(built.scenario, range(replications), 2024)
    t2 = time.perf_counter()
    out = {
        "build_s": t1 - t0,
        "reps_per_s": replications / (t2 - t1),
        "incidents_per_day": records.n_incidents / replications,
    }
    print(
        f"scenario build {out['build_s'] * 1e3:.0f} ms; {out['reps_per_s']:.0f} "
        f"replications/s on one core; {out['incidents_per_day']:.2f} incidents/day"
    )
    return out


if __name__ == "__main__":
    main()
