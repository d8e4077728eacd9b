"""All speed and scale figures in one table (``make bench``). Prints; never fails.

Targets (issue "Speed and scale"), each measured in this one run so ratios are fair:

1. default Bangka day: >= 500 replications/s on one core, scenario built once;
2. engine efficiency: SimPy events processed per second by the engine >= 50 % of a bare SimPy
   timeout loop;
3. queueing core vs Ciw on identical M/M/10 work (validation presets): >= 2x customers/s;
4. national scale: region=synthetic region.tps=435000, one replication <= 60 s, <= 1.5 GB peak
   RSS on one core; time and memory at 452, 4.5k, 45k, 435k TPS and the growth exponent;
5. experiment=reserve_sweep with defaults <= 2 min on 2 cores; pilkadasim --help <= 1.5 s;
6. what-if page: headline for 200 days <= 1.5 s after a change, one core (bench_app.py).

``python benchmarks/bench_all.py --quick`` skips the 435k point and the sweep.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import simpy

import pilkadasim
from pilkadasim.config.builders import to_scenario
from pilkadasim.core.model import DayModel
from pilkadasim.core.runner import run_chunk
from pilkadasim.validation.presets import preset, write_region

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def best_of(n: int, fn):  # type: ignore[no-untyped-def]
    return max(fn() for _ in range(n))


def bangka_reps_per_s() -> float:
    sc = to_scenario(pilkadasim.compose(["run.workers=1"])).scenario
    run_chunk(sc, range(20), 1)  # warm up
    t = time.perf_counter()
    run_chunk(sc, range(500), 2024)
    return 500 / (time.perf_counter() - t)


def bare_simpy_events_per_s(n: int = 300_000) -> float:
    env = simpy.Environment()

    def loop():  # type: ignore[no-untyped-def]
        for _ in range(n):
            yield env.timeout(1)

    env.process(loop())
    t = time.perf_counter()
    env.run()
    return n / (time.perf_counter() - t)


def engine_events_per_s(scenario, reps: int = 3) -> float:  # type: ignore[no-untyped-def]
    """Events the engine processed per second of its event loop (env.run), over replications
    of ``scenario``; SimPy numbers its events, so the count is exact."""
    events, seconds = 0, 0.0
    for r in range(reps):
        model = DayModel(scenario, r, 11)
        t = time.perf_counter()
        model.run()
        seconds += time.perf_counter() - t
        events += next(model.env._eid)  # SimPy numbers every event it schedules
    return events / seconds


def mm10_region(tmp: Path) -> Path:
    return write_region(
        tmp / "mm10",
        [("T1", -1.9, 106.1, 500)],
        [("B1", -1.9, 106.1)],
        [(f"U{i}", "B1") for i in range(10)],
    )


def ours_mm10(tmp: Path, hours: float) -> tuple[float, object]:
    folder = mm10_region(tmp)
    cfg_res = preset(folder, hours, 8.0, 60.0, 1, 3, extra=["run.workers=1"])
    sc = cfg_res.built.scenario
    best = 0.0
    for r in range(3):
        model = DayModel(sc, r, 3)
        t = time.perf_counter()
        rec = model.run()
        best = max(best, rec.n_incidents / (time.perf_counter() - t))
    return best, sc


def ciw_mm10(hours: float) -> float | None:
    try:
        import ciw
    except ImportError:
        return None
    best = 0.0
    for seed in range(3):
        net = ciw.create_network(
            arrival_distributions=[ciw.dists.Exponential(rate=8.0)],
            service_distributions=[ciw.dists.Exponential(rate=1.0)],
            number_of_servers=[10],
        )
        ciw.seed(seed)
        q = ciw.Simulation(net)
        t = time.perf_counter()
        q.simulate_until_max_time(hours)
        best = max(best, len(q.get_all_records()) / (time.perf_counter() - t))
    return best


NATIONAL = """
import json, resource, sys, time
import pilkadasim
cfg = pilkadasim.compose(["region=synthetic", "region.tps=%d", "run.replications=1",
                          "run.workers=1", "run.progress=false"])
t = time.perf_counter()  # build + simulate + tables + summary; not interpreter start-up
res = pilkadasim.simulate(cfg)
print(json.dumps({"seconds": time.perf_counter() - t, "incidents": len(res.incidents),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "regions": int(res.incidents["kecamatan"].astype(str).str[:4].nunique())}))
"""


def national(n_tps: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", NATIONAL % n_tps], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def timed(cmd: list[str], cwd: Path) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, capture_output=True, check=True)
    return time.perf_counter() - t


def row(name: str, value: str, target: str, ok: bool | None) -> list[str]:
    return [name, value, target, "–" if ok is None else ("yes" if ok else "NO")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    rows = []
    reps = bangka_reps_per_s()
    rows.append(row("Bangka day, replications/s (1 core)", f"{reps:,.0f}", ">= 500", reps >= 500))
    bare = best_of(3, bare_simpy_events_per_s)
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        ours, mm10 = ours_mm10(tmp, 5000.0)
        theirs = ciw_mm10(5000.0)
    tense = to_scenario(pilkadasim.compose(["incidents.rate_scale=30"])).scenario
    for label, sc in (("M/M/10 preset", mm10), ("Bangka, 30x incidents", tense)):
        ev = engine_events_per_s(sc)
        rows.append(
            row(
                f"engine events/s ({label}) / bare SimPy {bare:,.0f}/s",
                f"{ev:,.0f} = {ev / bare:.0%}",
                ">= 50 %",
                ev / bare >= 0.5,
            )
        )
    if theirs is None:
        rows.append(
            row("M/M/10 customers/s vs Ciw", f"{ours:,.0f} (Ciw not installed)", ">= 2x", None)
        )
    else:
        rows.append(
            row(
                "M/M/10 customers/s: pilkadasim / Ciw",
                f"{ours:,.0f} / {theirs:,.0f} = {ours / theirs:.2f}x",
                ">= 2x",
                ours / theirs >= 2,
            )
        )
    sizes = [452, 4_520, 45_000] + ([] if args.quick else [435_000])
    nat = {n: national(n) for n in sizes}
    for n, r in nat.items():
        big = n >= 435_000
        rows.append(
            row(
                f"synthetic {n:,} TPS ({r['regions']:.0f} kab.), 1 replication",
                f"{r['seconds']:.1f} s, {r['rss_mb']:,.0f} MB",
                "<= 60 s, <= 1.5 GB" if big else "",
                (r["seconds"] <= 60 and r["rss_mb"] <= 1536) if big else None,
            )
        )
    xs = [n for n in sizes if n >= 45_000]  # below that, fixed costs (imports) dominate
    if len(xs) >= 2:
        slope = np.polyfit(np.log(xs), np.log([nat[n]["seconds"] for n in xs]), 1)[0]
        rows.append(
            row(
                "growth exponent of time vs TPS (45k → 435k)",
                f"{slope:.2f}",
                "~ 1",
                0.8 <= slope <= 1.2,
            )
        )
    with tempfile.TemporaryDirectory() as d:
        help_s = min(timed([str(BIN / "pilkadasim"), "--help"], Path(d)) for _ in range(3))
        rows.append(row("pilkadasim --help", f"{help_s:.2f} s", "<= 1.5 s", help_s <= 1.5))
        if not args.quick:
            sweep = timed(
                [str(BIN / "pilkadasim"), "experiment=reserve_sweep", f"hydra.sweep.dir={d}/sweep"],
                Path(d),
            )
            rows.append(
                row(
                    "experiment=reserve_sweep (11 points x 200 reps)",
                    f"{sweep:.0f} s",
                    "<= 120 s",
                    sweep <= 120,
                )
            )
            opt = timed(
                [
                    str(BIN / "pilkadasim"),
                    "experiment=optimise_staging",
                    "run.workers=2",
                    f"hydra.run.dir={d}/optimise",
                ],
                Path(d),
            )
            rows.append(
                row(
                    "experiment=optimise_staging (Bangka, 12 teams, 2 workers)",
                    f"{opt:.0f} s",
                    "<= 300 s",
                    opt <= 300,
                )
            )
    rows.append(app_row())
    print_table(rows)


def app_row() -> list[str]:
    """6. what-if page: headline for 200 days after a change, through the browser, 1 core."""
    from bench_app import update_seconds

    try:
        worst = max(update_seconds([]))
    except Exception as err:  # no Chromium or Playwright: say so, the table still prints
        return row("what-if page update, 200 days (browser)", f"not measured: {err}", "", None)
    return row(
        "what-if page update, 200 days, worst of 8", f"{worst:.2f} s", "<= 1.5 s", worst <= 1.5
    )


def print_table(rows: list[list[str]]) -> None:
    import scipy

    print(
        f"pilkadasim {pilkadasim.__version__} · Python {platform.python_version()} · "
        f"simpy {simpy.__version__} · numpy {np.__version__} · scipy {scipy.__version__} · "
        f"{platform.machine()}, {os.cpu_count()} cores · {platform.processor() or ''}"
    )
    widths = [
        max(len(r[i]) for r in [["measure", "value", "target", "met"], *rows]) for i in range(4)
    ]
    for r in [["measure", "value", "target", "met"], ["-" * w for w in widths], *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
