"""Shared fixtures: the packaged config composed once per session, micro-scenario helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import pilkadasim


@pytest.fixture(scope="session")
def small_cfg():
    """The default Bangka scenario with few replications, serial."""
    return pilkadasim.compose(["run.replications=6", "run.workers=1", "run.progress=false"])


@pytest.fixture(scope="session")
def small_results(small_cfg):
    return pilkadasim.simulate(small_cfg)
