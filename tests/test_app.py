"""pilkadasim-app: the JSON endpoints against the Python API, bad input, and the safety rules
off loopback (token, allow-list, caps), cancellation of stale runs, the meeting files."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time

import numpy as np
import pytest

import pilkadasim
from appserver import get, serve
from pilkadasim.app.compare import compare, share_words
from pilkadasim.app.engine import Engine, Limits
from pilkadasim.app.overrides import command, merge
from pilkadasim.errors import InputError

SMALL = ["run.replications=6"]


@pytest.fixture(scope="module")
def local():
    with serve(SMALL) as srv:
        yield srv


@pytest.mark.slow
def test_summary_is_exactly_the_python_api(local):
    changes = ["staffing.reserve_units=3", "run.seed=11", "dispatch=district_first"]
    status, body, _ = get(local["base"], "/api/summary", [("o", o) for o in changes])
    assert status == 200
    expected = pilkadasim.simulate(pilkadasim.compose(SMALL + changes)).summary
    assert body == json.loads(json.dumps(expected))  # every number, to the last digit
    assert body["staffing"]["reserve_teams"] == 3


def test_the_page_and_its_files_come_from_the_server(local):
    status, html, _ = get(local["base"], "/")
    assert status == 200
    text = html.decode()
    for testid in ("reserve-teams", "headline", "compare"):
        assert f'data-testid="{testid}"' in text
    assert "http" not in text.replace('name="viewport"', "")  # no outside address at all
    for asset in ("static/app.js", "static/words.js", "static/app.css"):
        status, body, _ = get(local["base"], "/" + asset)
        assert status == 200
        assert b"http://" not in body
        assert b"https://" not in body


@pytest.mark.slow
def test_bad_input_is_400_with_the_command_line_message(local, tmp_path):
    status, body, _ = get(local["base"], "/api/summary", [("o", "staffing.reserve_units=-3")])
    assert status == 400
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "pilkadasim",
            "staffing.reserve_units=-3",
            f"hydra.run.dir={tmp_path}",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert cli.returncode == 2
    assert body["error"] == cli.stderr.strip().splitlines()[-1]  # the very same line
    for bad, words in [
        ("staffing.reserve_unitz=3", "'staffing.reserve_unitz' is not a setting"),
        ("dispatch=fastest", "dispatch"),
        ("reserve_units", "is not KEY=VALUE"),
        ("hydra.run.dir=/tmp/x", "hydra.* settings cannot be changed"),
    ]:
        status, body, _ = get(local["base"], "/api/summary", [("o", bad)])
        assert status == 400, bad
        assert words in body["error"]
        assert "Traceback" not in body["error"]


@pytest.mark.slow
def test_view_and_compare_on_common_random_numbers(local):
    status, view, _ = get(local["base"], "/api/view", [("o", "staffing.reserve_units=2")])
    assert status == 200
    assert view["command"] == "pilkadasim run.replications=6 staffing.reserve_units=2"
    assert len(view["tps_p90"]) == 452
    ys = [p[1] for p in view["ecdf"]]
    assert ys == sorted(ys)
    params = [("a", "staffing.reserve_units=2"), ("b", "staffing.reserve_units=12")]
    status, cmp, _ = get(local["base"], "/api/compare", params)
    assert status == 200
    assert cmp["days"] == 6
    assert cmp["words"]["id"][0].startswith(("B menjangkau", "Dalam 10 menit"))
    assert cmp["words"]["en"][0].startswith(("B reaches", "Within 10 minutes"))
    status, body, _ = get(local["base"], "/api/compare", [*params[:1], ("b", "run.seed=5")])
    assert status == 400
    assert "do not see the same incidents" in body["error"]


@pytest.mark.slow
def test_meeting_files_are_those_of_a_command_line_run(local, tmp_path):
    status, listing, _ = get(local["base"], "/api/files", [("o", "staffing.reserve_units=2")])
    assert status == 200
    files = listing["files"]
    assert files[0] == "report.html"
    assert listing["command"] == "pilkadasim run.replications=6 staffing.reserve_units=2"
    run_dir = tmp_path / "cli"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pilkadasim",
            *SMALL,
            "staffing.reserve_units=2",
            f"hydra.run.dir={run_dir}",
        ],
        capture_output=True,
        check=True,
        timeout=300,
    )
    written = {
        str(p.relative_to(run_dir))
        for p in run_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".") and ".hydra" not in p.parts
    } - {"main.log"}  # Hydra's log of the command itself
    assert written <= set(files)  # every file the command line writes (slides too, once written)
    assert set(files) - written <= {"config.yaml"}  # + the config, as the API writes it
    status, body, head = get(
        local["base"], "/api/file", [("o", "staffing.reserve_units=2"), ("name", "report.html")]
    )
    assert status == 200
    assert b"<html" in body.lower()
    assert "attachment" in head["content-disposition"]
    text = body.decode()  # reproducible from the plan's command line, not the app's temp folder
    assert "staffing.reserve_units=2</pre>" in text, text[text.find("<pre>") :]
    assert "pilkadasim-app-" not in text
    for name in ("../summary.json", "/etc/passwd", "nope.txt"):
        status, _, _ = get(local["base"], "/api/file", [("name", name)])
        assert status == 404


@pytest.mark.slow  # keeps make test-fast under a minute
def test_a_dropped_request_cancels_its_run(local):
    _, before, _ = get(local["base"], "/api/status")
    with socket.create_connection(("127.0.0.1", local["port"])) as sock:
        sock.sendall(b"GET /api/summary?o=run.replications%3D4000 HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(1.5)  # the run has started
    deadline = time.monotonic() + 20
    while True:
        _, after, _ = get(local["base"], "/api/status")
        if after["cancelled"] > before["cancelled"]:
            break
        assert time.monotonic() < deadline, after
        time.sleep(0.2)
    assert after["finished"] == before["finished"]  # it stopped instead of finishing


@pytest.mark.slow
def test_off_loopback_needs_the_token_and_keeps_to_the_allow_list():
    with serve(SMALL, declared_host="0.0.0.0") as srv:
        token = srv["token"]
        assert token
        assert len(token) >= 24
        for path in ("/", "/api/summary", "/static/app.js", "/api/status"):
            assert get(srv["base"], path)[0] == 403
        assert get(srv["base"], "/api/summary", [("token", "wrong")])[0] == 403
        status, _page, head = get(srv["base"], "/", [("token", token)])
        assert status == 200
        cookie = head["set-cookie"].split(";")[0]
        assert cookie.endswith(token)
        assert "HttpOnly" in head["set-cookie"]
        auth = {"Cookie": cookie}
        ok = [("o", "staffing.reserve_units=4")]
        assert get(srv["base"], "/api/summary", ok, auth)[0] == 200
        for bad, words in [
            ("region.dir=/etc", "not allowed on this server"),
            ("region=custom", "not allowed on this server"),
            ("hydra.run.dir=/tmp", "hydra.* settings"),
            ("run.replications=5000", "at most 1000"),
            ("travel.matrix_file=/etc/passwd", "not allowed"),
        ]:
            status, body, _ = get(srv["base"], "/api/summary", [("o", bad)], auth)
            assert status == 400, bad
            assert words in body["error"]


@pytest.mark.slow  # keeps make test-fast under a minute
def test_concurrent_runs_are_capped(tmp_path):
    engine = Engine(SMALL, Limits(max_runs=1), tmp_path)
    engine.wait_s = 0.2
    assert engine.slots.acquire(timeout=1)  # another run holds the only slot
    with pytest.raises(InputError, match="busy"):
        engine.entry(["staffing.reserve_units=1"])
    engine.slots.release()
    assert engine.entry(["staffing.reserve_units=1"]).results.summary["replications"] == 6


def test_bad_starting_overrides_stop_the_command(capsys):
    from pilkadasim.app.cli import main

    with pytest.raises(SystemExit) as stop:
        main(["--no-browser", "staffing.reserve_units=-1"])
    assert stop.value.code == 2
    assert "pilkadasim: bad input — staffing.reserve_units = -1" in capsys.readouterr().err


def test_overrides_merge_and_shell_quote():
    assert merge(["a=1", "b=2"], ["b=3", "c=4"]) == ["a=1", "b=3", "c=4"]
    assert command(["report.targets_min=[10,30]", "x=a b"]) == (
        "pilkadasim 'report.targets_min=[10,30]' 'x=a b'"
    )


def daily(hits30, count):
    count = np.asarray(count, float)
    reserve = np.repeat(np.arange(count.size), 2).astype(float) * 0 + 20.0
    return {
        "count": count,
        "hit_30": np.asarray(hits30, float),
        "reserve_r": reserve,
        "reserve_rep": np.repeat(np.arange(count.size), 2),
    }


def test_paired_interval_in_words():
    rng = np.random.default_rng(1)
    count = rng.integers(5, 15, size=200).astype(float)
    a_hits = np.floor(count * 0.8)
    b_hits = np.minimum(count, a_hits + rng.integers(0, 2, size=200))  # B never worse
    res = compare(daily(a_hits, count), daily(b_hits, count), [30.0])
    share = res["shares"][0]
    truth = (b_hits - a_hits).sum() / count.sum()
    assert share["diff"] == pytest.approx(truth)
    lo, hi = share["ci95"]
    assert 0 < lo < truth < hi
    assert res["words"]["id"][0].startswith("B menjangkau ")
    assert "lebih banyak insiden dalam 30 menit (rentang" in res["words"]["id"][0]
    same = compare(daily(a_hits, count), daily(a_hits, count), [30.0])["shares"][0]
    assert same["diff"] == 0
    assert same["ci95"] == [0.0, 0.0]
    text = share_words({"target": 30.0, "diff": 0.04, "ci95": [0.02, 0.06]}, "id")
    assert text == "B menjangkau 4,0 % lebih banyak insiden dalam 30 menit (rentang 2,0–6,0 %)"
    text = share_words({"target": 30.0, "diff": -0.12, "ci95": [-0.15, -0.1]}, "en")
    assert text == "B reaches 12 % fewer incidents within 30 minutes (range 10–15 %)"


def test_plans_without_common_random_numbers_are_refused():
    rng = np.random.default_rng(2)
    count = rng.integers(2, 30, size=200).astype(float)
    a = daily(np.round(count * 0.8), count)
    b = daily(np.round(count * 0.8), count[rng.permutation(200)])  # other days' incidents
    with pytest.raises(InputError, match="do not see the same incidents"):
        compare(a, b, [30.0])


def test_threads_do_not_leak(local):
    assert threading.active_count() < 50


@pytest.mark.parametrize(
    "changes",
    [
        ["staffing.reserve_units=3", "run.seed=11"],
        ["dispatch=reserve_cutoff", "dispatch.reserve_k=1", "incidents.rate_scale=1.5"],
        ["report.targets_min=[5,15]", "staffing.guard_pattern=lean", "staffing.placement=mixed"],
        ["experiment=tension", "run.replications=7"],
        ["staffing.reserve_units=abc"],
    ],
)
@pytest.mark.slow  # keeps make test-fast under a minute
def test_fast_compose_equals_hydra_compose(tmp_path, changes):
    from omegaconf import OmegaConf

    engine = Engine([], Limits(), tmp_path)
    try:
        expected = OmegaConf.to_yaml(pilkadasim.compose(changes))
    except InputError as err:
        message = str(err)
        with pytest.raises(InputError) as got:
            engine.compose(changes)
        assert str(got.value) == message  # the same message
        return
    engine.compose(changes[:1])  # a cached base must not leak into the next plan
    assert OmegaConf.to_yaml(engine.compose(changes)) == expected


def test_reserve_p90_with_too_few_incidents_says_so():
    """Two reserve incidents in 200 days: most resampled days draw none, so no interval — the
    words say 'too few', never 'not reached'."""
    count = np.full(200, 3.0)
    a, b = daily(count, count), daily(count, count)
    for d, r in ((a, [20.0, 25.0]), (b, [18.0, 22.0])):
        d["reserve_r"], d["reserve_rep"] = np.asarray(r), np.asarray([3, 150])
    p90 = compare(a, b, [30.0])["reserve_p90"]
    assert p90["ci95"] is None
    assert p90["diff"] == pytest.approx(-3.0)
    assert compare(a, b, [30.0])["words"]["en"][-1].startswith("Too few incidents needing")
