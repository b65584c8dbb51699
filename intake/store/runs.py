"""Batch runs' counters (pages read vs. served from cache), kept for audit and proof."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import update

from intake.store.base import StoreBase
from intake.store.tables import RunRow, now


class RunLog(StoreBase):
    def start_run(self) -> int:
        row = RunRow(stats={})
        with self._session() as s:
            s.add(row)
            s.flush()
            return row.id

    def finish_run(self, run_id: int, stats: dict[str, Any]) -> None:
        with self._session() as s:
            s.execute(
                update(RunRow)
                .where(RunRow.id == run_id)
                .values(finished_at=now(), stats=json.loads(json.dumps(stats)))
            )

    def run_stats(self, run_id: int) -> dict[str, Any] | None:
        with self._session() as s:
            row = s.get(RunRow, run_id)
            return dict(row.stats) if row else None
