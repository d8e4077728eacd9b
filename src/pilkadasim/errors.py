"""The one exception type for bad input: a message a planner can act on.

Raised by config validation and the region-file loaders *before* anything is simulated; the
command line prints it without a traceback and exits with status 2.
"""

from __future__ import annotations

import re


class InputError(ValueError):
    """Bad configuration value or input file. ``str(err)`` is the whole message."""

    def __init__(self, problems: str | list[str]) -> None:
        items = [problems] if isinstance(problems, str) else list(problems)
        self.problems = items
        if len(items) == 1:
            text = items[0]
        else:
            text = f"{len(items)} problems:\n" + "\n".join(f"  - {p}" for p in items)
        super().__init__(text)


def one_line(err: BaseException) -> str:
    """A configuration error of Hydra or OmegaConf, shortened to one line that says what to
    change (a misspelt key, a value of the wrong type, an unknown option)."""
    text = str(err)
    cause = err.__cause__ or err.__context__
    if m := re.match(r"Could not override '([^']+)'", text):
        return (
            f"'{m[1]}' is not a setting (misspelt?): see `pilkadasim --help` for the keys, "
            f"or add a new key on purpose with +{m[1]}=..."
        )
    if m := re.search(r"Could not find '([^/']+)/([^']+)'", text):
        options = re.findall(r"^\t(\S+)$", text.split("Config search path")[0], flags=re.M)
        return f"no {m[1]} named '{m[2]}'; choose one of: {', '.join(options)}"
    if m := re.match(r"Error merging override (\S+)", text):
        why = str(cause).splitlines()[0] if cause else "the value does not fit the key"
        return f"{m[1]}: {why}"
    return " ".join(line.strip() for line in text.splitlines() if line.strip())
