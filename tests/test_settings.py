"""One settings object reads every RECORDREADY_* variable; nothing else reads them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pydantic import ValidationError

from intake.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("extractors", "checklists", "intake", "ui")


def _module_constants(tree: ast.Module) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    out[target.id] = node.value.value
    return out


def _env_reads(path: Path) -> list[str]:
    """Keys this module reads from the environment (os.environ.get/[...], os.getenv)."""
    tree = ast.parse(path.read_text())
    consts = _module_constants(tree)

    def key(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            return consts.get(node.id)
        return None

    def is_environ(node: ast.expr) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    keys: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args:
            f = node.func
            if (f.attr == "get" and is_environ(f.value)) or f.attr == "getenv":
                keys.append(key(node.args[0]) or "")
        elif (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and is_environ(node.value)
        ):
            keys.append(key(node.slice) or "")
    return keys


def test_only_the_settings_module_reads_recordready_variables() -> None:
    readers = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "intake" / "settings.py":
                continue
            if any(k.startswith("RECORDREADY_") for k in _env_reads(path)):
                readers.append(str(path.relative_to(ROOT)))
    assert readers == []


def test_the_checker_sees_a_real_read(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        'import os\nVAR = "RECORDREADY_X"\nA = os.environ.get(VAR)\nB = os.getenv("RECORDREADY_Y")\n'
    )
    assert _env_reads(module) == ["RECORDREADY_X", "RECORDREADY_Y"]


def test_defaults_live_in_the_home_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOME", "DATABASE_URL", "BLOB_DIR", "PROGRAMS_DIR", "BROKER_URL"):
        monkeypatch.delenv(f"RECORDREADY_{name}", raising=False)
    monkeypatch.setenv("RECORDREADY_HOME", str(tmp_path / "h"))
    s = Settings.from_env()
    assert s.home == (tmp_path / "h").resolve()
    assert s.database_url == f"sqlite:///{s.home / 'recordready.db'}"
    assert s.blob_dir == s.home / "blobs"
    assert s.broker_url is None and s.programs_dirs == [] and s.queue == "recordready"
    # An explicit home (a command's --home) wins over the variable.
    assert Settings.from_env(tmp_path / "other").home == (tmp_path / "other").resolve()


def test_variables_are_read_and_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECORDREADY_PROGRAMS_DIR", f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    monkeypatch.setenv("RECORDREADY_OCR_TIMEOUT", "45")
    monkeypatch.setenv("RECORDREADY_BROKER_URL", "  ")
    monkeypatch.setenv("RECORDREADY_DATABASE_URL", "postgresql+psycopg://db/rr")
    monkeypatch.setenv("RECORDREADY_PUBLIC_URL", "https://records.example.org/")
    s = Settings.from_env()
    assert s.public_url == "https://records.example.org"
    assert s.programs_dirs == [tmp_path / "a", tmp_path / "b"]
    assert s.ocr_timeout_s == 45.0
    assert s.broker_url is None  # blank is unset
    assert s.database_url == "postgresql+psycopg://db/rr"
    # Settings.at ignores the deployment's database: a store of its own in that folder.
    assert (
        Settings.at(tmp_path).database_url == f"sqlite:///{tmp_path.resolve() / 'recordready.db'}"
    )


def test_a_malformed_value_names_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RECORDREADY_OCR_TIMEOUT", "soon")
    with pytest.raises(ValidationError) as err:
        Settings.from_env()
    assert "RECORDREADY_OCR_TIMEOUT" in str(err.value)


def test_a_public_address_without_its_host_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # A patient link built on it would be a dead link in an e-mail.
    for bad in ("records.example.org", "http://", "/patient"):
        monkeypatch.setenv("RECORDREADY_PUBLIC_URL", bad)
        with pytest.raises(ValidationError, match="RECORDREADY_PUBLIC_URL|public_url"):
            Settings.from_env()
