"""Validation: the engine, reduced by configuration alone, against queueing theory.

``pilkadasim-validate`` (``python -m pilkadasim.validation.harness``) runs every check and prints
theory vs simulation with a 99% confidence interval across replications and a verdict; it
exits 1 if any check fails. ``--quick`` uses fewer replications. The same checks run in the
test suite (``tests/test_validation.py``) with fixed seeds. What each check assumes and what a
match does and does not prove: ``docs/validation.md``.

Every check builds a tiny region folder (docs/reference/region-files.md) and composes the packaged
configuration with the presets of docs/validation.md — nothing is special-cased in the core.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from pilkadasim.validation.presets import LEVEL, Check
from pilkadasim.validation.queueing import (
    cobham_checks,
    coverage_checks,
    hypercube_checks,
    little_checks,
    mmc_checks,
    monotone_checks,
    mt_infinite_checks,
    random_spatial_atoms,
)


def run_all(quick: bool = False, seed: int = 7) -> list[Check]:
    reps = 8 if quick else 20
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        return [
            *mmc_checks(tmp, seed, reps),
            *cobham_checks(tmp, seed, reps),
            *hypercube_checks(tmp, seed, reps),
            *hypercube_checks(
                tmp, seed, reps, atoms=random_spatial_atoms(seed), label="Hypercube (random 8×4)"
            ),
            *mt_infinite_checks(tmp, seed, 100 if quick else 300),
            *little_checks(tmp, seed, reps),
            *monotone_checks(seed, 60 if quick else 200),
            *coverage_checks(tmp, 40 if quick else 100),
            *([] if quick else coverage_study_checks(seed)),
        ]


COVERAGE_SCENARIOS = {"Bangka default": [], "tense day (incidents × 2)": ["incidents.rate_scale=2"]}


def coverage_study_checks(
    seed: int, repetitions: int = 400, pool_days: int = 20_000, truth_days: int = 40_000
) -> list[Check]:
    """The coverage study of the reported intervals (:mod:`pilkadasim.validation.coverage`) as
    checks; a cell whose truth sits on an atom passes as exact (see that module)."""
    from pilkadasim.validation import coverage as cov

    rows = cov.study(COVERAGE_SCENARIOS, (50, 200), repetitions, pool_days, truth_days, seed)
    return [
        Check(
            f"Coverage {r['scenario']}, R = {r['R']}",
            cov.label(r["statistic"]) + (" (atom: exact, exempt)" if r["atom"] else ""),
            0.95,
            r["coverage"],
            cov.BAND,
            r["passed"],
        )
        for r in rows
    ]


def markdown(checks: list[Check]) -> str:
    head = f"| check | quantity | theory | simulation | {LEVEL:.0%} CI | verdict |"
    lines = [head, "|---|---|---:|---:|---:|---|"]
    lines += ["| " + " | ".join(c.row()) + " |" for c in checks]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="pilkadasim-validate", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer replications (about 1 minute)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = ap.parse_args(argv)
    from rich.console import Console
    from rich.table import Table

    checks = run_all(args.quick, args.seed)
    failed = [c for c in checks if not c.passed]
    if args.markdown:
        print(markdown(checks))
        print(f"\n{len(checks) - len(failed)} passed, {len(failed)} failed")
        return 1 if failed else 0
    table = Table(title=f"pilkadasim validation (seed {args.seed}, {LEVEL:.0%} CI)")
    for col in ("check", "quantity", "theory", "simulation", f"{LEVEL:.0%} CI", "verdict"):
        table.add_column(col, justify="left" if col in ("check", "quantity") else "right")
    for c in checks:
        table.add_row(*c.row(), style=None if c.passed else "bold red")
    Console().print(table)
    print(f"{len(checks) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
