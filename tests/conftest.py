"""Shared fixtures: the packaged config composed once per session, micro-scenario helpers."""

from __future__ import annotations

import pytest

import pilkadasim


@pytest.fixture(scope="session")
def small_cfg():
    """The default Bangka scenario with few replications, serial."""
    return pilkadasim.compose(["run.replications=6", "run.workers=1", "run.progress=false"])


@pytest.fixture(scope="session")
def small_results(small_cfg):
    return pilkadasim.simulate(small_cfg)


def require_tool(path, name: str) -> None:
    """A test that needs an external program: skipped on a developer machine without it, but
    FAILS under CI (CI=true), where .ci/run installs it, so a missing tool is never silent."""
    import os

    if path:
        return
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{name} is not installed; .ci/run installs it (apt-get install {name})")
    pytest.skip(f"{name} not installed (.ci/run installs it; under CI=true this test fails)")
