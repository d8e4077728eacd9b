"""Protest surges at PPK / KPU offices (core/surges.py): a hand-worked trace of the draws, the
place and time window of every surge incident, the rate, and the switch-off."""

from __future__ import annotations

import numpy as np
import pytest

import pilkadasim
from micro import micro_scenario, replace
from pilkadasim.config.builders import to_scenario
from pilkadasim.core.day import DayTimeline
from pilkadasim.core.incidents import generate_incidents
from pilkadasim.core.rng import Stream, Streams, stream
from pilkadasim.core.scenario import STAGES, Sites, frozen_array
from pilkadasim.core.specs import SurgeSpec
from pilkadasim.core.surges import surge_incidents

RECAP, PLENO = STAGES.index("recap"), STAGES.index("pleno")


def office_scenario(rate: float, extra: float, spread: float):
    """Two TPS and one office (site 2) with no hazard of their own; surges only."""
    sc = micro_scenario(n_tps=2, rate_per_hour=0.0, hours=48)
    s = sc.region.sites
    sites = Sites(
        ("T0", "T1", "PPK"),
        frozen_array([0, 0, 0], np.int64),
        frozen_array([0, 0, 4], np.int64),
        *(frozen_array(np.zeros(3), float),) * 2,
        frozen_array([1, 1, 0], float),
        2,
        s.ppk_site,
    )
    spec = SurgeSpec((RECAP, PLENO), rate, extra, spread, 0)
    inc = replace(sc.incidents, site_weight=np.ones(3), surges=spec)
    return replace(
        sc,
        region=replace(sc.region, sites=sites),
        incidents=inc,
        travel=replace(sc.travel, minutes=np.zeros((4, 3))),
    )


def office_day(recap=(1000.0, 1600.0), pleno=(2000.0, 2300.0)) -> DayTimeline:
    w = np.zeros((3, len(STAGES), 2))
    w[2, RECAP], w[2, PLENO] = recap, pleno
    nan = np.full(2, np.nan)
    return DayTimeline(w, nan, nan, False)


def test_surge_draws_are_hand_worked() -> None:
    """The documented order on stream SURGE: Poisson counts per (office, stage) with mean
    rate × hours × tension, a uniform start in the window, 1 + Poisson(extra) incidents, a
    uniform offset in [0, spread) each."""
    sc = office_scenario(rate=0.5, extra=2.0, spread=120.0)
    t, site, stage, kind = surge_incidents(sc, office_day(), stream(3, 1, Stream.SURGE), 1.5)
    rng = stream(3, 1, Stream.SURGE)
    counts = rng.poisson([7.5, 3.75])  # 0.5/h × 1.5 × 10 h (recap), × 5 h (pleno)
    which = np.repeat([0, 1], counts)
    starts = np.where(which == 0, 1000.0, 2000.0) + rng.random(which.size) * np.where(
        which == 0, 600.0, 300.0
    )
    sizes = 1 + rng.poisson(2.0, which.size)
    member = np.repeat(np.arange(which.size), sizes)
    want_t = starts[member] + rng.random(member.size) * 120.0
    assert counts.sum() > 0
    np.testing.assert_array_equal(t, want_t)
    assert (site == 2).all()
    assert (kind == 0).all()
    np.testing.assert_array_equal(stage, np.where(which[member] == 0, RECAP, PLENO))


def test_surge_incidents_fall_at_the_office_within_the_window() -> None:
    sc = office_scenario(rate=2.0, extra=3.0, spread=180.0)
    for rep in range(20):
        t, site, stage, _ = surge_incidents(sc, office_day(), stream(9, rep, Stream.SURGE), 1.0)
        assert (site == 2).all()
        recap = stage == RECAP
        assert ((t[recap] >= 1000) & (t[recap] < 1600 + 180)).all()
        assert ((t[~recap] >= 2000) & (t[~recap] < 2300 + 180)).all()


def test_surge_rate_matches_the_documented_mean() -> None:
    """Mean incidents per day = rate × hours × (1 + extra) = 0.2 × 15 × 4 = 12 over 400
    fixed-seed days, within 4 standard errors of a compound Poisson (Var = λ·E[size²])."""
    sc = office_scenario(rate=0.2, extra=3.0, spread=60.0)
    n = np.array(
        [
            len(surge_incidents(sc, office_day(), stream(4, r, Stream.SURGE), 1.0)[0])
            for r in range(400)
        ]
    )
    lam, size2 = 0.2 * 15, 3.0 + (1 + 3.0) ** 2  # E[(1 + N)²] = Var + mean² = 3 + 16
    se = np.sqrt(lam * size2 / 400)
    assert abs(n.mean() - lam * 4) < 4 * se


def test_surges_join_the_log_from_their_own_stream() -> None:
    sc = office_scenario(rate=0.5, extra=1.0, spread=60.0)
    day = office_day()
    log = generate_incidents(sc, day, Streams(5, 0))
    off = generate_incidents(
        replace(sc, incidents=replace(sc.incidents, surges=None)), day, Streams(5, 0)
    )
    assert len(off) == 0 < len(log)
    assert (np.diff(log.occurred_at) >= 0).all()
    assert (log.site == 2).all()
    assert int(Stream.SURGE) == 14
    assert int(Stream.OPERATION) == 13


@pytest.mark.slow  # keeps make test-fast under a minute
def test_surges_off_by_default_and_the_switch_works() -> None:
    base = to_scenario(pilkadasim.compose(["run.replications=2"])).scenario
    assert base.incidents.surges is None
    on = to_scenario(pilkadasim.compose(["incidents.surges.enabled=true"])).scenario
    assert on.incidents.surges is not None
    assert on.incidents.surges.type_index == [t.name for t in on.incidents.types].index("protest")
    day_logs = [generate_incidents(on, _day(on, r), Streams(2024, r)) for r in range(40)]
    base_logs = [generate_incidents(base, _day(base, r), Streams(2024, r)) for r in range(40)]
    extra = sum(len(a) - len(b) for a, b in zip(day_logs, base_logs, strict=True))
    assert extra > 0  # surges add incidents (at PPK offices, in the recap)
    for a, b in zip(day_logs, base_logs, strict=True):  # the rest of the day is unchanged
        assert set(b.occurred_at.tolist()) <= set(a.occurred_at.tolist())


def _day(sc, rep):
    from pilkadasim.core.timeline import draw_day

    return draw_day(sc, Streams(2024, rep))


def test_bad_surge_type_is_one_clear_message() -> None:
    from pilkadasim.errors import InputError

    cfg = pilkadasim.compose(["incidents.surges.enabled=true", "incidents.surges.type=riot"])
    with pytest.raises(InputError, match=r"incidents\.surges\.type"):
        to_scenario(cfg)
