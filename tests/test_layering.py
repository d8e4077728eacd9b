"""Layering. The core is pure: importing it pulls in no hydra, omegaconf, pandas or matplotlib.

The package's import graph has no cycle between modules and no import from a lower layer into
a higher one. Every import counts, including those inside functions and under TYPE_CHECKING
(a lazy import is still a dependency).

The layer order (lowest first) is the one in docs/architecture.md. A module may import its
own package and any package of a lower layer; packages of one layer are independent of each
other. The root ``pilkadasim`` (the public facade over :mod:`pilkadasim.api`) sits with the
API; its ``__version__`` constant may be read from anywhere.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

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


SRC = Path(__file__).parent.parent / "src"

LAYERS: list[tuple[str, ...]] = [
    ("core",),  # pure model: simpy, numpy, stdlib
    ("errors", "conf"),  # the one input-error type; the packaged YAML (no code)
    ("data", "analysis"),  # region files and loaders; records -> tables, metrics, theory
    ("config",),  # schema, input checks, builders (to_scenario), provenance
    ("report.labels", "report.fmt", "report.places", "report.io"),  # words, numbers, files
    ("plotting",),  # DataFrame -> Figure
    ("report",),  # every rendering: run, sweep, console, HTML, slides
    ("api", ""),  # the Python API (and the root facade over it)
    ("sweep", "optimise", "validation"),  # jobs built on the API
    ("cli", "app"),  # commands and the planners' page
    ("__main__",),  # python -m pilkadasim
]


def module_name(path: Path, src: Path = SRC) -> str:
    parts = list(path.relative_to(src).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, known: set[str], src: Path = SRC) -> set[str]:
    """The package modules ``path`` imports (``from a import b`` counts as ``a.b`` when that
    is a module, else as ``a``); the root's ``__version__`` is not counted."""
    name = module_name(path, src)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "pilkadasim")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                head = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*head, base] if base else head)
            if base.split(".")[0] != "pilkadasim":
                continue
            for a in node.names:
                if base == "pilkadasim" and a.name == "__version__":
                    continue
                found.add(f"{base}.{a.name}" if f"{base}.{a.name}" in known else base)
    found.discard(name)
    return found


def import_graph(src: Path = SRC) -> dict[str, set[str]]:
    files = {module_name(p, src): p for p in (src / "pilkadasim").rglob("*.py")}
    return {m: imports_of(p, set(files)) for m, p in files.items()}


def layer_of(module: str) -> tuple[int, str]:
    """(layer index, the layer entry it matched) by the longest matching entry."""
    rel = module.removeprefix("pilkadasim").lstrip(".")
    best: tuple[int, str] | None = None
    for i, entries in enumerate(LAYERS):
        for entry in entries:
            hit = rel == entry or (entry and rel.startswith(entry + "."))
            if hit and (best is None or len(entry) > len(best[1])):
                best = (i, entry)
    if best is None:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS (and the docs)")
    return best


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    bad = []
    for mod, deps in sorted(graph.items()):
        (low, own) = layer_of(mod)
        for dep in sorted(deps):
            (high, other) = layer_of(dep)
            sideways = (
                high == low and own.split(".")[0] != other.split(".")[0] and "" not in (own, other)
            )
            if high > low or sideways:
                bad.append(f"{mod} (layer {low}) imports {dep} (layer {high})")
    return bad


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_every_module_is_in_a_layer():
    for mod in import_graph():
        layer_of(mod)


def test_no_upward_import():
    bad = upward_imports(import_graph())
    assert not bad, "imports against the layer order:\n" + "\n".join(bad)


def test_no_import_cycle():
    found = cycles(import_graph())
    assert not found, f"import cycles: {found}"


@pytest.mark.parametrize(
    ("module", "line", "what"),
    [
        ("core/rng.py", "from pilkadasim.config.builders import Built", "upward"),
        ("plotting/plan.py", "from pilkadasim.report.html import write_report", "upward"),
        ("sweep/paired.py", "from pilkadasim.optimise import run", "sideways"),
        ("report/fmt.py", "from pilkadasim.report import content", "cycle"),
    ],
)
def test_the_checks_fail_on_a_bad_import(tmp_path, module, line, what):
    """The package's graph with one bad import added to one module is caught."""
    graph = import_graph()
    source = SRC / "pilkadasim" / module
    copy = tmp_path / "src" / "pilkadasim" / module
    copy.parent.mkdir(parents=True)
    copy.write_text(source.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    name = "pilkadasim." + module.removesuffix(".py").replace("/", ".")
    graph[name] = imports_of(copy, set(graph), tmp_path / "src")
    if what == "cycle":
        assert cycles(graph)
    else:
        assert any(line.split()[1] in b for b in upward_imports(graph))
