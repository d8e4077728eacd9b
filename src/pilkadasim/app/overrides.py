"""Override lists for the page: parse, merge with the starting scenario, police the keys.

On loopback any key may be changed (as on the command line); on any other address only the
keys a planner's controls need (no ``hydra.*``, no file paths) and a bounded replication count.
"""

from __future__ import annotations

import shlex

from pilkadasim.errors import InputError

# what a planner on the page may change when the server is reachable from other machines
ALLOWED_KEYS = frozenset(
    {
        "staffing.reserve_units",
        "staffing.guard_pattern",
        "staffing.placement",
        "staffing.reserve_mode",
        "staffing.personnel_total",
        "staffing.fill_budget",
        "staffing.support_min",
        "dispatch",
        "dispatch.reserve_k",
        "dispatch.cutoff_severity",
        "incidents.rate_scale",
        "run.replications",
        "run.seed",
        "report.lang",
        "report.targets_min",
    }
)


def key_of(override: str) -> str:
    """``staffing.reserve_units`` of ``staffing.reserve_units=8`` (also of ``+k=v``, ``~k``)."""
    key = override.split("=", 1)[0].strip()
    return key.lstrip("+~")


def check_syntax(overrides: list[str]) -> None:
    bad = [o for o in overrides if "=" not in o or not key_of(o)]
    if bad:
        raise InputError(f"override {bad[0]!r} is not KEY=VALUE (e.g. staffing.reserve_units=8)")


def merge(base: list[str], changes: list[str]) -> list[str]:
    """``base`` with every key that ``changes`` sets replaced by its new value, in order."""
    new = {key_of(o): o for o in changes}
    kept = [o for o in base if key_of(o) not in new]
    return kept + list(new.values())


def police(overrides: list[str], restricted: bool) -> None:
    """Reject ``hydra.*`` always, and keys outside the allow-list when ``restricted``."""
    for o in overrides:
        key = key_of(o)
        if key.split(".")[0] == "hydra":
            raise InputError(f"override {key!r}: hydra.* settings cannot be changed from the page")
        if restricted and key not in ALLOWED_KEYS:
            allowed = ", ".join(sorted(ALLOWED_KEYS))
            raise InputError(f"override {key!r} is not allowed on this server (allowed: {allowed})")


def command(overrides: list[str]) -> str:
    """The shell command that reproduces a run with these overrides."""
    return " ".join(["pilkadasim", *(shlex.quote(o) for o in overrides)])
