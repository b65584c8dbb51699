"""Bringing a database an earlier version created up to date, once per process and URL."""

from __future__ import annotations

import os
import threading

from sqlalchemy import Engine, inspect, text

from intake.store.db import engine_for

# Columns added after the first release: (table, column, SQL type), added at store open to a
# database an earlier version created (create_all never alters an existing table).
ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("rr_case_files", "claimed_by", "VARCHAR(256)"),
    ("rr_case_files", "removed_at", "TIMESTAMP"),
)
_migrated: set[str] = set()
_lock = threading.Lock()


def migrate(url: str) -> None:
    """Add missing columns, idempotently; safe when several processes open the store at once."""
    with _lock:
        if url in _migrated:
            return
        eng = engine_for(url)
        for table, column, sql_type in ADDED_COLUMNS:
            _add_column(eng, table, column, sql_type)
        _migrated.add(url)


def _columns(eng: Engine, table: str) -> set[str]:
    return {c["name"] for c in inspect(eng).get_columns(table)}


def _add_column(eng: Engine, table: str, column: str, sql_type: str) -> None:
    if column in _columns(eng, table):
        return
    try:
        with eng.begin() as conn:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))
    except Exception:
        # Another process added it between our look and our ALTER: fine if it is there.
        if column not in _columns(eng, table):
            raise


def _after_fork_in_child() -> None:
    # A fork taken while another thread held the lock would leave it held for good.
    global _lock
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
