"""``pilkadasim --help``: the application help, read straight from the packaged config files.

Hydra's own ``--help`` composes the configuration once per config group (over a second here);
this reads the group folders and the primary defaults list instead. ``--hydra-help`` still
shows Hydra's flags.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml

KEYS = (
    (
        "run.replications",
        "independent simulated days per design point (whole operations under timeline=operation)",
    ),
    ("run.seed", "seed of every random stream (same seed ⇒ same results)"),
    ("run.workers", "worker processes (null: all cores); results do not depend on it"),
    ("staffing.reserve_units", "Sabhara reserve teams"),
    ("staffing.guard_pattern", "TPS guard pattern: standard, lean, thick, pemilu2019, none"),
    ("staffing.placement", "where reserve teams wait: polres, polsek, mixed, posts"),
    ("staffing.reserve_mode", "standby (teams wait at their base) or patrol (they circulate)"),
    ("staffing.shift_hours", "crew change every this many hours (0: none); staffing.handover_min"),
    ("staffing.plan_file", "a plan.csv (unit_id, base_id) from experiment=optimise_staging"),
    ("optimise.metric", "optimise_staging: summary key to optimise, e.g. reserve_response_min.p90"),
    ("region.dir", "folder with tps.csv and bases.csv (with region=custom)"),
    ("incidents.rate_scale", "multiply every incident rate (tension)"),
    ("report.lang", "id or en"),
    ("report.targets_min", "response-time targets in minutes, e.g. [10,30]"),
)


def text() -> str:
    conf = Path(str(resources.files("pilkadasim.conf")))
    primary = yaml.safe_load((conf / "config.yaml").read_text())
    defaults = {k: v for d in primary["defaults"] if isinstance(d, dict) for k, v in d.items()}
    lines = [
        "pilkadasim — election-day security simulation (Pilkada), a Hydra application",
        "",
        "Usage:",
        "  pilkadasim [KEY=VALUE ...]               one run (default: Kabupaten Bangka)",
        "  pilkadasim -m KEY=V1,V2 [...]             a sweep: one job per value, aggregated",
        "  pilkadasim experiment=NAME [debug=smoke]  a named study",
        "",
        "Configuration groups (GROUP=OPTION; default first):",
    ]
    folders = {
        p.name: p
        for p in conf.iterdir()
        if p.is_dir() and p.name != "hydra" and not p.name.startswith("_")
    }
    folders["experiment"] = Path(str(resources.files("pilkadasim.experiments")))
    for group in sorted(folders):
        options = sorted(f.stem for f in folders[group].glob("*.yaml"))
        default = defaults.get(group)
        if default in options:
            options.remove(default)
            options.insert(0, f"{default}*")
        lines.append(f"  {group:<10} {', '.join(options)}")
    lines += ["", "Often changed (KEY=VALUE):"]
    lines += [f"  {key:<24} {what}" for key, what in KEYS]
    lines += [
        "",
        "Launchers: hydra/launcher=parallel (local cores), local_processes, slurm",
        "Other commands: pilkadasim-report DIR (rebuild a report), pilkadasim-validate",
        "See the composed configuration: pilkadasim --cfg job; Hydra's flags: --hydra-help",
        "Documentation: README.md, docs/ (outputs, validation, how-tos)",
    ]
    return "\n".join(lines)
