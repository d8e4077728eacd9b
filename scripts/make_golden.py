"""Rewrite the golden run in tests/golden/ (the default Bangka run, 60 days).

Run it only when a change is *meant* to change the simulated numbers, and name the changed
fields in the commit message; tests/test_golden.py then checks every later change against it.
"""

from __future__ import annotations

import json
from pathlib import Path

from pilkadasim.api import Results, compose, simulate

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"
OVERRIDES = ["run.replications=60"]
TABLES = ("incidents", "units", "trips")


def golden_run() -> Results:
    return simulate(compose(OVERRIDES))


def summary_text(summary: dict[str, object]) -> str:
    """summary.json without its provenance (paths and hashes), keys sorted."""
    kept = {k: v for k, v in summary.items() if k != "provenance"}
    return json.dumps(kept, indent=1, sort_keys=True) + "\n"


def main() -> None:
    res = golden_run()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    (GOLDEN / "default_summary.json").write_text(summary_text(res.summary))
    for name in TABLES:
        getattr(res, name).to_parquet(GOLDEN / f"default_{name}.parquet", index=False)
    print(f"golden run written to {GOLDEN}")


if __name__ == "__main__":
    main()
