"""Imports go one way, `ui -> intake -> checklists -> extractors` (see docs/CONTRACTS.md).

The table says, for each of our packages, which of our packages it may import. Above all:
extractors and checklists never import intake or ui (they are pure libraries that know no
storage, jobs, accounts or deployment settings). There are no import cycles between modules
either, and no module of these packages is over 400 lines.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extractors", "checklists", "intake", "ui")
# package -> the packages of ours it may import (besides itself)
ALLOWED: dict[str, set[str]] = {
    "extractors": set(),
    "checklists": {"extractors"},
    "intake": {"checklists", "extractors"},
    "ui": {"intake", "checklists", "extractors"},
}
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _imported(path: Path, module: str) -> set[str]:
    """Absolute names of every module `path` imports (also inside functions)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{a.name}" for a in node.names)
    return names


def test_the_table_names_every_package() -> None:
    assert set(ALLOWED) == set(PACKAGES)
    assert ALLOWED["extractors"].isdisjoint({"intake", "ui", "checklists"})
    assert ALLOWED["checklists"].isdisjoint({"intake", "ui"})


@pytest.mark.parametrize("package", PACKAGES)
def test_package_imports_only_what_the_table_allows(package: str) -> None:
    offenders = []
    for module, path in _modules().items():
        if module.split(".")[0] != package:
            continue
        for name in _imported(path, module):
            top = name.split(".")[0]
            if top in PACKAGES and top != package and top not in ALLOWED[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []


def test_no_import_cycles() -> None:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        deps = set()
        for name in _imported(path, module):
            # `from a.b import c` names a.b.c, which is a module or a name inside a.b.
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name and name != module:
                deps.add(name)
        graph[module] = deps
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(graph[node]):
            if state.get(dep) == 1:
                cycles.append([*stack[stack.index(dep) :], dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for module in sorted(graph):
        if module not in state:
            visit(module)
    assert cycles == []


def test_no_module_over_400_lines() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for path in _modules().values()
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
