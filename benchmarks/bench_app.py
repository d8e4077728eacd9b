"""What-if page speed, measured through the browser (``make bench`` runs it).

Target (issue "what-if page"): after a change of the reserve teams, the headline for 200
simulated days is updated in <= 1.5 s, with the server on one core. The server is started as
a planner starts it (``pilkadasim-app``, pinned to CPU 0); the system Chromium, driven by
Playwright, changes the number and waits until the headline shows the new plan's answer.
Every change is a plan not seen before (no cache hit).

``python benchmarks/bench_app.py`` prints each update time and the median and worst.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent
CHANGES = [8, 4, 16, 2, 10, 6, 14, 3]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    cmd = [str(BIN / "pilkadasim-app"), "--no-browser", "--port", str(port)]
    if shutil.which("taskset"):
        cmd = ["taskset", "-c", "0", *cmd]  # one core
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status", timeout=1)
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("pilkadasim-app did not start")


def update_seconds(server_s: list[tuple[float, float]]) -> list[float]:
    """Seconds from changing the reserve teams to the new headline, per change; the
    server's own (wall, CPU) seconds of each run go into ``server_s``."""
    from playwright.sync_api import sync_playwright

    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        raise RuntimeError("Chromium is not installed")
    port = free_port()
    server = start_server(port)
    times: list[float] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=["--no-sandbox"])
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/")
            ready = "[data-testid=headline][data-state=ready]"
            page.wait_for_selector(ready, timeout=60_000)
            for n in CHANGES:
                key = f"o=staffing.reserve_units%3D{n}"
                t0 = time.perf_counter()
                page.get_by_test_id("reserve-teams").fill(str(n))
                page.wait_for_selector(f'{ready}[data-key="{key}"]', timeout=60_000)
                times.append(time.perf_counter() - t0)
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status") as r:
                    run = json.load(r)
                server_s.append((run["last_run_s"], run["last_run_cpu_s"]))
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    return times


def main() -> None:
    server: list[tuple[float, float]] = []
    times = update_seconds(server)
    for n, t, (wall, cpu) in zip(CHANGES, times, server, strict=True):
        print(
            f"  reserve teams -> {n:2d}: headline updated in {t:.2f} s "
            f"(server: compose + simulate {wall:.2f} s wall, {cpu:.2f} s CPU)"
        )
    worst, median = max(times), statistics.median(times)
    print(
        f"what-if page, 200 days, 1 core: median {median:.2f} s, worst {worst:.2f} s "
        f"(target <= 1.5 s: {'met' if worst <= 1.5 else 'NOT met'}); "
        f"load average {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
