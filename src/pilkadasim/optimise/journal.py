"""The search journal: every scored plan, appended to ``optimise_journal.jsonl`` at once.

The search is deterministic given its scores, so an interrupted search that is started again
in the same run folder replays the journal instead of simulating again and carries on where it
stopped. The first line fingerprints the configuration; a journal of another configuration is
set aside (renamed ``*.stale``), never reused.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

NAME = "optimise_journal.jsonl"


class Journal:
    def __init__(self, folder: Path | None, fingerprint: str) -> None:
        self.path = folder / NAME if folder is not None else None
        self.entries: dict[str, dict[str, Any]] = {}
        self.replayed = 0  # entries of an earlier, interrupted search used again
        self.loaded: set[str] = set()
        self.stale = False
        if self.path is None:
            return
        if self.path.exists():
            lines = self.path.read_text(encoding="utf-8").splitlines()
            head = json.loads(lines[0]) if lines else {}
            if head.get("fingerprint") == fingerprint:
                for line in lines[1:]:
                    try:
                        entry = json.loads(line)
                    except json.JSONDecodeError:  # a line cut by the interruption
                        continue
                    self.entries[entry["id"]] = entry
                self.loaded = set(self.entries)
                self._rewrite(fingerprint)  # drop a cut last line
                return
            self.stale = True
            os.replace(self.path, self.path.with_suffix(".jsonl.stale"))
        self._rewrite(fingerprint)

    def _rewrite(self, fingerprint: str) -> None:
        assert self.path is not None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lines = [json.dumps({"fingerprint": fingerprint})]
        lines += [json.dumps(e) for e in self.entries.values()]
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(tmp, self.path)

    def get(self, entry_id: str) -> dict[str, Any] | None:
        entry = self.entries.get(entry_id)
        if entry is not None and entry_id in self.loaded:
            self.loaded.discard(entry_id)
            self.replayed += 1
        return entry

    def add(self, entry_id: str, entry: dict[str, Any]) -> None:
        entry = {"id": entry_id, **entry}
        self.entries[entry_id] = entry
        if self.path is not None:
            with self.path.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps(entry) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
