"""Completion markers, sweep identity and the sweep lock: resume without trusting stale files.

- A finished job's folder holds ``.complete``: its config hash (which covers the input files
  and the package version) and, in a sweep, the id of the sweep that finished it. A starting
  job removes the marker first, so a job killed half-way is never taken for finished.
- A sweep writes ``.sweep.json`` (its id, the expected number of jobs) and holds
  ``.sweep.lock`` (its process) while it runs: a second sweep into the same folder is refused,
  naming the first. A job whose sweep is gone (parent killed, or another sweep took over)
  does not write its marker, so an orphaned worker cannot make a job look finished.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pilkadasim.errors import InputError

MARKER = ".complete"
SWEEP_FILE = ".sweep.json"
LOCK_FILE = ".sweep.lock"


@dataclass(frozen=True)
class Marker:
    config_hash: str
    sweep_id: str | None


def read_marker(folder: Path) -> Marker | None:
    path = folder / MARKER
    try:
        words = path.read_text(encoding="utf-8").split()
    except (OSError, UnicodeDecodeError):
        return None
    if not words:
        return None
    return Marker(words[0], words[1] if len(words) > 1 else None)


def write_marker(folder: Path, config_hash: str, sweep_id: str | None) -> None:
    from pilkadasim.report.io import write_text

    write_text(folder / MARKER, f"{config_hash} {sweep_id or ''}".strip() + "\n")


def clear_marker(folder: Path) -> None:
    (folder / MARKER).unlink(missing_ok=True)


def clean_tmp(folder: Path) -> list[Path]:
    """Remove ``.NAME.*.tmp`` files left by interrupted writes (see ``pilkadasim.report.io``)."""
    gone = []
    if folder.is_dir():
        for p in [*folder.glob(".*.tmp"), *folder.glob("*/.*.tmp"), *folder.glob("*/*/.*.tmp")]:
            if p.is_file():
                p.unlink(missing_ok=True)
                gone.append(p)
    return gone


# ---------------------------------------------------------------------------- sweep identity
def read_sweep(sweep_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((sweep_dir / SWEEP_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _lock_owner(sweep_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((sweep_dir / LOCK_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _owner_alive(owner: dict[str, Any]) -> bool:
    if owner.get("host") != socket.gethostname():
        return True  # cannot tell: assume the other machine's sweep is running
    return pid_alive(int(owner.get("pid", 0)))


def start_sweep(sweep_dir: Path, expected_jobs: int | None, command: str) -> str:
    """Take the lock of ``sweep_dir`` and record a new sweep id; refuse when another live
    process holds the lock."""
    from pilkadasim.report.io import write_json

    sweep_dir.mkdir(parents=True, exist_ok=True)
    sweep_id = uuid.uuid4().hex[:12]
    me = {"pid": os.getpid(), "host": socket.gethostname(), "id": sweep_id, "since": time.time()}
    for _ in range(2):
        try:
            fd = os.open(sweep_dir / LOCK_FILE, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _lock_owner(sweep_dir)
            if owner and _owner_alive(owner):
                started = time.strftime("%H:%M:%S", time.localtime(float(owner.get("since", 0))))
                raise InputError(
                    f"{sweep_dir}: another sweep (process {owner.get('pid')} on "
                    f"{owner.get('host')}, started {started}) is writing into this folder; "
                    f"wait for it to finish or choose another hydra.sweep.dir"
                ) from None
            (sweep_dir / LOCK_FILE).unlink(missing_ok=True)  # its process is gone
            continue
        with os.fdopen(fd, "w") as fh:
            json.dump(me, fh)
        break
    else:  # pragma: no cover - only when another process races for the stale lock
        raise InputError(f"{sweep_dir}: could not take the sweep lock {LOCK_FILE}")
    clean_tmp(sweep_dir)
    write_json(
        sweep_dir / SWEEP_FILE,
        {"id": sweep_id, "expected_jobs": expected_jobs, "command": command},
    )
    return sweep_id


def end_sweep(sweep_dir: Path, sweep_id: str) -> None:
    owner = _lock_owner(sweep_dir)
    if owner and owner.get("id") == sweep_id:
        (sweep_dir / LOCK_FILE).unlink(missing_ok=True)


def sweep_still_mine(sweep_dir: Path, sweep_id: str) -> bool:
    """Whether the sweep ``sweep_id`` still owns ``sweep_dir`` and its process is alive."""
    owner = _lock_owner(sweep_dir)
    return bool(owner and owner.get("id") == sweep_id and _owner_alive(owner))


def expected_jobs(task: list[str], params: dict[str, Any] | None) -> int | None:
    """Number of jobs the basic sweeper makes of the command-line overrides and
    ``hydra.sweeper.params`` (``None`` if it cannot be told)."""
    try:
        from hydra.core.override_parser.overrides_parser import OverridesParser

        parser = OverridesParser.create()
        items = [*(f"{k}={v}" for k, v in (params or {}).items()), *task]  # task wins
        keyed: dict[str, int] = {}
        for o in parser.parse_overrides(items):
            size = len(list(o.sweep_string_iterator())) if o.is_sweep_override() else 1
            keyed[o.get_key_element()] = size
    except Exception:  # a count we cannot tell is simply not checked
        return None
    n = 1
    for size in keyed.values():
        n *= size
    return n
