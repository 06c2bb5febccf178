"""The package graph: one way down, no cycles, one installed name.

    plugins (web pages, command line)  ->  db (SQLite)  ->  ingest (PDF -> Document), annotations

A module may import its own package and the packages below it, never one above, and no chain
of imports (at module level or inside functions) may lead back to where it started.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("ingest", "annotations", "db", "plugins")
# what each package may import besides itself
BELOW = {
    "ingest": set(),
    "annotations": set(),
    "db": {"ingest", "annotations"},
    "plugins": {"db", "ingest", "annotations"},
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(["citetrace", *parts])


def _sources() -> dict[str, Path]:
    found = {"citetrace": ROOT / "__init__.py"}
    for pkg in PACKAGES:
        for path in sorted((ROOT / pkg).rglob("*.py")):
            found[_module_name(path)] = path
    return found


def _imports(name: str, path: Path, known: set[str]) -> list[tuple[int, str]]:
    """(line, imported citetrace module or package) for every import in the file, wherever
    it stands; bare top-level names of our folders are reported as themselves."""
    tree = ast.parse(path.read_text(), str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            # `from pkg import module` imports the module; `from module import name` the module
            targets = [f"{mod}.{a.name}" if f"{mod}.{a.name}" in known else mod for a in node.names]
        else:
            continue
        for target in targets:
            if target.split(".")[0] in PACKAGES:
                out.append((node.lineno, target))
            elif target.startswith("citetrace"):
                while target not in known and "." in target:
                    target = target.rpartition(".")[0]
                out.append((node.lineno, target))
    return out


def _graph():
    sources = _sources()
    known = set(sources)
    return sources, {name: _imports(name, path, known) for name, path in sources.items()}


def _layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def test_no_module_imports_a_bare_folder_name():
    sources, graph = _graph()
    bare = [f"{sources[m].relative_to(ROOT)}:{line} imports {t}"
            for m, edges in graph.items() for line, t in edges if not t.startswith("citetrace")]
    assert not bare, "import them as citetrace.<package>:\n" + "\n".join(bare)


def test_imports_only_go_down():
    sources, graph = _graph()
    upward = []
    for module, edges in graph.items():
        mine = _layer(module)
        for line, target in edges:
            theirs = _layer(target)
            if mine and theirs and theirs != mine and theirs not in BELOW[mine]:
                upward.append(f"{sources[module].relative_to(ROOT)}:{line}: {mine} imports {target}")
    assert not upward, "\n".join(dict.fromkeys(upward))


def test_no_import_cycles():
    sources, graph = _graph()
    edges = {m: {t for _, t in e if t in graph and t != m} for m, e in graph.items()}
    # Tarjan's strongly connected components: any component of 2+ modules is a cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    assert not cycles, "\n".join(" <-> ".join(c) for c in cycles)


def test_the_graph_checker_sees_a_cycle_and_an_upward_import(tmp_path):
    # the checks above must be able to fail: parse two made-up modules
    a = tmp_path / "a.py"
    a.write_text("from citetrace.plugins import views\ndef f():\n    from . import b\n")
    found = _imports("citetrace.db.a", a, {"citetrace.plugins.views", "citetrace.db.b"})
    assert found == [(1, "citetrace.plugins.views"), (3, "citetrace.db.b")]
    assert _layer("citetrace.plugins.views") not in BELOW["db"]


def test_the_wheel_installs_one_top_level_name(tmp_path):
    pytest.importorskip("setuptools", minversion="77")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(tmp_path), str(ROOT)], check=True, capture_output=True)
    wheel = next(tmp_path.glob("citetrace-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if ".dist-info/" not in n}
    assert top == {"citetrace"}
    # every package folder of the tree is in the wheel (pyproject lists them by hand)
    for pkg in PACKAGES:
        for init in (ROOT / pkg).rglob("__init__.py"):
            assert f"citetrace/{init.relative_to(ROOT).as_posix()}" in names, init
    assert any(n.startswith("citetrace/plugins/templates/") for n in names)
    assert any(n.startswith("citetrace/plugins/static/") for n in names)
    assert "citetrace/ingest/sample/report.toml" in names  # the sample report's prose
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "citetrace = citetrace.plugins.cli:cli" in text
    assert "citetrace = citetrace.plugins.datasette_citetrace" in text
