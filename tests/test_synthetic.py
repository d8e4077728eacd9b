"""The synthetic region: reproducible, split into kabupaten above 2,000 TPS, each with its own
random streams; a multi-region run gives the same tables for any worker count."""

from __future__ import annotations

import pandas as pd
import pytest

import pilkadasim
from pilkadasim.data.synthetic import Generator, country, region_data

GEN = Generator.from_config(pilkadasim.compose(["region=synthetic"]).region.generator)


def test_country_is_reproducible_and_sums_up():
    a, b = country(50_000, 3, GEN), country(50_000, 3, GEN)
    assert a == b
    assert sum(a.sizes) == 50_000
    assert len(a) > 1
    assert len(country(GEN.region_max_tps, 3, GEN)) == 1
    pd.testing.assert_frame_equal(region_data(a, 5).tps, region_data(b, 5).tps)


def test_region_data_is_well_formed():
    data = region_data(country(1_200, 1, GEN), 0)
    tps = data.tps
    assert len(tps) == 1_200
    assert tps["tps_id"].is_unique
    assert set(tps["category"]) <= {"kurang_rawan", "rawan", "sangat_rawan", "khusus"}
    assert (data.bases["kind"] == "polsek").sum() == tps["kecamatan"].nunique()


@pytest.mark.slow
def test_multi_region_run_is_reproducible_and_independent_of_workers():
    over = ["region=synthetic", "region.tps=6000", "run.replications=3", "run.progress=false"]
    one = pilkadasim.simulate(pilkadasim.compose([*over, "run.workers=1"]))
    two = pilkadasim.simulate(pilkadasim.compose([*over, "run.workers=2"]))
    pd.testing.assert_frame_equal(one.incidents, two.incidents)
    regions = one.incidents["tps_id"].astype(str).str[:4]
    assert regions.nunique() > 1
    # each kabupaten has its own streams: their incident times differ
    firsts = one.incidents.groupby(regions)["occurred_at"].min()
    assert firsts.nunique() == len(firsts)
