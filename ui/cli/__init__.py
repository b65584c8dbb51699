"""The `recordready` command line: one module per command (see registry)."""

from ui.cli.main import main

__all__ = ["main"]
