"""Command modules; each exposes `register(app: typer.Typer) -> None`."""

from __future__ import annotations

import importlib
from types import ModuleType

_NAMES = (
    "extract",
    "classify",
    "programs",
    "check",
    "batch",
    "evaluate",
    "schema",
    "app",
    "users",
    "worker",
)

COMMAND_MODULES: list[ModuleType] = [importlib.import_module(f"ui.cli.{n}") for n in _NAMES]
