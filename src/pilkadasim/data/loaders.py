"""Region files: read, check and tidy the CSVs of a region (docs/reference/region-files.md).

Like a clerk at the KPU desk checking a form before it is filed: every problem is reported
with the file, the row (as a spreadsheet shows it: the header is row 1) and the column, with
what is allowed — before anything is simulated. Harmless spreadsheet quirks (UTF-8 BOM, CRLF
line ends, ``;`` separators, spaces around values) are accepted and noted.
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pilkadasim.core.scenario import BASE_KINDS, SIGNALS, TPS_CATEGORIES
from pilkadasim.data.checks import duplicate_pairs, id_clashes, read_outlines
from pilkadasim.errors import InputError

PACKAGED = ("bangka",)


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text | float | int | choice
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    required: bool = True


TPS_COLUMNS = (
    Column("tps_id", "text"),
    Column("kecamatan", "text"),
    Column("desa", "text"),
    Column("lat", "float", -90, 90),
    Column("lon", "float", -180, 180),
    Column("voters", "int", 0, 100_000),
    Column("category", "choice", choices=TPS_CATEGORIES),
    Column("signal", "choice", choices=SIGNALS, required=False),  # missing: every TPS good
)
BASE_COLUMNS = (
    Column("base_id", "text"),
    Column("name", "text"),
    Column("kind", "choice", choices=BASE_KINDS),
    Column("lat", "float", -90, 90),
    Column("lon", "float", -180, 180),
)
UNIT_COLUMNS = (
    Column("unit_id", "text"),
    Column("base_id", "text"),
    Column("kind", "text"),
    Column("crew", "int", 1, 1000),
)
TRAVEL_COLUMNS = (
    Column("from_id", "text"),
    Column("to_id", "text"),
    Column("minutes", "float", 0, 10_000),
)
PPK_COLUMNS = (  # optional ppk.csv: where each kecamatan's PPK office is
    Column("ppk_id", "text"),
    Column("kecamatan", "text"),
    Column("name", "text"),
    Column("lat", "float", -90, 90),
    Column("lon", "float", -180, 180),
)
FAR_KM = 100.0  # a base this far from every TPS is almost surely a typo in lat/lon
FAR_TPS_KM = 300.0  # a kabupaten is < 300 km across (the largest in Papua ~250 km)


@dataclass
class RegionData:
    """The tidy tables of one region, with notes on what was accepted while reading."""

    name: str
    tps: pd.DataFrame
    bases: pd.DataFrame
    units: pd.DataFrame | None = None
    travel: pd.DataFrame | None = None
    notes: list[str] = field(default_factory=list)
    outlines: dict[str, Any] | None = None
    ppk: pd.DataFrame | None = None  # ppk.csv if the region has one


def packaged_dir(name: str) -> Path:
    return Path(str(resources.files("pilkadasim.data") / name))


def load_region(
    name: str,
    directory: str | None,
    matrix_file: str | None = None,
    unit_kinds: tuple[str, ...] = (),
) -> RegionData:
    """Read and check a region. ``matrix_file`` is required when given (``travel=matrix``)."""
    if name in PACKAGED:
        folder = packaged_dir(name)
    else:
        if not directory:
            raise InputError(
                "region.dir is not set: give the folder with tps.csv and "
                "bases.csv, e.g. region=custom region.dir=path/to/my_kabupaten"
            )
        folder = Path(directory).expanduser()
        if not folder.is_dir():
            raise InputError(
                f"region.dir: folder {str(folder)!r} does not exist "
                f"(working directory is {Path.cwd()})"
            )
    notes: list[str] = []
    problems: list[str] = []
    tps = read_table(folder / "tps.csv", TPS_COLUMNS, notes, problems, id_column="tps_id")
    bases = read_table(folder / "bases.csv", BASE_COLUMNS, notes, problems, id_column="base_id")
    units = travel = None
    if (folder / "units.csv").exists():
        units = read_table(folder / "units.csv", UNIT_COLUMNS, notes, problems, id_column="unit_id")
    if matrix_file:
        travel = read_table(folder / matrix_file, TRAVEL_COLUMNS, notes, problems)
    ppk = None
    if (folder / "ppk.csv").exists():
        ppk = read_table(folder / "ppk.csv", PPK_COLUMNS, notes, problems, id_column="ppk_id")
    if ppk is not None and tps is not None:
        unknown = sorted(set(ppk["kecamatan"]) - set(tps["kecamatan"]))
        if unknown:
            problems.append(
                f"ppk.csv: kecamatan {', '.join(unknown)} not in tps.csv (known: "
                f"{', '.join(sorted(set(tps['kecamatan'])))})"
            )
    if problems:
        raise InputError(problems)
    assert tps is not None
    assert bases is not None
    if "signal" not in tps.columns:
        tps["signal"] = SIGNALS[0]
    check_references(tps, bases, units, travel, matrix_file, unit_kinds, problems)
    if problems:
        raise InputError(problems)
    outlines = read_outlines(folder / "outlines.json")
    return RegionData(name, tps, bases, units, travel, notes, outlines, ppk)


def read_table(
    path: Path,
    columns: tuple[Column, ...],
    notes: list[str],
    problems: list[str],
    id_column: str | None = None,
) -> pd.DataFrame | None:
    """Read ``path`` as text, accept spreadsheet quirks, check every column and cell."""
    if not path.exists():
        problems.append(
            f"{path}: file not found (needed columns: {', '.join(c.name for c in columns)})"
        )
        return None
    if not path.is_file():
        problems.append(f"{path}: is a folder, not a file; give the {path.name} table there")
        return None
    raw = path.read_bytes()
    text, quirks = _decode(raw)
    if not text.strip():
        problems.append(
            f"{path.name}: the file is empty; expected a header row with "
            f"{', '.join(c.name for c in columns)}"
        )
        return None
    sep = ";" if text.splitlines()[0].count(";") > text.splitlines()[0].count(",") else ","
    if sep == ";":
        quirks.append("';' as separator")
    try:
        frame = pd.read_csv(
            io.StringIO(text),
            sep=sep,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            quoting=csv.QUOTE_MINIMAL,
        )
    except (pd.errors.ParserError, csv.Error) as err:
        detail = str(err).strip().replace("\n", " ")
        problems.append(
            f"{path.name}: cannot be read as a table ({detail}); check for a row "
            "with more cells than the header, or a stray quote character"
        )
        return None
    stripped = frame.rename(columns=lambda c: str(c).strip())
    cells = stripped.apply(lambda col: col.str.strip())
    if not cells.equals(stripped) or list(stripped.columns) != list(frame.columns):
        quirks.append("spaces around values")
    if quirks:
        notes.append(f"{path.name}: accepted {', '.join(quirks)}")
    before = len(problems)
    _check_header(path.name, cells, columns, problems)
    if len(problems) > before:
        return None
    if cells.empty:
        problems.append(f"{path.name}: the file has a header but no data rows")
        return None
    numeric = [c.name for c in columns if c.kind in ("float", "int")]
    if any(cells[n].str.contains(",", regex=False).any() for n in numeric):
        notes.append(f"{path.name}: accepted decimal commas (e.g. -1,86 read as -1.86)")
    out = {
        c.name: _check_column(path.name, cells[c.name], c, problems)
        for c in columns
        if c.name in cells.columns
    }
    table = pd.DataFrame(out)
    if id_column is not None:
        dup = cells[id_column][cells[id_column].duplicated(keep="first")]
        for idx, value in dup.items():
            problems.append(
                f"{path.name}, row {int(idx) + 2}, column {id_column}: duplicate id "
                f"{value!r} (ids must be unique)"
            )
    for extra in [c for c in cells.columns if c not in out]:
        table[extra] = cells[extra]
    return table


def _decode(raw: bytes) -> tuple[str, list[str]]:
    quirks = []
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
        quirks.append("a UTF-8 byte-order mark")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
        quirks.append("Latin-1 text")
    if "\r\n" in text:
        quirks.append("Windows line ends")
        text = text.replace("\r\n", "\n")
    return text, quirks


def _check_header(
    name: str, frame: pd.DataFrame, columns: tuple[Column, ...], problems: list[str]
) -> None:
    present = list(frame.columns)
    for col in columns:
        if col.required and col.name not in present:
            close = difflib.get_close_matches(col.name, present, n=1)
            hint = f" (found {close[0]!r} — misspelled?)" if close else ""
            problems.append(
                f"{name}: missing column {col.name!r}{hint}; the header must "
                f"contain {', '.join(c.name for c in columns if c.required)}"
            )


def _check_column(name: str, values: pd.Series, col: Column, problems: list[str]) -> pd.Series:
    where = [f"{name}, row {int(i) + 2}, column {col.name}" for i in values.index]
    empty = values == ""
    for i in np.flatnonzero(empty.to_numpy()):
        problems.append(f"{where[i]}: empty cell")
    if col.kind == "text":
        return values
    if col.kind == "choice":
        for i in np.flatnonzero((~values.isin(col.choices) & ~empty).to_numpy()):
            problems.append(
                f"{where[i]}: {values.iloc[i]!r} is not allowed; use one of "
                f"{', '.join(col.choices)}"
            )
        return values
    numbers = pd.to_numeric(values.str.replace(",", ".", regex=False), errors="coerce")
    bad = numbers.isna() & ~empty
    for i in np.flatnonzero(bad.to_numpy()):
        problems.append(f"{where[i]}: {values.iloc[i]!r} is not a number")
    if col.kind == "int":
        frac = (numbers % 1 != 0) & numbers.notna()
        for i in np.flatnonzero(frac.to_numpy()):
            problems.append(f"{where[i]}: {values.iloc[i]!r} must be a whole number")
    lo, hi = col.low, col.high
    out_of_range = numbers.notna() & ((numbers < lo) | (numbers > hi))
    for i in np.flatnonzero(out_of_range.to_numpy()):
        hint = " (lat and lon swapped?)" if col.name == "lat" else ""
        problems.append(
            f"{where[i]}: {values.iloc[i]} is outside the allowed range {lo}…{hi}{hint}"
        )
    return numbers


def check_references(
    tps: pd.DataFrame,
    bases: pd.DataFrame,
    units: pd.DataFrame | None,
    travel: pd.DataFrame | None,
    matrix_file: str | None,
    unit_kinds: tuple[str, ...],
    problems: list[str],
) -> None:
    """Cross-file checks: TPS and bases near each other, units at known bases, a complete
    matrix."""
    from pilkadasim.core.travel import haversine_km

    lat0, lon0 = float(tps["lat"].median()), float(tps["lon"].median())
    far = haversine_km(tps["lat"].to_numpy(), tps["lon"].to_numpy(), lat0, lon0)
    for i in np.flatnonzero(far > FAR_TPS_KM):
        problems.append(
            f"tps.csv, row {i + 2}, columns lat/lon: TPS {tps['tps_id'].iloc[i]!r} "
            f"is {far[i]:.0f} km from the middle of the region — check lat/lon "
            "(swapped, or a sign lost?)"
        )

    km = nearest_km(bases, tps)  # linear: a tree, not a bases × TPS table
    for i in np.flatnonzero(km > FAR_KM):
        problems.append(
            f"bases.csv, row {i + 2}: base {bases['base_id'].iloc[i]!r} is "
            f"{km[i]:.0f} km from the nearest TPS — check lat/lon (swapped?)"
        )
    if units is not None:
        known = set(bases["base_id"])
        for row, (b, kind) in enumerate(zip(units["base_id"], units["kind"], strict=True)):
            if b not in known:
                problems.append(
                    f"units.csv, row {row + 2}, column base_id: unknown base {b!r}; "
                    f"bases.csv has {', '.join(sorted(known))}"
                )
            if unit_kinds and kind not in unit_kinds:
                problems.append(
                    f"units.csv, row {row + 2}, column kind: {kind!r} is not a "
                    f"unit kind; use one of {', '.join(unit_kinds)}"
                )
    id_clashes(tps, bases, problems)
    if travel is not None:
        duplicate_pairs(travel, matrix_file or "travel_minutes.csv", problems)
        _check_matrix(travel, tps, bases, matrix_file or "travel_minutes.csv", problems)


def nearest_km(points: pd.DataFrame, tps: pd.DataFrame) -> np.ndarray:
    """Great-circle km from each point to its nearest TPS (a k-d tree on the unit sphere)."""
    from scipy.spatial import cKDTree

    from pilkadasim.core.travel import haversine_km, unit_vectors

    tree = cKDTree(unit_vectors(tps["lat"], tps["lon"]))
    _, idx = tree.query(unit_vectors(points["lat"], points["lon"]))
    idx = np.asarray(idx, dtype=np.int64)
    lat, lon = tps["lat"].to_numpy(float)[idx], tps["lon"].to_numpy(float)[idx]
    return haversine_km(points["lat"].to_numpy(float), points["lon"].to_numpy(float), lat, lon)


def _check_matrix(
    travel: pd.DataFrame, tps: pd.DataFrame, bases: pd.DataFrame, name: str, problems: list[str]
) -> None:
    ids = set(tps["tps_id"]) | set(bases["base_id"])
    for col in ("from_id", "to_id"):
        for i in np.flatnonzero(~travel[col].isin(ids).to_numpy()):
            problems.append(
                f"{name}, row {i + 2}, column {col}: unknown id "
                f"{travel[col].iloc[i]!r} (not in tps.csv or bases.csv)"
            )
    have = set(zip(travel["from_id"], travel["to_id"], strict=True))
    missing = [(b, t) for b in bases["base_id"] for t in tps["tps_id"] if (b, t) not in have]
    if missing:
        shown = ", ".join(f"{b}→{t}" for b, t in missing[:5])
        problems.append(
            f"{name}: incomplete — {len(missing)} base→TPS pairs have no minutes "
            f"(e.g. {shown}); every base needs a row to every TPS"
        )
