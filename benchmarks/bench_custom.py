"""Custom regions of any size: time and peak memory of one replication at 5k, 50k, 500k TPS.

Each size is a generated ``region=custom`` folder (tps.csv, bases.csv: one kabupaten with a
Polsek per kecamatan of ~56 TPS, a Polres and a Kodim), run in a fresh process (build the
scenario, simulate one replication, make the tables) so the peak RSS is that run's alone.
Targets (issue "Nothing silently stale", item 5): 50,000 TPS in <= 2 GB; time and memory
growing linearly (exponent ~ 1). Reserve teams grow with the region (12, or one per 2,000
TPS) so the queue stays a queue, not a backlog; the dispatcher looks at every team per call,
so many more teams would measure the dispatcher, not the region.

``python benchmarks/bench_custom.py [--quick] [--sizes 5000 50000]`` (part of ``make bench``)
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

RUN = """
import json, resource, time
t0 = time.perf_counter()
import pilkadasim
cfg = pilkadasim.compose(["region=custom", "region.dir=%s", "run.replications=1",
    "run.workers=1", "run.progress=false", "staffing.reserve_units=%d"])
res = pilkadasim.simulate(cfg)
print(json.dumps({"seconds": time.perf_counter() - t0, "incidents": len(res.incidents),
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def write_region(folder: Path, n_tps: int, seed: int = 7) -> Path:
    """A one-kabupaten custom region of ``n_tps`` TPS as CSV files."""
    import pilkadasim
    from pilkadasim.data.synthetic import Country, Generator, region_data

    gen = Generator.from_config(pilkadasim.compose(["region=synthetic"]).region.generator)
    lat0, lon0 = -2.1, 106.1
    data = region_data(Country(seed, (n_tps,), ((lat0, lon0),), gen), 0)
    shrink = min(1.0, (50_000 / n_tps) ** 0.5)  # denser above 50k: a province, not a country
    for table in (data.tps, data.bases):
        table["lat"] = lat0 + (table["lat"] - lat0) * shrink
        table["lon"] = lon0 + (table["lon"] - lon0) * shrink
    folder.mkdir(parents=True, exist_ok=True)
    data.tps.to_csv(folder / "tps.csv", index=False)
    data.bases.to_csv(folder / "bases.csv", index=False)
    return folder


def measure(n_tps: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as d:
        folder = write_region(Path(d) / f"r{n_tps}", n_tps)
        code = RUN % (folder, max(12, n_tps // 2000))
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def rows(sizes: list[int]) -> list[list[str]]:
    got = {n: measure(n) for n in sizes}
    out = []
    for n, r in got.items():
        target = "<= 2 GB" if n == 50_000 else ""
        ok = r["rss_mb"] <= 2048 if n == 50_000 else None
        out.append(
            [
                f"custom region {n:,} TPS, 1 replication ({r['incidents']:.0f} incidents)",
                f"{r['seconds']:.1f} s, {r['rss_mb']:,.0f} MB",
                target,
                "–" if ok is None else ("yes" if ok else "NO"),
            ]
        )
    xs = [n for n in sizes if n >= 50_000] or sizes
    if len(xs) >= 2:
        for key, label in (("seconds", "time"), ("rss_mb", "peak memory")):
            slope = np.polyfit(np.log(xs), np.log([got[n][key] for n in xs]), 1)[0]
            ok = slope <= 1.2
            out.append(
                [
                    f"growth exponent of {label} vs TPS ({xs[0]:,} → {xs[-1]:,})",
                    f"{slope:.2f}",
                    "~ 1 (<= 1.2)",
                    "yes" if ok else "NO",
                ]
            )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[5_000, 50_000, 500_000])
    ap.add_argument("--quick", action="store_true", help="5k and 50k TPS only")
    args = ap.parse_args()
    sizes = [n for n in args.sizes if n <= 50_000] if args.quick else args.sizes
    for r in rows(sizes):
        print(" | ".join(r))


if __name__ == "__main__":
    main()
