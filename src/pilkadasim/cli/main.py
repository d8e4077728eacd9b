"""The ``pilkadasim`` command: a Hydra application (``python -m pilkadasim`` too).

Single run: simulate, write the contract files into Hydra's run directory, print the summary.
Bad input ends the run with a one-paragraph message and exit status 2, before any simulation.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path

import hydra
from omegaconf import DictConfig

import pilkadasim.config.schema  # noqa: F401  (registers the structured-config schema)
from pilkadasim.errors import InputError
from pilkadasim.report.labels import t

MARKER = ".complete"  # written last into a finished run directory (see pilkadasim.sweep.resume)


def run_job(cfg: DictConfig) -> Mapping[str, object]:
    """Simulate ``cfg`` and write its outputs into the current Hydra output directory."""
    from hydra.core.hydra_config import HydraConfig

    from pilkadasim.api import simulate
    from pilkadasim.report.console import print_summary
    from pilkadasim.report.run import write_run_outputs
    from pilkadasim.sweep import resume

    out_dir = Path(HydraConfig.get().runtime.output_dir)
    lang = str(cfg.report.lang)
    if cfg.optimise.enabled:  # experiment=optimise_staging: the search runs inside this job
        from pilkadasim.optimise.outputs import run_optimise

        return run_optimise(cfg, out_dir)
    sweep_dir, sweep_id = _sweep_of(out_dir)
    _note_inputs_since_saved_run(cfg, out_dir)
    done = completed(out_dir, cfg)
    if done is not None:
        resume.write_marker(out_dir, resume.read_marker(out_dir).config_hash, sweep_id)  # type: ignore[union-attr]
        print(t("status_complete", lang, dir=out_dir))
        return done
    _say_why_rerun(out_dir, cfg)
    resume.clear_marker(out_dir)  # first: a job killed from here on is never "finished"
    resume.clean_tmp(out_dir)
    sweep = sweep_dir is not None
    res = simulate(
        cfg,
        progress=bool(cfg.run.progress) and not sweep,
        on_note=lambda note: print(f"note: {note}", file=sys.stderr),
    )
    res.save(out_dir)
    region = res.built.region if res.built else None
    report = write_run_outputs(out_dir, cfg, res.summary, res.incidents, region)
    if sweep_dir is not None and sweep_id and not resume.sweep_still_mine(sweep_dir, sweep_id):
        print(t("status_sweep_gone", lang, dir=out_dir))
        return res.summary
    stamp = res.summary["provenance"]["config_hash"]
    resume.write_marker(out_dir, str(stamp), sweep_id)  # last: without it the job is redone
    if sweep:  # one line per job; the sweep's report and recommendation come at the end
        from pilkadasim.report.console import job_line

        print(job_line(res.summary, cfg, HydraConfig.get()), flush=True)
    else:
        print_summary(res.summary, cfg.report.lang, str(out_dir), str(report) if report else None)
        if cfg.timeline.mode == "operation":  # a replication is the whole operation
            print(t("operation_note", lang), flush=True)
    return res.summary


def _note_inputs_since_saved_run(cfg: DictConfig, out_dir: Path) -> None:
    """A rerun from a saved run (``--config-path <run>/.hydra``) whose input files have changed
    since that run: say which, since its numbers will then differ from the saved ones."""
    import json

    from hydra.core.hydra_config import HydraConfig

    from pilkadasim.config.provenance import changed_inputs, input_hashes

    for source in HydraConfig.get().runtime.config_sources:
        folder = Path(str(source.path).removeprefix("file://"))
        saved = folder.parent / "summary.json"
        if folder.name != ".hydra" or folder.parent == out_dir or not saved.is_file():
            continue
        try:
            old = json.loads(saved.read_text())["provenance"]["inputs"]
        except (OSError, ValueError, KeyError, TypeError):
            continue
        files = changed_inputs(old, input_hashes(cfg))
        if files:
            lang = str(cfg.report.lang)
            note = t("note_saved_run_inputs", lang, run=folder.parent, files=", ".join(files))
            print(note, file=sys.stderr)


def _sweep_of(out_dir: Path) -> tuple[Path | None, str | None]:
    """The sweep folder and id when this job is part of a sweep."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    from pilkadasim.sweep.resume import read_sweep

    hc = HydraConfig.get()
    if hc.mode != RunMode.MULTIRUN:
        return None, None
    sweep_dir = Path(str(hc.sweep.dir))
    info = read_sweep(sweep_dir) or {}
    return sweep_dir, info.get("id")


def _say_why_rerun(out_dir: Path, cfg: DictConfig) -> None:
    """A finished run is here but its inputs or configuration changed: say which."""
    import json

    from pilkadasim.api import config_hash
    from pilkadasim.config.provenance import changed_inputs, input_hashes
    from pilkadasim.sweep.resume import read_marker

    marker = read_marker(out_dir)
    if marker is None or marker.config_hash == config_hash(cfg):
        return  # nothing finished here, or finished but unreadable (said already)
    if not (out_dir / "summary.json").is_file():
        return
    try:
        old = json.loads((out_dir / "summary.json").read_text())["provenance"]
        files = changed_inputs(old.get("inputs", {}), input_hashes(cfg))
    except (OSError, ValueError, KeyError, TypeError):
        files = []
    lang = str(cfg.report.lang)
    if files:
        print(t("status_changed_inputs", lang, dir=out_dir, files=", ".join(files)))
    else:
        print(t("status_changed_config", lang, dir=out_dir))


def completed(out_dir: Path, cfg: DictConfig) -> dict[str, object] | None:
    """The saved summary if ``out_dir`` holds a finished run of this very configuration."""
    import json

    from pilkadasim.api import config_hash
    from pilkadasim.sweep.checks import job_problem
    from pilkadasim.sweep.resume import read_marker

    marker = read_marker(out_dir)
    if marker is None or marker.config_hash != config_hash(cfg):
        return None
    problem = job_problem(out_dir, marker.config_hash)
    if problem:
        print(t("status_broken", str(cfg.report.lang), dir=out_dir, problem=problem.split(";")[0]))
        return None
    summary: dict[str, object] = json.loads((out_dir / "summary.json").read_text())
    return summary


@hydra.main(config_path="pkg://pilkadasim.conf", config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> object:
    try:
        return run_job(cfg)
    except InputError as err:
        print(f"pilkadasim: bad input — {err}", file=sys.stderr)
        sys.exit(2)
    except OSError as err:  # read-only folder, full disk: nothing is marked complete
        print(f"pilkadasim: cannot write the results — {err}", file=sys.stderr)
        sys.exit(1)


def main() -> None:
    if "--help" in sys.argv[1:] or "-h" in sys.argv[1:]:
        from pilkadasim.cli.help import text

        print(text())
        return
    from pilkadasim.config.studies import register

    register()  # experiments/ as the config group `experiment`

    from pilkadasim.cli.precheck import main_check

    main_check(sys.argv[1:])  # a misspelt key: one line, exit 2, before Hydra starts
    _app()


if __name__ == "__main__":
    main()
