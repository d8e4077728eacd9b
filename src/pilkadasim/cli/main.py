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


def run_job(cfg: DictConfig) -> dict[str, object]:
    """Simulate ``cfg`` and write its outputs into the current Hydra output directory."""
    from hydra.core.hydra_config import HydraConfig

    from pilkadasim.api import simulate
    from pilkadasim.cli.console import print_summary
    from pilkadasim.outputs import write_run_outputs

    out_dir = Path(HydraConfig.get().runtime.output_dir)
    res = simulate(cfg, progress=bool(cfg.run.progress))
    res.save(out_dir)
    report = write_run_outputs(out_dir, cfg, res.summary, res.incidents, res.built.region)
    print_summary(res.summary, cfg.report.lang, str(out_dir), str(report) if report else None)
    return res.summary


@hydra.main(config_path="../conf", config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> object:
    try:
        return run_job(cfg)
    except InputError as err:
        print(f"pilkadasim: bad input — {err}", file=sys.stderr)
        sys.exit(2)


def main() -> None:
    _app()


if __name__ == "__main__":
    main()
