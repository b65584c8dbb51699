"""Reviewers' notes on a case: corrections and waivers, withdrawn but never deleted."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update

from intake.store.base import StoreBase
from intake.store.kinds import NoteKind
from intake.store.records import Note, note_of
from intake.store.stamps import touch_case
from intake.store.tables import CaseRow, NoteRow, now


class NoteOps(StoreBase):
    def add_note(
        self, case_id: str, kind: NoteKind | str, payload: dict[str, Any], author: str
    ) -> Note:
        """Record a correction (e.g. a fixed field) or a waiver (a requirement set aside)."""
        row = NoteRow(
            case_id=case_id,
            kind=NoteKind(kind).value,
            # A copy through JSON: the note keeps what was said, whatever the caller changes.
            payload=json.loads(json.dumps(payload)),
            author=author,
        )
        with self._session() as s:
            s.add(row)
            touch_case(s, case_id)
            s.flush()
            return note_of(row)

    def notes(self, case_id: str, include_withdrawn: bool = False) -> list[Note]:
        q = select(NoteRow).where(NoteRow.case_id == case_id)
        if not include_withdrawn:
            q = q.where(NoteRow.withdrawn_at.is_(None))
        with self._session() as s:
            return [note_of(r) for r in s.scalars(q.order_by(NoteRow.id))]

    def note_ids_by_case(self) -> dict[str, list[int]]:
        """Every case's live note ids in one query (the case list keys its cache by them)."""
        out: dict[str, list[int]] = {}
        q = select(NoteRow.case_id, NoteRow.id).where(NoteRow.withdrawn_at.is_(None))
        with self._session() as s:
            for case_id, note_id in s.execute(q.order_by(NoteRow.id)):
                out.setdefault(case_id, []).append(note_id)
        return out

    def withdraw_note(self, note_id: int, author: str) -> None:
        """Withdraw rather than delete, so the audit trail keeps who changed what."""
        with self._session() as s:
            s.execute(
                update(NoteRow)
                .where(NoteRow.id == note_id)
                .values(withdrawn_at=now(), withdrawn_by=author)
            )
            owner = select(NoteRow.case_id).where(NoteRow.id == note_id).scalar_subquery()
            s.execute(update(CaseRow).where(CaseRow.id == owner).values(updated_at=now()))
