"""Self-exciting incidents: offspring are added on top of the very same primary incidents."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

import pilkadasim
from micro import micro_scenario, write_equator_region
from pilkadasim.config.builders import to_scenario
from pilkadasim.core.incidents import generate_incidents
from pilkadasim.core.rng import Streams
from pilkadasim.core.scenario import Clustering
from pilkadasim.core.timeline import draw_day


def logs(children_mean: float, reps: int = 12):
    over = ["incidents.rate_scale=5"]
    if children_mean:
        over += [
            "incidents.clustering.enabled=true",
            f"incidents.clustering.children_mean={children_mean}",
        ]
    sc = to_scenario(pilkadasim.compose(over)).scenario
    out = []
    for r in range(reps):
        streams = Streams(9, r)
        out.append((sc, generate_incidents(sc, draw_day(sc, streams), streams)))
    return out


@pytest.mark.slow  # keeps make test-fast under a minute
def test_offspring_come_on_top_of_the_same_primaries():
    plain, clustered = logs(0.0), logs(0.5)
    ratios = []
    for (_, a), (_, b) in zip(plain, clustered, strict=True):
        assert set(a.occurred_at.tolist()) <= set(b.occurred_at.tolist())
        ratios.append(len(b) / max(len(a), 1))
        extra = np.setdiff1d(b.occurred_at, a.occurred_at)
        assert (np.diff(b.occurred_at) >= 0).all()
        assert len(extra) == len(b) - len(a)
    # every primary is kept; how many children survive is checked against the branching
    # theory in test_branching_ratio_doubles_the_incidents (here windows cut many off)
    assert float(np.mean(ratios)) > 1.0


@pytest.mark.slow  # keeps make test-fast under a minute
def test_offspring_sites_are_the_neighbours_within_the_radius(tmp_path):
    """Four TPS on the equator at 106.00, 106.02, 106.04 and 106.10 °E: neighbours are
    0.02° = 2.224 km apart (A-B, B-C), A-C 4.448 km, D 6.7 km from C. Radius 2.5 km:
    A {A, B}, B {A, B, C}, C {B, C}, D {D}; radius 4.5 km: A {A, B, C}, D still alone."""
    folder = write_equator_region(tmp_path / "r", [106.0, 106.02, 106.04, 106.1], 106.1)

    def neighbours(radius):
        cfg = pilkadasim.compose(
            [
                "region=custom",
                f"region.dir={folder}",
                "region.ppk=false",
                "staffing.guard_pattern=none",
                "staffing.reserve_units=1",
                "staffing.placement=polres",
                "staffing.fixed_units.dalmas.count=0",
                "staffing.fixed_units.tni.count=0",
                "incidents.clustering.enabled=true",
                f"incidents.clustering.radius_km={radius}",
            ]
        )
        return [n.tolist() for n in to_scenario(cfg).scenario.incidents.clustering.neighbors]

    assert neighbours(2.5) == [[0, 1], [0, 1, 2], [1, 2], [3]]
    assert neighbours(4.5) == [[0, 1, 2], [0, 1, 2], [0, 1, 2], [3]]


def test_branching_ratio_doubles_the_incidents():
    """Each incident (children too) has Poisson(0.5) children, so a primary heads a cluster of
    1 / (1 − 0.5) = 2 on average (1 + 0.5 = 1.5 if children had no children of their own).
    Steady 150-hour days at one TPS, 2 primaries an hour (~300 a day): children fall past the
    horizon only near its end — a cluster's descendants come on average 60 × 0.5 / 0.5² =
    120 min after their primary, so about 120 / 9,000 = 1.3 % of a primary's one expected
    descendant is lost: E[ratio] ≈ 1.987. The cluster size has variance m / (1 − m)³ = 4, so
    one day's ratio has sd ≈ √(4 / 300) = 0.115; the 99.9 % t-interval of the mean of 20
    days (half-width ≈ 3.9 × 0.115 / √20 = 0.10) must contain 1.987 and exclude 1.5."""
    sc = micro_scenario(rate_per_hour=2.0, hours=150.0)
    clustering = Clustering(True, 0.5, 60.0, neighbors=(np.array([0]),))
    clustered = replace(sc, incidents=replace(sc.incidents, clustering=clustering))
    ratios = []
    for rep in range(20):
        a, b = Streams(4, rep), Streams(4, rep)
        plain = generate_incidents(sc, draw_day(sc, a), a)
        more = generate_incidents(clustered, draw_day(clustered, b), b)
        ratios.append(len(more) / len(plain))
    mean, se = float(np.mean(ratios)), float(np.std(ratios, ddof=1) / np.sqrt(len(ratios)))
    half = stats.t.ppf(1 - 0.001 / 2, len(ratios) - 1) * se
    assert abs(mean - 1.987) < half, (mean, half)
    assert abs(mean - 1.5) > half
