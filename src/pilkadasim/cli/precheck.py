"""Command-line overrides checked before Hydra starts: a misspelt key, a value of the wrong type
or an unknown option ends the command with one line and exit status 2, like every other bad
input, instead of Hydra's multi-line report with exit status 1."""

from __future__ import annotations

import sys
from collections.abc import Iterator

from omegaconf import DictConfig

from pilkadasim.errors import InputError, one_line

_RUN_FLAGS = ("-m", "--multirun")


def check_overrides(argv: list[str]) -> None:
    """Compose the packaged configuration with ``argv``'s overrides (each swept group option,
    and the first value of every other sweep) and raise :class:`InputError` on the first
    problem. Commands that read their own configuration or ask Hydra something are left alone."""
    if any(a.startswith("-") and a not in _RUN_FLAGS for a in argv):
        return
    from pilkadasim.api import compose

    args = [a for a in argv if a not in _RUN_FLAGS]
    for i, overrides in enumerate(_variants(args)):
        cfg = compose(overrides)
        if i == 0:
            _check_sweep_values(cfg, args)


def _check_sweep_values(cfg: DictConfig, args: list[str]) -> None:
    """Every value of a swept key fits the key's type (the first one was composed already)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from omegaconf import OmegaConf
    from omegaconf.errors import OmegaConfBaseException

    for o in OverridesParser.create().parse_overrides(args):
        if o.is_hydra_override() or not o.is_sweep_override() or "." not in o.key_or_group:
            continue
        for value in list(o.sweep_string_iterator())[1:]:
            try:
                OmegaConf.update(cfg, o.key_or_group, value, merge=True)
            except OmegaConfBaseException as err:
                why = str(err).splitlines()[0]
                raise InputError(f"configuration: {o.key_or_group}={value}: {why}") from None


def _variants(args: list[str]) -> Iterator[list[str]]:
    """The overrides with each sweep at its first value, then once per other option of a
    swept config group (a group option that does not exist fails only when it is composed)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException

    try:
        parsed = OverridesParser.create().parse_overrides(args)
    except HydraException as err:
        raise InputError(f"configuration: {one_line(err)}") from None
    first: list[str] = []
    groups: list[tuple[int, str]] = []
    for o in parsed:
        if o.is_hydra_override():
            continue
        if not o.is_sweep_override():
            first.append(str(o.input_line))
            continue
        values = list(o.sweep_string_iterator())
        first.append(f"{o.get_key_element()}={values[0]}")
        if "." not in o.key_or_group:  # a config group: compose each option once
            groups += [(len(first) - 1, f"{o.get_key_element()}={v}") for v in values[1:]]
    yield first
    for at, line in groups:
        yield [*first[:at], line, *first[at + 1 :]]


def main_check(argv: list[str]) -> None:
    """:func:`check_overrides` for the command line: one line and exit status 2 on a problem."""
    try:
        check_overrides(argv)
    except InputError as err:
        print(f"pilkadasim: bad input — {err}", file=sys.stderr)
        sys.exit(2)
