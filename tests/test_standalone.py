"""The repository stands alone: no file points outside it, and the documents that config
comments, the report and the region loader name exist and cover what they claim."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).parent.parent
SECTION = "\u00a7"  # written as an escape so this file does not match its own pattern
OUTSIDE = re.compile(r"\.\./shared|FACTS\.md|METHODS\.md|DESIGN\.md|(?:FACTS|DESIGN) " + SECTION)


def tracked_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    return [ROOT / name for name in out.split("\0") if name]


def test_no_file_refers_outside_the_repository():
    bad = []
    for path in tracked_files():
        if path.suffix in {".geojson", ".parquet", ".png"} or not path.is_file():
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8", errors="ignore").splitlines()):
            if OUTSIDE.search(line):
                bad.append(f"{path.relative_to(ROOT)}:{i + 1}: {line.strip()[:80]}")
    assert not bad, "references outside the repository:\n" + "\n".join(bad)


def test_licence_files_exist():
    assert "MIT License" in (ROOT / "LICENSE").read_text()
    assert "MIT License" in (ROOT / "data" / "geo" / "LICENSE-wilayah_boundaries").read_text()


def test_region_files_reference_documents_every_column():
    from pilkadasim.data import loaders

    doc = (ROOT / "docs" / "reference" / "region-files.md").read_text()
    columns = [
        c.name
        for group in ("TPS_COLUMNS", "BASE_COLUMNS", "UNIT_COLUMNS", "TRAVEL_COLUMNS")
        for c in getattr(loaders, group)
    ]
    for name in [*columns, "ppk_id", "signal", "ppk.csv", "units.csv", "travel_minutes.csv"]:
        assert f"`{name}`" in doc, f"docs/reference/region-files.md does not document {name}"


def test_config_comments_cite_sections_that_exist():
    sections = set(re.findall(r"^## §(\d+)", (ROOT / "docs" / "sources.md").read_text(), re.M))
    files = [*(ROOT / "conf").rglob("*.yaml"), *(ROOT / "experiments").glob("*.yaml")]
    assert len(files) > 10, "the configuration folders conf/ and experiments/ were not found"
    cited_any = False
    for path in files:
        for cited in re.findall(r"§(\d+)", path.read_text()):
            cited_any = True
            assert cited in sections, f"{path.name} cites sources §{cited}, not in docs/sources.md"
    assert cited_any, "no configuration file cites docs/sources.md: the pattern is stale"
