"""timeline=operation: the days around the vote (core/operation.py). Hand-worked windows of a
tiny region, office guard duty traced through the engine, the switch-off, and the config."""

from __future__ import annotations

import numpy as np
import pytest

import pilkadasim
from micro import dispatch_spec, fixed_log, replace, travel_spec
from pilkadasim.config.builders import to_scenario
from pilkadasim.core.distributions import Deterministic
from pilkadasim.core.model import run_replication
from pilkadasim.core.rng import Stream, Streams
from pilkadasim.core.scenario import (
    CATEGORIES,
    STAGES,
    Bases,
    Clustering,
    Escalation,
    GuardSpec,
    IncidentSpec,
    IncidentType,
    Region,
    Scenario,
    Sites,
    TimelineSpec,
    UnitSpec,
    frozen_array,
)
from pilkadasim.core.specs import OperationSpec
from pilkadasim.core.timeline import draw_day
from pilkadasim.errors import InputError
from pilkadasim.report.fmt import clock

S = {name: i for i, name in enumerate(STAGES)}


def op_scenario(office_guards: int = 1, units: int = 1) -> Scenario:
    """Two TPS (kecamatan 0), its PPK office (site 2), the KPU office (site 3), one base;
    every trip 10 min, every handover 15 min, count 180 min, deterministic everywhere."""
    ids = ("T0", "T1", "PPK K0", "KPU micro")
    z = frozen_array(np.zeros(4), float)
    sites = Sites(
        ids,
        frozen_array(np.zeros(4), np.int64),
        frozen_array([0, 0, 4, 4], np.int64),
        z,
        z,
        frozen_array([1, 1, 0, 0], float),
        2,
        frozen_array([2, 2], np.int64),
    )
    bases = Bases(("B0",), *(frozen_array([0], np.int64),) * 2, *(frozen_array([0.0], float),) * 2)
    region = Region("micro", ("K0",), sites, bases)
    h15 = Deterministic(15.0)
    operation = OperationSpec(
        kpu_site=3,
        prep_from_at=360.0,
        ppk_delivery_at=(-2400.0, -2400.0),
        tps_delivery_at=(-900.0, -900.0),
        handover=h15,
        pleno_start_at=3420.0,
        pleno=Deterministic(600.0),
        kpu_recap_start_at=9180.0,
        kpu_recap=Deterministic(1440.0),
        office_guards=office_guards,
    )
    timeline = TimelineSpec(
        mode="operation",
        start_at=-2520.0,
        end_at=11520.0,
        open_at=420.0,
        close_at=780.0,
        late_open_probability=0.0,
        late_open_delay=Deterministic(0.0),
        close_delay=Deterministic(0.0),
        counting=Deterministic(180.0),
        count_deadline_at=2159.0,
        handover=h15,
        recap_tail_min=60.0,
        operation=operation,
    )
    rate = np.zeros((len(STAGES), len(CATEGORIES), 1))
    incidents = IncidentSpec(
        types=(IncidentType("incident", np.array([1.0, 0, 0]), Deterministic(20.0)),),
        rate_per_hour=rate,
        site_weight=np.ones(4),
        hourly_profile=np.ones(24),
        units_needed=(1, 1, 1),
        severity_factor=(1.0, 1.0, 1.0),
        reporting_delay=Deterministic(0.0),
        escalation=Escalation.off(),
        clustering=Clustering.off(),
        tension_cv=0.0,
        report_extra_min=None,
    )
    guards = GuardSpec(
        frozen_array([0, 0], np.int64), frozen_array([0], np.int64), frozen_array([0], np.int64)
    )
    return Scenario(
        region=region,
        timeline=timeline,
        incidents=incidents,
        guards=guards,
        units=tuple(UnitSpec(f"U{i}", 0, "sabhara", 4, 3, 0.0, 1.0, 0, True) for i in range(units)),
        dispatch=dispatch_spec(),
        travel=travel_spec(np.full((5, 4), 10.0)),
    )


def test_operation_windows_are_hand_worked() -> None:
    """H-1 delivery −900 + 10 min trip + 15 min handover = −875 at the TPS; stored there
    until set-up at 06:00; count ends 13:00 + 3 h = 960, box at the PPK 960 + 10 + 15 = 985,
    PPK recap to 985 + 60; pleno 3420 + 600 = 4020, boxes at the KPU 4020 + 25 = 4045."""
    w = draw_day(op_scenario(), Streams(7, 0)).windows
    tps = {
        "logistics": (-900, -875),
        "storage": (-875, 360),
        "preparation": (360, 420),
        "voting": (420, 780),
        "counting": (780, 960),
        "transport": (960, 985),
    }
    for stage, want in tps.items():
        for site in (0, 1):
            assert tuple(w[site, S[stage]]) == want, (stage, site)
    ppk = {
        "logistics": (-2400, -900),
        "recap": (985, 1045),
        "storage": (1045, 3420),
        "pleno": (3420, 4020),
        "transport": (4020, 4045),
    }
    for stage, want in ppk.items():
        assert tuple(w[2, S[stage]]) == want, stage
    kpu = {"logistics": (-2520, -2400), "storage": (4045, 9180), "kpu_recap": (9180, 10620)}
    for stage, want in kpu.items():
        assert tuple(w[3, S[stage]]) == want, stage
    assert w[2, S["kpu_recap"], 1] <= w[2, S["kpu_recap"], 0]  # no KPU recap at a PPK


def test_office_guards_take_minor_incidents_in_guarded_stages() -> None:
    """Trace: one guard at each office. At the KPU office at H-2 05:50 (−2450, logistics) the
    guard takes it on the spot (cleared −2430); at the PPK in the pleno at 3500 the guard
    takes it (to 3520), the one at 3510 finds the guard busy and goes to the reserve (10 min
    away); the election-night recap (1000) is not an office-guard stage: reserve."""
    sc = op_scenario()
    log = fixed_log(
        [-2450.0, 1000.0, 3500.0, 3510.0],
        sites=[3, 2, 2, 2],
        stage=[S["logistics"], S["recap"], S["pleno"], S["pleno"]],
    )
    inc = run_replication(sc, 0, 1, log=log).incidents
    assert inc["first_guard"] == [2, -1, 1, -1]  # ids after the 1 TPS guard: PPK 1, KPU 2
    assert inc["cleared_at"][0] == -2430.0
    assert inc["cleared_at"][2] == 3520.0
    assert inc["arrived_at"][1] == 1010.0
    assert inc["arrived_at"][3] == 3520.0
    off = replace(sc, timeline=replace(sc.timeline, operation=replace(
        sc.timeline.operation, office_guards=0)))  # fmt: skip
    assert run_replication(off, 0, 1, log=log).incidents["first_guard"] == [-1] * 4


def test_default_timeline_has_no_operation() -> None:
    cfg = pilkadasim.compose(["run.replications=2"])
    sc = to_scenario(cfg).scenario
    assert sc.timeline.mode == "election_day"
    assert sc.timeline.operation is None
    assert len(sc.region.sites) == sc.region.sites.n_tps + 8  # no KPU office site
    streams = Streams(1, 0)
    day = draw_day(sc, streams)
    assert not (day.windows[:, 6:, 1] > day.windows[:, 6:, 0]).any()  # no operation stage
    assert Stream.OPERATION not in streams._cache  # and no operation draw
    op = to_scenario(pilkadasim.compose(["timeline=operation"])).scenario
    op_day = draw_day(op, Streams(1, 0))
    n = sc.region.sites.n_tps
    np.testing.assert_array_equal(op_day.windows[:n, :4], day.windows[:n, :4])  # same E-day


def test_operation_config_builds_the_week() -> None:
    res = pilkadasim.simulate(
        pilkadasim.compose(["timeline=operation", "run.replications=30", "run.workers=1"])
    )
    inc = res.incidents
    assert inc["occurred_at"].min() < 0 < 9180 < inc["occurred_at"].max() < 11520
    stages = set(inc["stage"].astype(str))
    assert {"logistics", "storage", "pleno", "voting"} <= stages
    kpu = inc[inc["tps_id"] == "KPU bangka"]
    assert len(kpu)
    assert set(kpu["stage"].astype(str)) <= {"logistics", "storage", "kpu_recap"}


@pytest.mark.parametrize(
    ("override", "needle"),
    [
        ("timeline.operation.tps_delivery_at=[-400,-500]", "tps_delivery_at"),
        ("timeline.operation.pleno_start_at=100", "pleno_start_at < kpu_recap_start_at"),
        ("region.ppk=false", "region.ppk"),
    ],
)
def test_operation_bad_config_is_one_clear_message(override: str, needle: str) -> None:
    cfg = pilkadasim.compose(["timeline=operation", override])
    with pytest.raises(InputError, match=needle.replace("[", r"\[")):
        to_scenario(cfg)


def test_clock_marks_other_days_of_the_operation() -> None:
    assert clock(-1440 + 14 * 60) == "H-1 14.00 WIB"
    assert clock(6 * 1440 + 540, "en") == "H+6 09:00 WIB"
    assert clock(780) == "13.00 WIB"
    assert clock(1440 + 719).startswith("11.59 WIB, ")
