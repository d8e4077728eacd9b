"""Shared fixtures: the packaged config composed once per session, micro-scenario helpers.

The package is installed (``pip install -e .``); the helper modules beside the tests
(``micro``, ``appserver``) are importable because pytest puts this folder on the path
(its default ``prepend`` import mode, for test modules outside packages)."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

import pilkadasim

# Property tests draw the same examples on every run, so `make test` gives the same verdict on
# every machine (a failing example found by chance in CI would block a change that did not
# cause it). HYPOTHESIS_PROFILE=explore draws new random examples on each run and remembers
# failing ones in .hypothesis/ (for developers, not CI).
settings.register_profile("fixed", derandomize=True, database=None)
settings.register_profile("explore")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fixed"))


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
