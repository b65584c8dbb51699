"""Opening a store: its settings, SQL sessions and blob folder, shared by every part of it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

from sqlalchemy.orm import Session

from intake.settings import Settings
from intake.store.blobs import BlobStore
from intake.store.db import session_factory
from intake.store.migrate import migrate
from intake.store.private import owner_only


class StoreBase:
    """What each part of the store (cases, files, claims, cache, notes, runs) builds on."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        owner_only()
        self._sessions = session_factory(self.settings.database_url)
        migrate(self.settings.database_url)
        self.blobs = BlobStore(self.settings.blob_dir)
        self._dialect = self._sessions.kw["bind"].dialect.name

    @classmethod
    def at(cls, home: Path | str) -> Self:
        """A store rooted in `home` (its own SQLite file and blob folder)."""
        return cls(Settings.at(home))

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back if it raises."""
        with self._sessions() as s, s.begin():
            yield s
