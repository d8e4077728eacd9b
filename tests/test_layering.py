"""The core is pure: importing it pulls in no hydra, omegaconf, pandas or matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).parent.parent / "src" / "pilkadasim" / "core"


def test_core_imports_no_outer_libraries():
    code = (
        "import sys, pkgutil, importlib\n"
        "import pilkadasim.core as c\n"
        "for m in pkgutil.walk_packages(c.__path__, 'pilkadasim.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = [m for m in ('hydra', 'omegaconf', 'pandas', 'matplotlib', 'scipy') "
        "if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"core imported: {out.stdout.strip()}"


def test_core_sources_have_no_outer_imports():
    banned = (
        "import hydra",
        "import omegaconf",
        "import pandas",
        "import matplotlib",
        "from hydra",
        "from omegaconf",
        "from pandas",
        "from matplotlib",
    )
    for path in CORE.rglob("*.py"):
        text = path.read_text()
        assert not any(b in text for b in banned), path


def test_package_import_is_light():
    code = (
        "import sys, pilkadasim; print(','.join(m for m in ('pandas','matplotlib','hydra') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
