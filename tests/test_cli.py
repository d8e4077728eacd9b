"""The command line end to end: contract files written; bad input → exit 2, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from pilkadasim.analysis.tables import INCIDENT_COLUMNS, UNIT_COLUMNS


def cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "pilkadasim", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
    )


@pytest.mark.slow
def test_debug_run_writes_contract_files(tmp_path):
    out = tmp_path / "run"
    proc = cli("experiment=debug", f"hydra.run.dir={out}", "report.lang=en", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("incidents.parquet", "units.parquet", "summary.json", ".hydra/config.yaml"):
        assert (out / name).exists(), name
    summary = json.loads((out / "summary.json").read_text())
    for key in (
        "replications",
        "seed",
        "incidents_per_day",
        "response_min",
        "within_target",
        "utilization",
        "unserved",
        "provenance",
    ):
        assert key in summary
    assert set(summary["response_min"]["ci95"]) == {"mean", "p50", "p90", "p95"}
    assert list(pd.read_parquet(out / "incidents.parquet").columns) == list(INCIDENT_COLUMNS)
    assert list(pd.read_parquet(out / "units.parquet").columns) == list(UNIT_COLUMNS)
    assert "Response time" in proc.stdout


@pytest.mark.slow
def test_bad_value_exits_2_with_message(tmp_path):
    proc = cli("staffing.reserve_units=-1", f"hydra.run.dir={tmp_path / 'r'}", cwd=tmp_path)
    assert proc.returncode == 2
    assert "staffing.reserve_units = -1: must be >= 0" in proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert not (tmp_path / "r" / "summary.json").exists()


@pytest.mark.slow  # keeps make test-fast under a minute
def test_typo_fails_before_running(tmp_path):
    proc = cli("staffing.reserve_unit=4", f"hydra.run.dir={tmp_path / 'r'}", cwd=tmp_path)
    assert proc.returncode != 0
    assert "reserve_unit" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
def test_missing_region_folder(tmp_path):
    proc = cli(
        "region=custom",
        "region.dir=/no/such/place",
        f"hydra.run.dir={tmp_path / 'r'}",
        cwd=tmp_path,
    )
    assert proc.returncode == 2
    assert "/no/such/place" in proc.stderr
    assert "does not exist" in proc.stderr
