"""Interrupted sweeps resume without redoing finished jobs; launchers give identical results."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
SWEEP = [
    "-m",
    "staffing.reserve_units=0,4,8,12",
    "run.replications=30",
    "run.workers=1",
    "run.progress=false",
    "report.figures=false",
    "report.html=false",
]


def cmd(out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "pilkadasim", *SWEEP, *extra, f"hydra.sweep.dir={out}"]


def test_killed_sweep_resumes_and_matches_an_uninterrupted_one(tmp_path):
    full, broken = tmp_path / "full", tmp_path / "broken"
    assert subprocess.run(cmd(full), capture_output=True, timeout=600).returncode == 0
    proc = subprocess.Popen(
        cmd(broken), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.time() + 300
    while not (broken / "1" / ".complete").exists():
        assert time.time() < deadline, "the sweep took too long"
        assert proc.poll() is None, "the sweep ended before it could be killed"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert not (broken / "sweep_summary.csv").exists()
    finished = {j: (broken / j / "summary.json").stat().st_mtime_ns for j in ("0", "1")}
    again = subprocess.run(cmd(broken), capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.count("sudah selesai (konfigurasi sama), dilewati") >= 2
    for j, mtime in finished.items():  # not recomputed
        assert (broken / j / "summary.json").stat().st_mtime_ns == mtime
    assert (broken / "sweep_summary.csv").read_text() == (full / "sweep_summary.csv").read_text()


def test_changed_configuration_is_not_skipped(tmp_path):
    out = tmp_path / "sw"
    args = [
        "staffing.reserve_units=4",
        "run.replications=4",
        "run.workers=1",
        "report.figures=false",
        "report.html=false",
        f"hydra.run.dir={out}",
    ]
    base = [sys.executable, "-m", "pilkadasim"]
    assert subprocess.run([*base, *args], capture_output=True).returncode == 0
    again = subprocess.run([*base, *args, "run.seed=5"], capture_output=True, text=True)
    assert "dilewati" not in again.stdout
    assert "konfigurasi berubah sejak run yang selesai di sini" in again.stdout


def test_launchers_give_identical_results(tmp_path):
    small = [
        "-m",
        "staffing.reserve_units=4,8",
        "run.replications=6",
        "run.progress=false",
        "report.figures=false",
        "report.html=false",
    ]
    tables = {}
    for launcher in ("basic", "parallel", "local_processes"):
        out = tmp_path / launcher
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pilkadasim",
                *small,
                f"hydra/launcher={launcher}",
                f"hydra.sweep.dir={out}",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0, proc.stderr[-2000:]
        tables[launcher] = (out / "sweep_summary.csv").read_text()
    assert tables["basic"] == tables["parallel"] == tables["local_processes"]
