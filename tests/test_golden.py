"""The default run is bit-for-bit what it was: a refactor must not change a simulated number.

A change that is meant to change the numbers regenerates the files with
``python scripts/make_golden.py`` and names the changed fields in its commit message.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"


def _maker():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("make_golden", ROOT / "scripts/make_golden.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def run():  # type: ignore[no-untyped-def]
    maker = _maker()
    return maker, maker.golden_run()


def test_summary_is_bit_identical(run) -> None:  # type: ignore[no-untyped-def]
    maker, res = run
    now = json.loads(maker.summary_text(res.summary))
    then = json.loads((GOLDEN / "default_summary.json").read_text())
    assert now == then


@pytest.mark.parametrize("name", ["incidents", "units", "trips"])
def test_table_is_bit_identical(run, name: str) -> None:  # type: ignore[no-untyped-def]
    _, res = run
    then = pd.read_parquet(GOLDEN / f"default_{name}.parquet")
    now = getattr(res, name).reset_index(drop=True)
    pd.testing.assert_frame_equal(now, then, check_exact=True)
