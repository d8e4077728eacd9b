"""Election-day stage timing worked by hand: late opening, closing queue, count, deadline,
ballot-box trip to the PPK and the PPK's recap window (``core.timeline``).

The micro region is ``micro.election_scenario``: T0, T1 and their PPK office; T0 → PPK 15 min,
T1 → PPK 25 min; opening 07:00 (420), closing 13:00 (780), the day from 06:00 (360) to 24:00
(1440); every duration deterministic unless a test says otherwise.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from micro import election_scenario
from pilkadasim.core.distributions import Deterministic, Uniform
from pilkadasim.core.incidents import generate_incidents
from pilkadasim.core.rng import Streams
from pilkadasim.core.timeline import (
    COUNTING,
    PREP,
    RECAP,
    STEADY,
    TRANSPORT,
    VOTING,
    draw_day,
)


def day_of(sc, rep: int = 0):
    return draw_day(sc, Streams(1, rep))


def window(day, site, stage):
    return tuple(day.windows[site, stage].tolist())


def test_stage_windows_of_a_late_opening_hand_worked():
    """Every TPS opens late (p = 1) by 45 min: open 420 + 45 = 465. Close max(465, 780) + 10
    (the queue at 13:00) = 790. Count 240 min → 1030. Box factor 2: T0's box takes 15 × 2 =
    30 min + 20 handover → at the PPK 1080; T1's 25 × 2 + 20 → 1100. The PPK recaps from its
    first box (1080) to an hour after its last (1100 + 60 = 1160)."""
    sc = election_scenario(late_p=1.0, late=Deterministic(45.0), box_factor=2.0)
    day = day_of(sc)
    for tps, arrival in ((0, 1080.0), (1, 1100.0)):
        assert window(day, tps, PREP) == (360.0, 465.0)
        assert window(day, tps, VOTING) == (465.0, 790.0)
        assert window(day, tps, COUNTING) == (790.0, 1030.0)
        assert window(day, tps, TRANSPORT) == (1030.0, arrival)
        assert day.stage_at(tps, 464.9) == PREP
        assert day.stage_at(tps, 465.0) == VOTING
        assert day.stage_at(tps, arrival) == -1  # the TPS is done once its box has left
    ppk = 2
    assert window(day, ppk, RECAP) == (1080.0, 1160.0)
    assert day.stage_at(ppk, 1079.9) == -1
    assert day.stage_at(ppk, 1159.9) == RECAP
    assert day.count_end_at.tolist() == [1030.0, 1030.0]
    assert day.ppk_arrival_at.tolist() == [1080.0, 1100.0]
    assert window(day, 0, STEADY)[1] <= window(day, 0, STEADY)[0]  # no steady stage


def test_on_time_opening_and_no_box_factor():
    """p = 0: opens at 420 whatever the delay; box factor 1: T0 at the PPK 1030 + 15 + 20."""
    sc = election_scenario(late_p=0.0, late=Deterministic(45.0))
    day = day_of(sc)
    assert window(day, 0, VOTING) == (420.0, 790.0)
    assert day.ppk_arrival_at.tolist() == [1065.0, 1075.0]


def test_opening_later_than_the_close_still_has_its_queue():
    """A 400-min delay opens the TPS at 820, after 13:00: voting runs 820 → 820 + 10 = 830
    (the queue), the count 830 → 1070."""
    day = day_of(election_scenario(late_p=1.0, late=Deterministic(400.0)))
    assert window(day, 0, PREP) == (360.0, 820.0)
    assert window(day, 0, VOTING) == (820.0, 830.0)
    assert window(day, 0, COUNTING) == (830.0, 1070.0)


def test_count_deadline_cuts_a_long_count():
    """A 2,000-min count from 790 is cut at the deadline 1200; T0's box leaves then:
    1200 + 15 + 20 = 1235."""
    day = day_of(election_scenario(counting=Deterministic(2000.0), deadline=1200.0))
    assert window(day, 0, COUNTING) == (790.0, 1200.0)
    assert day.ppk_arrival_at.tolist() == [1235.0, 1245.0]


def test_late_opening_share_and_delay_follow_the_configuration():
    """400 TPS × 5 days, p = 0.25, delay Uniform(10, 50) (mean 30, sd 40/√12 = 11.5). The late
    share must be within the 99.99 % binomial interval of 0.25, every delay within [10, 50]
    and their mean within the 99.99 % normal interval of 30. Late opening switched off, or
    always on, or a fixed delay, each fails."""
    sc = election_scenario(late_p=0.25, late=Uniform(10.0, 50.0), n_tps=400)
    opens = np.concatenate([day_of(sc, rep).windows[:400, VOTING, 0] for rep in range(5)])
    delay = opens - 420.0
    late = delay > 0
    z = stats.norm.ppf(1 - 0.0001 / 2)  # 3.89
    n = late.size
    assert abs(late.mean() - 0.25) < z * np.sqrt(0.25 * 0.75 / n)
    assert delay[late].min() >= 10.0
    assert delay[late].max() <= 50.0
    assert abs(delay[late].mean() - 30.0) < z * (40.0 / np.sqrt(12.0)) / np.sqrt(late.sum())
    assert delay[late].std() > 5.0  # drawn, not a constant


def test_voting_incidents_wait_for_a_late_opening():
    """Incidents only in the voting stage, 1 per hour per TPS; both TPS open 60 min late:
    voting 480 → 790, so every incident lies in [480, 790) and there are on average
    2 × 310 / 60 = 10.33 a day; over 40 days the total is Poisson(413.3): inside its 99.99 %
    interval. Ignoring the late opening puts incidents in [420, 480)."""
    sc = election_scenario(late_p=1.0, late=Deterministic(60.0), voting_rate=1.0)
    times = []
    for rep in range(40):
        streams = Streams(3, rep)
        log = generate_incidents(sc, draw_day(sc, streams), streams)
        assert (log.stage == VOTING).all()
        times.append(log.occurred_at)
    t = np.concatenate(times)
    assert t.min() >= 480.0
    assert t.max() < 790.0
    lo, hi = stats.poisson.ppf([0.00005, 0.99995], 40 * 2 * 310 / 60)
    assert lo <= t.size <= hi


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_late_opening_never_or_always(p):
    sc = election_scenario(late_p=p, late=Uniform(10.0, 50.0), n_tps=50)
    opens = day_of(sc).windows[:50, VOTING, 0]
    assert ((opens > 420.0).mean()) == p
