"""Cached pipeline results, keyed by content hash and version, never by case or file name.

The same bytes are read once per pipeline version whichever case or upload they arrive in.
Payloads are JSON-able values stored verbatim: the store knows nothing about extractors.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from intake.store.base import StoreBase
from intake.store.db import Base
from intake.store.tables import PageRow, ResultRow, now


class ResultCache(StoreBase):
    def put_result(self, sha256: str, kind: str, version: str, payload: Any) -> None:
        self.put_results(sha256, version, {kind: payload})

    def put_results(self, sha256: str, version: str, payloads: dict[str, Any]) -> None:
        """Several kinds of result for one sha256 in one transaction (all or none)."""
        with self._session() as s:
            for kind, payload in payloads.items():
                row = {"sha256": sha256, "kind": kind, "version": version}
                self._upsert(s, ResultRow, row, _payload(payload))

    def get_result(self, sha256: str, kind: str, version: str) -> Any | None:
        with self._session() as s:
            row = s.get(ResultRow, (sha256, kind, version))
            return json.loads(row.payload) if row else None

    def put_page(self, sha256: str, version: str, number: int, payload: Any) -> None:
        self.put_pages(sha256, version, {number: payload})

    def put_pages(self, sha256: str, version: str, pages: dict[int, Any]) -> None:
        """Several pages of one item in one transaction (one fsync, not one per page)."""
        with self._session() as s:
            for number, payload in pages.items():
                row = {"sha256": sha256, "version": version, "number": number}
                self._upsert(s, PageRow, row, _payload(payload))

    def get_pages(self, sha256: str, version: str) -> dict[int, Any]:
        """Cached pages of one item, by page number."""
        with self._session() as s:
            rows = s.scalars(
                select(PageRow).where(PageRow.sha256 == sha256, PageRow.version == version)
            )
            return {r.number: json.loads(r.payload) for r in rows}

    def count_pages(self, sha256s: Iterable[str], version: str) -> int:
        """How many pages of these items are cached for `version`."""
        q = (
            select(func.count())
            .select_from(PageRow)
            .where(PageRow.sha256.in_(list(set(sha256s))), PageRow.version == version)
        )
        with self._session() as s:
            return s.scalar(q) or 0

    def _upsert(
        self, s: Session, table: type[Base], key: dict[str, Any], rest: dict[str, Any]
    ) -> None:
        """Insert a row by its primary `key`, or overwrite the `rest` of the one there."""
        # Two workers may finish the same bytes at once: last writer wins, no IntegrityError.
        values = {**key, **rest}
        if self._dialect == "sqlite":
            lite = sqlite_insert(table).values(**values)
            s.execute(lite.on_conflict_do_update(index_elements=list(key), set_=rest))
        elif self._dialect == "postgresql":
            pg = pg_insert(table).values(**values)
            s.execute(pg.on_conflict_do_update(index_elements=list(key), set_=rest))
        else:
            s.merge(table(**values))


def _payload(payload: Any) -> dict[str, Any]:
    """The non-key columns of a cached row: the payload as sorted JSON, and when."""
    return {"payload": json.dumps(payload, sort_keys=True), "created_at": now()}
