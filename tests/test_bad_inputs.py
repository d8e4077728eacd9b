"""Bad region files: one clear message naming file, row and column, before anything runs.

Each case mutates a copy of ``examples/custom_region``; spreadsheet quirks whose meaning is
unambiguous are accepted and reported. A Hypothesis test mutates the files at random: every
outcome must be a valid run or an InputError — never any other exception.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pilkadasim
from pilkadasim.config.builders import to_scenario
from pilkadasim.core import run_replication
from pilkadasim.errors import InputError

EXAMPLE = Path(__file__).parent.parent / "examples" / "custom_region"
BASE = ["region=custom", "run.replications=2", "run.workers=1", "run.progress=false"]


def region(tmp: Path) -> Path:
    d = tmp / "region"
    if d.exists():
        shutil.rmtree(d)
    shutil.copytree(EXAMPLE, d)
    return d


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, count))


def build(d: Path, *extra: str):
    return to_scenario(pilkadasim.compose([*BASE, f"region.dir={d}", *extra]))


def line(path: Path, n: int) -> str:
    return path.read_text().splitlines()[n - 1]


CASES = {
    "misspelled column": (
        "tps.csv",
        "voters,category",
        "voter,category",
        "tps.csv: missing column 'voters' (found 'voter' — misspelled?)",
    ),
    "not a number": (
        "tps.csv",
        "-2.62314",
        "-2.6x",
        "tps.csv, row 2, column lat: '-2.6x' is not a number",
    ),
    "empty cell": ("tps.csv", ",474,", ",,", "tps.csv, row 2, column voters: empty cell"),
    "duplicate id": ("tps.csv", "CTH-002,", "CTH-001,", "column tps_id: duplicate id 'CTH-001'"),
    "latitude out of range": ("tps.csv", "-2.62314", "-95.0", "outside the allowed range -90…90"),
    "swapped lat/lon": (
        "tps.csv",
        "-2.62314,106.37553",
        "106.37553,-2.62314",
        "106.37553 is outside the allowed range -90…90 (lat and lon swapped?)",
    ),
    "sign lost": (
        "tps.csv",
        "-2.62314",
        "2.62314",
        "TPS 'CTH-001' is 582 km from the middle of the region — check lat/lon",
    ),
    "unknown category": (
        "tps.csv",
        "kurang_rawan",
        "aman",
        "'aman' is not allowed; use one of kurang_rawan, rawan",
    ),
    "fractional voters": ("tps.csv", ",474,", ",474.5,", "'474.5' must be a whole number"),
    "negative voters": ("tps.csv", ",474,", ",-4,", "column voters: -4 is outside the allowed"),
    "unknown base kind": (
        "bases.csv",
        ",polsek,",
        ",police,",
        "'police' is not allowed; use one of polres",
    ),
    "base far away": (
        "bases.csv",
        "-2.6010,106.4010",
        "2.6010,106.4010",
        "base 'polsek_pesisir' is 576 km from the nearest TPS",
    ),
    "empty file": ("tps.csv", None, "", "tps.csv: the file is empty"),
    "header only": (
        "tps.csv",
        None,
        "tps_id,kecamatan,desa,lat,lon,voters,category\n",
        "tps.csv: the file has a header but no data rows",
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_file_gives_clear_message(tmp_path, case):
    name, old, new, expect = CASES[case]
    d = region(tmp_path)
    if old is None:
        (d / name).write_text(new)
    else:
        edit(d / name, old, new)
    with pytest.raises(InputError) as err:
        build(d)
    assert expect in str(err.value)


def test_units_file_problems(tmp_path):
    d = region(tmp_path)
    (d / "units.csv").write_text(
        "unit_id,base_id,kind,crew\nU1,polsek_nowhere,sabhara,4\n"
        "U2,polres_contoh,tank,4\nU3,polres_contoh,sabhara,0\n"
    )
    with pytest.raises(InputError) as err:
        build(d)
    text = str(err.value)
    assert "units.csv, row 4, column crew: 0 is outside the allowed range 1…1000" in text
    # the cross-file checks come after the per-cell ones are fixed
    (d / "units.csv").write_text(
        "unit_id,base_id,kind,crew\nU1,polsek_nowhere,sabhara,4\nU2,polres_contoh,tank,4\n"
    )
    with pytest.raises(InputError) as err:
        build(d)
    text = str(err.value)
    assert "units.csv, row 2, column base_id: unknown base 'polsek_nowhere'" in text
    assert "units.csv, row 3, column kind: 'tank' is not a unit kind" in text


def test_incomplete_travel_matrix(tmp_path):
    d = region(tmp_path)
    lines = (d / "travel_minutes.csv").read_text().splitlines()
    (d / "travel_minutes.csv").write_text(
        "\n".join([*lines[:-3], "polres_contoh,CTH-999,5"]) + "\n"
    )
    with pytest.raises(InputError) as err:
        build(d, "travel=matrix")
    text = str(err.value)
    assert "unknown id 'CTH-999'" in text
    assert "incomplete — 3 base→TPS pairs have no minutes" in text


def test_missing_files_and_folder(tmp_path):
    d = region(tmp_path)
    (d / "bases.csv").unlink()
    with pytest.raises(InputError, match=r"bases.csv: file not found"):
        build(d)
    with pytest.raises(InputError, match="does not exist"):
        build(tmp_path / "nowhere")


def test_spreadsheet_quirks_are_accepted_and_reported(tmp_path):
    d = region(tmp_path)
    text = (d / "tps.csv").read_text().replace(",", ";").replace("-2.62314", "-2,62314")
    text = text.replace("CTH-001;", " CTH-001 ; ")
    (d / "tps.csv").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    built = build(d)
    notes = " ".join(built.region.notes)
    for quirk in (
        "byte-order mark",
        "Windows line ends",
        "';' as separator",
        "spaces around values",
        "decimal commas",
    ):
        assert quirk in notes, quirk
    assert built.region.tps["tps_id"].iloc[0] == "CTH-001"
    assert built.region.tps["lat"].iloc[0] == pytest.approx(-2.62314)


@pytest.mark.slow
def test_cli_bad_file_exit_2_no_traceback(tmp_path):
    d = region(tmp_path)
    edit(d / "tps.csv", "kurang_rawan", "aman")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pilkadasim",
            "region=custom",
            f"region.dir={d}",
            f"hydra.run.dir={tmp_path / 'out'}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert "tps.csv, row 2, column category" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "incidents.parquet").exists()


# ----------------------------------------------------------------------- property test
CELLS = st.sampled_from(
    [
        "",
        "abc",
        "-1",
        "0",
        "1e9",
        " 12 ",
        "nan",
        "rawan",
        "polsek",
        "-2.6",
        "106.4",
        "CTH-001",
        "x,y",
        '"',
        "600",
        "1.5",
    ]
)


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@pytest.mark.slow
@given(data=st.data())
def test_random_mutations_give_a_run_or_a_clear_error(tmp_path, data):
    d = region(tmp_path)
    name = data.draw(st.sampled_from(["tps.csv", "bases.csv"]))
    rows = [r.split(",") for r in (d / name).read_text().splitlines()]
    for _ in range(data.draw(st.integers(1, 3))):
        kind = data.draw(st.sampled_from(["cell", "drop_row", "dup_row", "drop_col"]))
        if kind == "cell":
            r = data.draw(st.integers(0, len(rows) - 1))
            c = data.draw(st.integers(0, len(rows[r]) - 1))
            rows[r][c] = data.draw(CELLS)
        elif kind == "drop_row" and len(rows) > 1:
            rows.pop(data.draw(st.integers(1, len(rows) - 1)))
        elif kind == "dup_row" and len(rows) > 1:
            rows.append(list(rows[data.draw(st.integers(1, len(rows) - 1))]))
        elif kind == "drop_col":
            c = data.draw(st.integers(0, len(rows[0]) - 1))
            rows = [r[:c] + r[c + 1 :] for r in rows]
    (d / name).write_text("\n".join(",".join(r) for r in rows) + "\n")
    try:
        built = build(d, "staffing.personnel_total=60")
    except InputError as err:
        message = str(err)
    else:
        run_replication(built.scenario, 0, 1)
        return
    assert message.strip()
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["staffing.reserve_unitz=3"], "'staffing.reserve_unitz' is not a setting (misspelt?)"),
        (["staffing.reserve_units=abc"], "staffing.reserve_units=abc: Value 'abc'"),
        (["experiment=reserve_swep"], "no experiment named 'reserve_swep'; choose one of: "),
        (["-m", "dispatch=nearest,fastest"], "no dispatch named 'fastest'; choose one of: "),
        (["-m", "staffing.reserve_units=2,4,x"], "staffing.reserve_units=x: Value 'x'"),
    ],
)
@pytest.mark.slow  # keeps make test-fast under a minute
def test_cli_bad_override_is_one_line_exit_2(tmp_path, args, message):
    """A misspelt key, a wrong type or an unknown option (also inside a sweep) is one line and
    exit status 2 before anything runs: no Hydra report, no job folder."""
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "pilkadasim", *args, f"hydra.run.dir={out}"]
    proc = subprocess.run([*cmd, f"hydra.sweep.dir={out}"], capture_output=True, text=True)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("pilkadasim: bad input — configuration: ")
    assert message in lines[0]
    assert not out.exists()
