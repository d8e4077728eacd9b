"""Nothing silently stale: provenance, verified resume, loud failures, linear travel tables,
the probes of docs/reliability.md. One small finished sweep (module fixture) is copied and
tampered with for the aggregation checks; the command-line cases run the real command."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from omegaconf import OmegaConf

import pilkadasim
from pilkadasim.config.builders import to_scenario
from pilkadasim.core import run_replication
from pilkadasim.core.travel import TravelTable
from pilkadasim.errors import InputError

EXAMPLE = Path(__file__).parent.parent / "examples" / "custom_region"
QUIET = [
    "run.replications=10",
    "run.workers=1",
    "run.progress=false",
    "report.figures=false",
    "report.html=false",
]


def pilkadasim_cmd(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "pilkadasim", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )


def copy_region(tmp: Path) -> Path:
    d = tmp / "region"
    shutil.copytree(EXAMPLE, d)
    return d


def edit_category(region: Path) -> None:
    path = region / "tps.csv"
    lines = path.read_text().splitlines()
    lines[1] = lines[1].replace("kurang_rawan", "sangat_rawan")
    path.write_text("\n".join(lines) + "\n")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """A finished two-job sweep of the example custom region."""
    tmp = tmp_path_factory.mktemp("sweep")
    reg = copy_region(tmp)
    out = tmp / "sw"
    proc = pilkadasim_cmd(
        "-m",
        "staffing.reserve_units=2,4",
        "region=custom",
        f"region.dir={reg}",
        *QUIET,
        f"hydra.sweep.dir={out}",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def copy_sweep(sweep: Path, tmp: Path) -> Path:
    out = tmp / "copy"
    shutil.copytree(sweep, out)
    return out


# ---------------------------------------------------------------------------- 1. provenance
@pytest.mark.slow
def test_edited_csv_reruns_into_the_same_folder(tmp_path):
    reg, out = copy_region(tmp_path), tmp_path / "run"
    args = ["region=custom", f"region.dir={reg}", *QUIET, f"hydra.run.dir={out}"]
    assert pilkadasim_cmd(*args).returncode == 0
    summary = json.loads((out / "summary.json").read_text())
    digest = hashlib.sha256((reg / "tps.csv").read_bytes()).hexdigest()
    assert summary["provenance"]["inputs"]["tps.csv"] == digest
    assert summary["provenance"]["version"] == pilkadasim.__version__
    edit_category(reg)
    again = pilkadasim_cmd(*args)
    assert again.returncode == 0
    assert "berkas masukan berubah (tps.csv)" in again.stdout
    assert "dilewati" not in again.stdout
    new = json.loads((out / "summary.json").read_text())["provenance"]
    assert new["inputs"]["tps.csv"] != digest
    assert new["config_hash"] != summary["provenance"]["config_hash"]


@pytest.mark.slow
def test_rerun_from_a_saved_run_says_which_inputs_changed(tmp_path):
    """Rerunning a saved run (--config-path <run>/.hydra) after an input edit must say so:
    the numbers will differ from the saved ones."""
    reg, first = copy_region(tmp_path), tmp_path / "run"
    args = ["region=custom", f"region.dir={reg}", *QUIET, f"hydra.run.dir={first}"]
    assert pilkadasim_cmd(*args).returncode == 0
    saved = ["--config-path", str(first / ".hydra"), "--config-name", "config"]
    same = pilkadasim_cmd(*saved, f"hydra.run.dir={tmp_path / 'same'}")
    assert same.returncode == 0
    assert "berkas masukan berubah" not in same.stderr
    edit_category(reg)
    again = pilkadasim_cmd(*saved, f"hydra.run.dir={tmp_path / 'again'}")
    assert again.returncode == 0
    assert f"berkas masukan berubah sejak run tersimpan {first} (tps.csv)" in again.stderr


# ---------------------------------------------------------------------------- 2. resume
@pytest.mark.slow
def test_second_sweep_into_a_busy_folder_is_refused(tmp_path):
    out = tmp_path / "sw"
    out.mkdir()
    lock = {"pid": os.getpid(), "host": os.uname().nodename, "id": "other", "since": 0}
    (out / ".sweep.lock").write_text(json.dumps(lock))
    proc = pilkadasim_cmd("-m", "staffing.reserve_units=2,4", *QUIET, f"hydra.sweep.dir={out}")
    assert proc.returncode != 0
    assert f"another sweep (process {os.getpid()}" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (out / "0").exists()


def test_stale_lock_of_a_dead_process_is_taken_over(tmp_path):
    from pilkadasim.sweep.resume import LOCK_FILE, start_sweep, sweep_still_mine

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    (tmp_path / LOCK_FILE).write_text(
        json.dumps({"pid": int(dead), "host": os.uname().nodename, "id": "old"})
    )
    (tmp_path / ".x.csv.abc.tmp").write_text("half")  # an interrupted write
    sid = start_sweep(tmp_path, 2, "pilkadasim -m …")
    assert sweep_still_mine(tmp_path, sid)
    assert not sweep_still_mine(tmp_path, "old")  # an orphaned job of the old sweep
    assert not (tmp_path / ".x.csv.abc.tmp").exists()


def test_orphaned_job_does_not_mark_complete(tmp_path):
    """A worker whose sweep process died must not leave a trusted marker."""
    from pilkadasim.sweep.resume import LOCK_FILE, sweep_still_mine

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    (tmp_path / LOCK_FILE).write_text(
        json.dumps({"pid": int(dead), "host": os.uname().nodename, "id": "s1"})
    )
    assert not sweep_still_mine(tmp_path, "s1")


@pytest.mark.slow
def test_aggregation_leaves_out_jobs_of_another_sweep(sweep, tmp_path):
    from pilkadasim.sweep.aggregate import aggregate

    out = copy_sweep(sweep, tmp_path)
    marker = (out / "1" / ".complete").read_text().split()
    (out / "1" / ".complete").write_text(f"{marker[0]} someothersweep\n")
    said: list[str] = []
    table = aggregate(out, warn=said.append)
    assert list(table["job"]) == ["0"]
    assert any("left out job(s) 1" in m for m in said)
    assert any("only 1 of 2 jobs finished" in m for m in said)
    with pytest.raises(InputError, match="only 1 of 2 jobs"):
        aggregate(out, strict=True)


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ("parquet", "incidents.parquet cannot be read"),
        ("config", "disagree"),
        ("inputs", "simulated other input files"),
        ("summary", "cannot be read"),
    ],
)
@pytest.mark.slow
def test_aggregation_refuses_stale_or_broken_jobs(sweep, tmp_path, tamper, message):
    from pilkadasim.sweep.aggregate import aggregate

    out = copy_sweep(sweep, tmp_path)
    job = out / "1"
    if tamper == "parquet":
        data = (job / "incidents.parquet").read_bytes()
        (job / "incidents.parquet").write_bytes(data[: len(data) // 2])
    elif tamper == "config":
        cfg = OmegaConf.load(job / ".hydra" / "config.yaml")
        cfg.run.seed = 99
        OmegaConf.save(cfg, job / ".hydra" / "config.yaml")
    elif tamper == "inputs":  # a job run, consistently, on other files
        from pilkadasim.api import config_hash

        s = json.loads((job / "summary.json").read_text())
        s["provenance"]["inputs"]["tps.csv"] = "0" * 64
        cfg = OmegaConf.load(job / ".hydra" / "config.yaml")
        s["provenance"]["config_hash"] = stamp = config_hash(cfg, s["provenance"]["inputs"])
        (job / "summary.json").write_text(json.dumps(s))
        sid = (job / ".complete").read_text().split()[1]
        (job / ".complete").write_text(f"{stamp} {sid}\n")
    else:
        text = (job / "summary.json").read_text()
        (job / "summary.json").write_text(text[: len(text) // 2])
    with pytest.raises(InputError, match=message):
        aggregate(out)


@pytest.mark.slow
def test_failed_aggregation_exits_non_zero(sweep, tmp_path):
    from pilkadasim.cli.report import main
    from pilkadasim.sweep.aggregate import AggregateSweep

    out = copy_sweep(sweep, tmp_path)
    data = (out / "0" / "incidents.parquet").read_bytes()
    (out / "0" / "incidents.parquet").write_bytes(data[:100])
    assert main([str(out)]) == 2
    cfg = OmegaConf.create({"hydra": {"sweep": {"dir": str(out)}, "overrides": {"task": []}}})
    with pytest.raises(SystemExit, match="sweep aggregation failed — job 0"):
        AggregateSweep().on_multirun_end(cfg)


@pytest.mark.slow
def test_killed_sweep_edited_and_resumed_reruns_the_affected_jobs(tmp_path):
    """Kill after job 0, edit tps.csv, resume: job 0 is redone on the new file and the table
    equals a fresh sweep on the new file."""
    import signal
    import time

    reg = copy_region(tmp_path)
    sweep_args = ["-m", "staffing.reserve_units=2,4,6", "region=custom", f"region.dir={reg}"]
    broken, fresh = tmp_path / "broken", tmp_path / "fresh"
    cmd = [sys.executable, "-m", "pilkadasim", *sweep_args, *QUIET, f"hydra.sweep.dir={broken}"]
    proc = subprocess.Popen(
        cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    deadline = time.time() + 120
    while not (broken / "0" / ".complete").exists():
        assert time.time() < deadline
        assert proc.poll() is None
        time.sleep(0.02)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    edit_category(reg)
    again = pilkadasim_cmd(*sweep_args, *QUIET, f"hydra.sweep.dir={broken}")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "berkas masukan berubah (tps.csv)" in again.stdout
    assert "dilewati" not in again.stdout
    full = pilkadasim_cmd(*sweep_args, *QUIET, f"hydra.sweep.dir={fresh}")
    assert full.returncode == 0
    assert (broken / "sweep_summary.csv").read_text() == (fresh / "sweep_summary.csv").read_text()


# ---------------------------------------------------------------------------- 3. exit codes
def sweep_config(out: Path, *overrides: str):  # type: ignore[no-untyped-def]
    """The configuration Hydra hands the sweep callbacks (sweep folder, no sweep values)."""
    cfg = OmegaConf.create(OmegaConf.to_container(pilkadasim.compose(list(overrides))))
    hydra = {"sweep": {"dir": str(out)}, "run": {"dir": str(out)}, "overrides": {"task": []}}
    return OmegaConf.merge(cfg, {"hydra": hydra})


def test_clashing_report_settings_stop_the_sweep_before_any_job(tmp_path):
    from pilkadasim.sweep.aggregate import AggregateSweep

    out = tmp_path / "sw"
    cfg = sweep_config(out, "report.decision_target_min=20")
    with pytest.raises(
        SystemExit, match=r"decision_target_min = 20\.0: must be one of report\.targets"
    ):
        AggregateSweep().on_multirun_start(cfg)
    assert not out.exists()  # refused before the folder, the lock or any job


# ---------------------------------------------------------------------------- 4. rates
def test_group_rates_divide_by_all_replications():
    from pilkadasim.analysis.metrics import breakdown

    inc = pd.DataFrame(
        {
            "replication": [0, 0, 1],
            "category": ["rawan", "rawan", "khusus"],
            "response_min": [5.0, 7.0, 9.0],
        }
    )
    out = breakdown(inc, "category", [10.0], 10)  # 10 days, incidents only on days 0 and 1
    assert out["rawan"]["incidents_per_day"] == pytest.approx(0.2)
    assert out["khusus"]["incidents_per_day"] == pytest.approx(0.1)


# ---------------------------------------------------------------------------- 5. scale
def lazy_copy(table: TravelTable) -> TravelTable:
    return TravelTable(table.n_bases, table.n_sites, table.base_pairs, table.pairs, dense=False)


@pytest.mark.parametrize("travel", ["road", "matrix", "zero"])
def test_lazy_travel_table_equals_the_full_table_to_the_bit(travel):
    ov = ["region=custom", f"region.dir={EXAMPLE}", f"travel={travel}"]
    table = to_scenario(pilkadasim.compose(ov)).scenario.travel.minutes
    assert isinstance(table, TravelTable)
    assert table.dense is not None
    lazy = lazy_copy(table)
    n0, n1 = table.shape
    nodes, sites = np.repeat(np.arange(n0), n1), np.tile(np.arange(n1), n0)
    assert np.array_equal(lazy[nodes, sites].reshape(table.shape), table.dense)
    assert all(lazy[i, j] == table.dense[i, j] for i in range(n0) for j in range(n1))
    assert np.array_equal(np.asarray(lazy[:, 3]), table.dense[:, 3])
    assert not np.isnan(table.dense).any()


def test_replications_identical_with_the_lazy_table():
    import dataclasses

    built = to_scenario(pilkadasim.compose(["run.workers=1"]))
    sc = built.scenario
    lazy = dataclasses.replace(
        sc, travel=dataclasses.replace(sc.travel, minutes=lazy_copy(sc.travel.minutes))
    )
    for r in range(3):
        a, b = run_replication(sc, r, 2024), run_replication(lazy, r, 2024)
        assert a.incidents == b.incidents
        assert a.units == b.units


@pytest.mark.slow
def test_large_region_keeps_no_sites_by_sites_table(tmp_path):
    """6,000 TPS: a full table would take 6,100 × 6,000 × 8 B = 290 MB; building the scenario
    and running a replication must stay far below that."""
    import tracemalloc

    from pilkadasim.data.synthetic import Country, Generator, region_data

    gen = Generator.from_config(pilkadasim.compose(["region=synthetic"]).region.generator)
    data = region_data(Country(3, (6000,), ((-2.1, 106.1),), gen), 0)
    folder = tmp_path / "big"
    folder.mkdir()
    data.tps.to_csv(folder / "tps.csv", index=False)
    data.bases.to_csv(folder / "bases.csv", index=False)
    cfg = pilkadasim.compose(["region=custom", f"region.dir={folder}", "staffing.reserve_units=40"])
    tracemalloc.start()
    built = to_scenario(cfg)
    run_replication(built.scenario, 0, 1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert built.scenario.travel.minutes.dense is None  # computed on demand
    assert peak < 60e6, f"peak {peak / 1e6:.0f} MB"


def test_absurd_incident_volume_is_refused_with_the_count():
    with pytest.raises(InputError, match=r"about [\d,]+ incidents per replication expected"):
        to_scenario(pilkadasim.compose(["incidents.rate_scale=1e6"]))


# ---------------------------------------------------------------------------- 6-7. probes
def build(reg: Path, *extra: str):  # type: ignore[no-untyped-def]
    return to_scenario(pilkadasim.compose(["region=custom", f"region.dir={reg}", *extra]))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_duplicate_travel_pair_is_refused(tmp_path):
    reg = copy_region(tmp_path)
    with (reg / "travel_minutes.csv").open("a") as fh:
        fh.write("polres_contoh,CTH-001,99\n")
    with pytest.raises(InputError, match=r"polres_contoh' → 'CTH-001' is given twice"):
        build(reg, "travel=matrix")


def test_tps_id_equal_to_a_base_id_is_refused(tmp_path):
    reg = copy_region(tmp_path)
    replace_in(reg / "tps.csv", "CTH-001,", "polsek_bukit,")
    with pytest.raises(InputError, match=r"tps\.csv, row 2, column tps_id: 'polsek_bukit' is also"):
        build(reg)


def test_tps_id_equal_to_a_ppk_id_is_refused(tmp_path):
    reg = copy_region(tmp_path)
    replace_in(reg / "tps.csv", "CTH-001,", "PPK Pesisir,")
    with pytest.raises(InputError, match="generated PPK office"):
        build(reg)


def test_switching_off_tni_needs_no_kodim(tmp_path):
    reg = copy_region(tmp_path)
    replace_in(
        reg / "bases.csv", "kodim_contoh,Kodim Contoh,kodim,", "koramil_x,Koramil X,koramil,"
    )
    with pytest.raises(InputError, match="no base 'kodim'"):
        build(reg)
    built = build(reg, "staffing.fixed_units.tni.count=0")
    assert "tni" not in set(built.units["kind"])


def test_tps_csv_that_is_a_folder(tmp_path):
    reg = copy_region(tmp_path)
    (reg / "tps.csv").unlink()
    (reg / "tps.csv").mkdir()
    with pytest.raises(InputError, match=r"tps\.csv: is a folder, not a file"):
        build(reg)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "not valid JSON"),
        ('{"kecamatan": [{"name": "A"}]}', r"kecamatan\[0\]: expected an object with a 'rings'"),
        ('{"kecamatan": [{"name": "A", "rings": [[[1, 2, 3]]]}]}', "each point is"),
        ('{"desa": [{"rings": [[[1, 2]], "x"]}]}', r"desa\[0\]: ring 1 is not"),
        ("[1, 2]", "expected an object"),
    ],
)
def test_malformed_outlines_are_refused_before_the_run(tmp_path, text, message):
    reg = copy_region(tmp_path)
    (reg / "outlines.json").write_text(text)
    with pytest.raises(InputError, match=message):
        build(reg)


def test_absurd_detour_factor_is_refused():
    with pytest.raises(InputError, match=r"travel.detour_factor = 1e\+300: must be <= 10"):
        to_scenario(pilkadasim.compose(["travel.detour_factor=1e300"]))


def test_interrupted_write_leaves_neither_tmp_nor_a_half_file(tmp_path):
    from pilkadasim.report.io import atomic_write

    target = tmp_path / "summary.json"
    target.write_text("old, complete")

    def disk_full(p: Path) -> None:
        p.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        atomic_write(target, disk_full)
    assert target.read_text() == "old, complete"
    assert list(tmp_path.iterdir()) == [target]


def test_unwritable_output_folder_is_one_line(tmp_path):
    from pilkadasim.sweep.aggregate import AggregateSweep

    (tmp_path / "file").write_text("")
    cfg = sweep_config(tmp_path / "file" / "out")
    for start in (AggregateSweep().on_run_start, AggregateSweep().on_multirun_start):
        with pytest.raises(
            SystemExit, match=r"cannot write the output folder .* \(Not a directory\)"
        ):
            start(cfg)


@pytest.mark.parametrize(
    "damage", ["no_parquet", "old_version", "truncated_json", "no_marker", "truncated_config"]
)
@pytest.mark.slow
def test_report_on_missing_old_or_truncated_files(sweep, tmp_path, damage, capsys):
    from pilkadasim.cli.report import main

    run = tmp_path / "run"
    shutil.copytree(sweep / "0", run)
    summary = run / "summary.json"
    if damage == "no_parquet":
        (run / "incidents.parquet").unlink()
    elif damage == "old_version":
        s = json.loads(summary.read_text())
        s["provenance"]["version"] = "0.0.1"
        summary.write_text(json.dumps(s))
    elif damage == "truncated_json":
        summary.write_text(summary.read_text()[:50])
    elif damage == "no_marker":
        (run / ".complete").unlink()
    else:
        cfg = run / ".hydra" / "config.yaml"
        cfg.write_text(cfg.read_text()[:300])
    assert main([str(run)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("pilkadasim-report: ")
    assert "Traceback" not in err


# ---------------------------------------------------------------------------- 8. quoting
def test_reproduce_command_is_shell_quoted(tmp_path):
    import shlex

    from pilkadasim.report.run import reproduce_command

    run = tmp_path / "my run; rm -rf x"
    (run / ".hydra").mkdir(parents=True)
    words = shlex.split(reproduce_command(run))
    assert words == [
        "pilkadasim",
        "--config-path",
        str(run.resolve() / ".hydra"),
        "--config-name",
        "config",
    ]


# ---------------------------------------------------------------------------- 9. BLAS
BLAS_RUN = """
import sys, pilkadasim
pilkadasim.simulate(pilkadasim.compose(sys.argv[2:])).save(sys.argv[1])
"""


@pytest.mark.slow
def test_blas_thread_count_does_not_change_a_byte(tmp_path):
    """One BLAS thread (as inside joblib workers) against this process's default."""
    over = ["run.replications=20", "run.workers=1", "run.progress=false"]
    env = {k: v for k, v in os.environ.items() if not k.endswith("_NUM_THREADS")}
    env |= {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    one = tmp_path / "one"
    proc = subprocess.run(
        [sys.executable, "-c", BLAS_RUN, str(one), *over],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-1000:]
    default = pilkadasim.simulate(pilkadasim.compose(over)).save(tmp_path / "default")
    for name in ("summary.json", "incidents.parquet", "units.parquet"):
        assert (one / name).read_bytes() == (default / name).read_bytes(), name
