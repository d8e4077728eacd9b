"""docs/reference/outputs.md documents exactly the columns the tables have."""

from __future__ import annotations

import re
from pathlib import Path

DOC = Path(__file__).parent.parent / "docs" / "reference" / "outputs.md"


def documented(section: str) -> list[str]:
    text = DOC.read_text()
    body = text.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z_0-9]+)` \|", body, flags=re.M)


def test_incident_columns_documented(small_results):
    assert documented("incidents.parquet") == list(small_results.incidents.columns)


def test_unit_columns_documented(small_results):
    assert documented("units.parquet") == list(small_results.units.columns)
    assert documented("trips.parquet") == list(small_results.trips.columns)


def test_summary_keys_documented(small_results):
    keys = documented("summary.json")
    assert keys == list(small_results.summary)
