"""Lower layers never import higher ones (see docs/CONTRACTS.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
RANK = {"intake": 0, "extractors": 1, "checklists": 2, "ui": 3}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(RANK))
def test_package_imports_only_its_rank_or_lower(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in _imports(path) & RANK.keys():
            if RANK[name] > RANK[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {name}")
    assert offenders == []
