"""Road travel (distance × detour ÷ speed), hour-of-day traffic and rain, worked by hand.

On the equator one degree of longitude is 2π × 6371.0088 / 360 = 111.1951 km, so points
0.1° apart are 11.11951 km apart on the great circle.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest
from scipy import stats

import pilkadasim
from micro import fixed_log, micro_scenario, write_equator_region
from pilkadasim.config.builders import to_scenario
from pilkadasim.core.model import run_replication
from pilkadasim.core.rng import Streams
from pilkadasim.core.scenario import frozen_array
from pilkadasim.core.timeline import draw_day
from pilkadasim.core.travel import RoadPairs, TravelTable, haversine_km, unit_vectors

KM_01 = 11.11951  # 0.1° of longitude on the equator
PER_KM = 1.3 / 40.0 * 60.0  # detour 1.3 at 40 km/h: 1.95 min per straight-line km


def test_great_circle_km_hand_worked():
    assert haversine_km(0.0, 106.0, 0.0, 106.1) == pytest.approx(KM_01, abs=1e-4)
    assert haversine_km(0.0, 106.0, 0.1, 106.0) == pytest.approx(KM_01, abs=1e-4)


def test_road_table_is_km_times_minutes_per_km():
    """Base at 105.9°E, sites at 106.0 and 106.1 (all on the equator): base → sites 0.1°
    and 0.2° = 11.1195 and 22.2390 km → × 1.95 = 21.683 and 43.366 min; site → site 21.683."""
    base = unit_vectors([0.0], [105.9])
    sites = unit_vectors([0.0, 0.0], [106.0, 106.1])
    t = TravelTable(1, 2, RoadPairs(base, sites, PER_KM), RoadPairs(sites, sites, PER_KM))
    expect = [[21.683, 43.366], [0.0, 21.683], [21.683, 0.0]]
    np.testing.assert_allclose(np.asarray(t.dense), expect, atol=1e-3)


def test_configured_road_travel_from_distance_detour_and_speed(tmp_path):
    """travel=road, detour 1.3, reference 40 km/h, Sabhara 45 km/h (speed factor 40/45),
    guards 20 km/h (factor 2): the table holds the reference minutes above, the Sabhara
    drives them × 8/9. A call at A at 100 (report delay 0): mobilisation 5 + 21.683 × 8/9
    = 5 + 19.274 → on scene 124.274; at B: 5 + 43.366 × 8/9 = 5 + 38.548 → 143.548."""
    folder = write_equator_region(tmp_path / "r", [106.0, 106.1], 105.9)
    cfg = pilkadasim.compose(
        [
            "region=custom",
            f"region.dir={folder}",
            "region.ppk=false",
            "timeline=steady",
            "travel=road",
            "travel.detour_factor=1.3",
            "travel.reference_speed_kmh=40",
            "travel.speed_kmh.sabhara=45",
            "travel.speed_kmh.guard=20",
            "travel.rain_probability=0",
            "staffing.guard_pattern=none",
            "staffing.reserve_units=1",
            "staffing.placement=polres",
            "staffing.fixed_units.dalmas.count=0",
            "staffing.fixed_units.tni.count=0",
            "staffing.partners.linmas.enabled=false",  # else Linmas take these minor calls
        ]
    )
    sc = to_scenario(cfg).scenario
    minutes = sc.travel.minutes
    assert minutes[0, 0] == pytest.approx(21.683, abs=1e-3)
    assert minutes[0, 1] == pytest.approx(43.366, abs=1e-3)
    assert minutes[1, 1] == pytest.approx(21.683, abs=1e-3)  # A → B
    assert sc.travel.guard_factor == 2.0
    assert [u.kind for u in sc.units] == ["sabhara"]
    assert sc.units[0].speed_factor == pytest.approx(8 / 9)
    log = fixed_log([100.0, 300.0], sites=[0, 1], delay=[0.0, 0.0])
    rec = run_replication(sc, 0, 1, log=log)
    assert rec.incidents["arrived_at"] == pytest.approx([124.274, 143.548 + 200.0], abs=1e-3)


# ------------------------------------------------------------------ hour of day and rain
def traffic_scenario(rain_probability: float):
    """One TPS 10 min from the base, one unit, no mobilisation; hour 10 (600-660) has traffic
    factor 2; rain (factor 1.5) from 600 to 700 on a rainy day."""
    sc = micro_scenario(minutes=[[10.0], [0.0]], hours=24.0)
    hourly = np.ones(24)
    hourly[10] = 2.0
    travel = replace(
        sc.travel,
        hourly_factor=frozen_array(hourly, float),
        rain_probability=rain_probability,
        rain_from_at=600.0,
        rain_until_at=700.0,
        rain_factor=1.5,
    )
    return replace(sc, travel=travel)


LOG = {"times": [100.0, 610.0, 680.0, 750.0], "handling": [5.0] * 4, "delay": [0.0] * 4}


def test_rainy_day_multiplies_hour_of_day_and_rain():
    """Drive 10 min × factor at dispatch time; each call 5 min on scene.
    100: hour 1, dry hours → 10 → on scene 110.
    610: hour 10 (× 2) in the rain (× 1.5) → 30 → 640; clear 645, home at ×3 = 30 → 675.
    680: hour 11 (× 1), rain → 15 → 695; clear 700, rain over (ends at 700) → home 710.
    750: dry → 760."""
    rec = run_replication(traffic_scenario(1.0), 0, 1, log=fixed_log(**LOG))
    assert rec.incidents["arrived_at"] == [110.0, 640.0, 695.0, 760.0]
    assert rec.incidents["cleared_at"] == [115.0, 645.0, 700.0, 765.0]


def test_dry_day_has_only_the_hour_of_day_factor():
    """610: × 2 → 20 → 630 (clear 635, home 655); 680: × 1 → 690."""
    rec = run_replication(traffic_scenario(0.0), 0, 1, log=fixed_log(**LOG))
    assert rec.incidents["arrived_at"] == [110.0, 630.0, 690.0, 760.0]


def test_return_home_in_rain_delays_the_next_call():
    """Rainy day, one unit: the call at 610 clears at 645 and the unit drives home at × 3
    (30 min → 675). A call at 650 finds it 5/30 of the way home: 1/6 × 10 (base → TPS) +
    5/6 × 0 (scene → TPS) = 1.667 reference minutes × 3 (hour 10, rain) = 5 → on scene 655."""
    log = fixed_log([610.0, 650.0], handling=[5.0, 5.0], delay=[0.0, 0.0])
    rec = run_replication(traffic_scenario(1.0), 0, 1, log=log)
    assert rec.incidents["arrived_at"] == pytest.approx([640.0, 655.0])


def test_rain_comes_on_the_configured_share_of_days():
    """P(rain) 0.6 over 2,000 days (weather stream only): inside the 99.99 % binomial
    interval [0.557, 0.643]; 0.5 or a day that never rains fail."""
    sc = traffic_scenario(0.6)
    rainy = np.array([draw_day(sc, Streams(5, r)).raining for r in range(2000)])
    z = stats.norm.ppf(1 - 0.0001 / 2)
    assert abs(rainy.mean() - 0.6) < z * math.sqrt(0.6 * 0.4 / rainy.size)
