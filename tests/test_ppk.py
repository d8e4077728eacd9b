"""PPK offices at their own positions (ppk.csv), not on the Polsek."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

import pilkadasim
from pilkadasim.config.builders import to_scenario
from pilkadasim.errors import InputError

EXAMPLE = "examples/custom_region"


def test_bangka_ppk_sites_are_the_offices_of_ppk_csv():
    built = to_scenario(pilkadasim.compose([]))
    sites, bases = built.scenario.region.sites, built.scenario.region.bases
    ppk = built.region.ppk
    assert ppk is not None
    assert len(ppk) == len(built.scenario.region.kecamatan)
    minutes = built.scenario.travel.minutes
    for row in ppk.itertuples():
        i = sites.ids.index(f"PPK {row.kecamatan}")
        assert (sites.lat[i], sites.lon[i]) == (row.lat, row.lon)
        polsek = bases.ids.index(f"polsek_{row.ppk_id[4:]}")
        assert (bases.lat[polsek], bases.lon[polsek]) != (row.lat, row.lon)
        assert minutes[polsek, i] > 0  # no longer exactly the mobilisation delay


def test_ppk_csv_with_an_unknown_kecamatan_is_refused(tmp_path):
    folder = tmp_path / "region"
    shutil.copytree(EXAMPLE, folder)
    pd.DataFrame(
        [{"ppk_id": "p1", "kecamatan": "Atlantis", "name": "PPK", "lat": -1.8, "lon": 106.1}]
    ).to_csv(folder / "ppk.csv", index=False)
    cfg = pilkadasim.compose(["region=custom", f"region.dir={folder}"])
    with pytest.raises(InputError, match=r"ppk\.csv: kecamatan Atlantis not in tps\.csv"):
        to_scenario(cfg)
