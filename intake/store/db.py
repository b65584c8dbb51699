"""One SQLAlchemy declarative base and engine factory for every table of the store."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import CursorResult, Engine, Result, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from intake.store.private import owner_only, private_file


class Base(DeclarativeBase):
    pass


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
    # WAL lets the UI read while batch workers write; a busy timeout instead of
    # "database is locked" when several processes commit at once.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    if url.startswith("sqlite"):
        # Before SQLite creates the file: it gives its journal and WAL the file's own mode.
        owner_only()
        path = url.removeprefix("sqlite:///")
        if url.startswith("sqlite:///") and path and not path.startswith(":memory:"):
            private_file(Path(path))
        eng = create_engine(url, connect_args={"timeout": 30})
        event.listen(eng, "connect", _sqlite_pragmas)
    else:
        eng = create_engine(url, pool_pre_ping=True)
    return eng


def session_factory(url: str) -> sessionmaker:
    eng = engine_for(url)
    Base.metadata.create_all(eng)
    return sessionmaker(bind=eng, expire_on_commit=False)


def affected(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE changed (SQLAlchemy types execute() as Result, but DML runs
    return a CursorResult, which carries the count)."""
    return (result.rowcount or 0) if isinstance(result, CursorResult) else 0
