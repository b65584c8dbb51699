"""AppTest fixtures: each test gets its own RECORDREADY_HOME (SQLite file + blobs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from app_helpers import ADMIN, COORD

from intake.access.auth import Accounts, Role
from intake.store.db import session_factory


@pytest.fixture()
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    h = tmp_path / "home"
    h.mkdir()
    monkeypatch.setenv("RECORDREADY_HOME", str(h))
    monkeypatch.delenv("RECORDREADY_DATABASE_URL", raising=False)
    monkeypatch.delenv("RECORDREADY_BLOB_DIR", raising=False)
    yield h


@pytest.fixture()
def accounts(home: Path) -> Accounts:
    acc = Accounts(session_factory(f"sqlite:///{home / 'recordready.db'}"))
    acc.add(*COORD, Role.COORDINATOR)
    acc.add(*ADMIN, Role.ADMIN)
    return acc
