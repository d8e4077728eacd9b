"""Same config + seed ⇒ identical tables, whatever the worker count; common random numbers
across staffing levels (README: reproducibility)."""

from __future__ import annotations

import pandas as pd
import pytest

import pilkadasim
from pilkadasim.config.builders import to_scenario
from pilkadasim.core import run_replication
from pilkadasim.core.incidents import generate_incidents
from pilkadasim.core.rng import Streams
from pilkadasim.core.timeline import draw_day


def run(overrides):
    return pilkadasim.simulate(
        pilkadasim.compose(["run.replications=8", "run.progress=false", *overrides])
    )


def test_same_seed_identical_tables(small_cfg, small_results):
    again = pilkadasim.simulate(small_cfg)
    pd.testing.assert_frame_equal(small_results.incidents, again.incidents)
    pd.testing.assert_frame_equal(small_results.units, again.units)
    assert small_results.summary == again.summary


@pytest.mark.slow
def test_workers_do_not_change_results():
    one, two = run(["run.workers=1"]), run(["run.workers=2"])
    pd.testing.assert_frame_equal(one.incidents, two.incidents)
    pd.testing.assert_frame_equal(one.units, two.units)
    assert one.summary == two.summary


def test_different_seed_differs(small_results):
    other = run(["run.seed=99", "run.replications=6", "run.workers=1"])
    assert not other.incidents["occurred_at"].equals(small_results.incidents["occurred_at"])


@pytest.mark.parametrize(
    "override",
    [
        "staffing.reserve_units=4",
        "staffing.reserve_units=20",
        "staffing.placement=polres",
        "staffing.guard_pattern=lean",
    ],
)
def test_incident_occurrences_do_not_depend_on_staffing(small_results, override):
    """Common random numbers: the same incidents at the same TPS at the same times."""
    other = run(["run.replications=6", "run.workers=1", override])
    cols = ["replication", "incident_id", "tps_id", "type", "occurred_at"]
    pd.testing.assert_frame_equal(small_results.incidents[cols], other.incidents[cols])


def test_adding_a_stream_draw_does_not_shift_incidents(small_cfg):
    """Drawing from one named stream leaves every other stream untouched."""
    from pilkadasim.core.rng import Stream

    sc = to_scenario(small_cfg).scenario
    a = Streams(5, 3)
    b = Streams(5, 3)
    b[Stream.ESCALATION].random(1000)  # consume another stream first
    la = generate_incidents(sc, draw_day(sc, a), a)
    lb = generate_incidents(sc, draw_day(sc, b), b)
    assert (la.occurred_at == lb.occurred_at).all()
    assert (la.site == lb.site).all()


def test_run_replication_is_pure(small_cfg):
    sc = to_scenario(small_cfg).scenario
    assert run_replication(sc, 2, 11).incidents == run_replication(sc, 2, 11).incidents
