"""The ``pilkadasim`` command: a Hydra application (``python -m pilkadasim`` too).

Single run: simulate, write the contract files into Hydra's run directory, print the summary.
Bad input ends the run with a one-paragraph message and exit status 2, before any simulation.
"""

from __future__ import annotations

import sys
from pathlib import Path

import hydra
from omegaconf import DictConfig

import pilkadasim.config.schema  # noqa: F401  (registers the structured-config schema)
from pilkadasim.errors import InputError

MARKER = ".complete"  # written last into a finished run directory (content: config hash)


def run_job(cfg: DictConfig) -> dict[str, object]:
    """Simulate ``cfg`` and write its outputs into the current Hydra output directory."""
    from hydra.core.hydra_config import HydraConfig

    from pilkadasim.api import simulate
    from pilkadasim.cli.console import print_summary
    from pilkadasim.outputs import write_run_outputs

    out_dir = Path(HydraConfig.get().runtime.output_dir)
    if cfg.optimise.enabled:  # experiment=optimise_staging: the search runs inside this job
        from pilkadasim.optimise.outputs import run_optimise

        return run_optimise(cfg, out_dir)
    done = completed(out_dir, cfg)
    if done is not None:
        print(f"{out_dir}: already complete (same configuration), skipped")
        return done
    res = simulate(
        cfg,
        progress=bool(cfg.run.progress),
        on_note=lambda note: print(f"note: {note}", file=sys.stderr),
    )
    res.save(out_dir)
    region = res.built.region if res.built else None
    report = write_run_outputs(out_dir, cfg, res.summary, res.incidents, region)
    mark_complete(out_dir, cfg)  # last: a job without this marker is redone on resume
    print_summary(res.summary, cfg.report.lang, str(out_dir), str(report) if report else None)
    return res.summary


def completed(out_dir: Path, cfg: DictConfig) -> dict[str, object] | None:
    """The saved summary if ``out_dir`` holds a finished run of this very configuration."""
    import json

    from pilkadasim.api import config_hash

    marker = out_dir / MARKER
    if marker.exists() and marker.read_text().strip() == config_hash(cfg):
        summary: dict[str, object] = json.loads((out_dir / "summary.json").read_text())
        return summary
    return None


def mark_complete(out_dir: Path, cfg: DictConfig) -> None:
    from pilkadasim.api import config_hash
    from pilkadasim.io import write_text

    write_text(out_dir / MARKER, config_hash(cfg) + "\n")


@hydra.main(config_path="../conf", config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> object:
    try:
        return run_job(cfg)
    except InputError as err:
        print(f"pilkadasim: bad input — {err}", file=sys.stderr)
        sys.exit(2)


def main() -> None:
    if "--help" in sys.argv[1:] or "-h" in sys.argv[1:]:
        from pilkadasim.cli.help import text

        print(text())
        return
    _app()


if __name__ == "__main__":
    main()
