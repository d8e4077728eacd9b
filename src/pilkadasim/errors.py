"""The one exception type for bad input: a message a planner can act on.

Raised by config validation and the region-file loaders *before* anything is simulated; the
command line prints it without a traceback and exits with status 2.
"""

from __future__ import annotations


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
