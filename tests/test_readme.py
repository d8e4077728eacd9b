"""The README's Python quickstart runs as written."""

from __future__ import annotations

import os
import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def test_quickstart_runs(tmp_path):
    block = re.search(
        r"## Python quickstart\n+```python\n(.*?)```", README.read_text(), re.S
    ).group(1)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        exec(compile(block, "README.md", "exec"), {})
    finally:
        os.chdir(cwd)
    assert (tmp_path / "out" / "summary.json").exists()
