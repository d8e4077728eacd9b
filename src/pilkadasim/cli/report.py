"""``pilkadasim-report DIR``: rebuild figures and report from a saved run or sweep directory,
without simulating again (``--lang en`` to switch language)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pilkadasim.errors import InputError


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="pilkadasim-report", description=__doc__.splitlines()[0])
    ap.add_argument("directory", type=Path, help="a run directory or a sweep directory")
    ap.add_argument("--lang", choices=("id", "en"), help="report language (default: as run)")
    args = ap.parse_args(argv)
    d: Path = args.directory
    try:
        if (d / "summary.json").exists():
            from pilkadasim.report.run import rebuild_run
            from pilkadasim.sweep.checks import check_run_dir

            check_run_dir(d)
            print(f"report: {rebuild_run(d, args.lang)}")
        elif d.is_dir() and any((p / ".complete").exists() for p in d.iterdir()):
            from pilkadasim.sweep.aggregate import aggregate

            table = aggregate(
                d, lang=args.lang, warn=lambda m: print(f"warning: {m}", file=sys.stderr)
            )
            from pilkadasim.report.run import output_name

            lang = str(table.attrs.get("lang", "id"))
            run_lang = str(table.attrs.get("run_lang", lang))
            written = [d / "sweep_summary.csv"] + [
                d / output_name(stem, lang, run_lang, ext)
                for stem, ext in (("report", "html"), ("slides", "pptx"))
            ]
            shown = ", ".join(str(p) for p in written if p.exists())
            print(f"sweep: {len(table)} design points → {shown}")
        else:
            raise InputError(
                f"{d}: neither a run directory (summary.json) nor a sweep "
                "directory (job folders with summary.json)"
            )
    except InputError as err:
        print(f"pilkadasim-report: {err}", file=sys.stderr)
        return 2
    return 0


def _warn(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
