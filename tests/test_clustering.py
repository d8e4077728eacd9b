"""Self-exciting incidents: offspring are added on top of the very same primary incidents."""

from __future__ import annotations

import numpy as np

import pilkadasim
from pilkadasim.config.builders import to_scenario
from pilkadasim.core.incidents import generate_incidents
from pilkadasim.core.rng import Streams
from pilkadasim.core.timeline import draw_day


def logs(children_mean: float, reps: int = 40):
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


def test_offspring_come_on_top_of_the_same_primaries():
    plain, clustered = logs(0.0), logs(0.5)
    ratios = []
    for (_, a), (_, b) in zip(plain, clustered, strict=True):
        assert set(a.occurred_at.tolist()) <= set(b.occurred_at.tolist())
        ratios.append(len(b) / max(len(a), 1))
        extra = np.setdiff1d(b.occurred_at, a.occurred_at)
        assert (np.diff(b.occurred_at) >= 0).all()
        assert len(extra) == len(b) - len(a)
    # a branching ratio of 0.5 doubles the incidents, less the children that fall outside
    # every stage window (e.g. after the count)
    assert 1.3 < float(np.mean(ratios)) < 2.05


def test_offspring_sites_are_the_neighbours_within_the_radius():
    """Children land on sites within clustering.radius_km of their parent."""
    from pilkadasim.core.travel import haversine_km

    cfg = pilkadasim.compose(
        ["incidents.clustering.enabled=true", "incidents.clustering.radius_km=2.5"]
    )
    sc = to_scenario(cfg).scenario
    s = sc.region.sites
    for i in (0, 100, 200, len(s) - 1):
        km = haversine_km(s.lat[i], s.lon[i], s.lat, s.lon)
        assert sc.incidents.clustering.neighbors[i].tolist() == np.flatnonzero(km <= 2.5).tolist()
