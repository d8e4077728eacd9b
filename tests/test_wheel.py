"""The packaged configs and region data work from a built wheel, outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent


@pytest.mark.slow
def test_wheel_runs_outside_the_repository(tmp_path):
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert build.returncode == 0, build.stderr[-2000:]
    wheel = next(tmp_path.glob("pilkadasim-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "pilkadasim/conf/config.yaml",
        "pilkadasim/experiments/reserve_sweep.yaml",
        "pilkadasim/data/bangka/tps.csv",
        "pilkadasim/data/bangka/outlines.json",
        "pilkadasim/data/bangka/LICENSE-wilayah_boundaries",
        "pilkadasim/app/static/index.html",  # the what-if page is served from the package
        "pilkadasim/app/static/app.js",
    ):
        assert needed in names, needed
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pilkadasim, sys; print(pilkadasim.__file__); "
            "sys.argv = ['pilkadasim', 'experiment=debug', 'hydra.run.dir=out']; "
            "from pilkadasim.cli.main import main; main()",
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.splitlines()[0].startswith(str(site))  # the wheel's copy was used
    assert (tmp_path / "out" / "summary.json").exists()
