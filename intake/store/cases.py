"""Cases: a patient's folder of files, found again by its outside key on re-runs."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import delete, select

from extractors.names import clean_name
from intake.store.base import StoreBase
from intake.store.kinds import HOLDING_PREFIX
from intake.store.records import Case, case_of
from intake.store.tables import CaseRow, CaseSummaryRow, FileRow, NoteRow, now

_CHANGEABLE = frozenset({"name", "program", "as_of", "patient"})


# Within the columns (tables.CaseRow), whatever a folder or a person called the case.
CASE_NAME_MAX = 500
CASE_SOURCE_MAX = 1000


class CaseOps(StoreBase):
    def create_case(
        self,
        name: str,
        program: str | None = None,
        as_of: dt.date | None = None,
        patient: dict[str, Any] | None = None,
        source: str | None = None,
    ) -> Case:
        row = CaseRow(
            id=uuid.uuid4().hex,
            source=None if source is None else clean_name(source, CASE_SOURCE_MAX),
            name=clean_name(name, CASE_NAME_MAX),
            program=program,
            as_of=as_of,
            patient=patient or {},
        )
        with self._session() as s:
            s.add(row)
        return case_of(row)

    def upsert_case(
        self,
        source: str,
        name: str,
        program: str | None = None,
        as_of: dt.date | None = None,
        patient: dict[str, Any] | None = None,
    ) -> Case:
        """The case with this outside key, created or brought up to date."""
        source, name = clean_name(source, CASE_SOURCE_MAX), clean_name(name, CASE_NAME_MAX)
        with self._session() as s:
            row = s.scalars(select(CaseRow).where(CaseRow.source == source)).one_or_none()
            if row is None:
                row = CaseRow(id=uuid.uuid4().hex, source=source, name=name, patient={})
                s.add(row)
            wanted = (name, program, as_of, patient or {})
            if (row.name, row.program, row.as_of, row.patient) != wanted:
                row.name, row.program, row.as_of, row.patient = wanted
                row.updated_at = now()
            s.flush()
            return case_of(row)

    def update_case(self, case_id: str, **changes: Any) -> Case:
        """Change `name`, `program`, `as_of` or `patient` of a case."""
        unknown = set(changes) - _CHANGEABLE
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}")
        with self._session() as s:
            row = s.get(CaseRow, case_id)
            if row is None:
                raise KeyError(case_id)
            if isinstance(changes.get("name"), str):
                changes["name"] = clean_name(changes["name"], CASE_NAME_MAX)
            for k, v in changes.items():
                setattr(row, k, v)
            row.updated_at = now()
            s.flush()
            return case_of(row)

    def get_case(self, case_id: str) -> Case | None:
        with self._session() as s:
            row = s.get(CaseRow, case_id)
            return case_of(row) if row else None

    def cases(self, include_holding: bool = False) -> list[Case]:
        """Every case, oldest first; holding areas (an inbox's loose files) only on request."""
        q = select(CaseRow).order_by(CaseRow.created_at)
        if not include_holding:
            q = q.where((CaseRow.source.is_(None)) | (~CaseRow.source.startswith(HOLDING_PREFIX)))
        with self._session() as s:
            return [case_of(r) for r in s.scalars(q)]

    def delete_case(self, case_id: str) -> None:
        """Drop a case with its files and notes; blobs and cached results stay (shared)."""
        with self._session() as s:
            s.execute(delete(CaseSummaryRow).where(CaseSummaryRow.case_id == case_id))
            s.execute(delete(NoteRow).where(NoteRow.case_id == case_id))
            s.execute(delete(FileRow).where(FileRow.case_id == case_id))
            s.execute(delete(CaseRow).where(CaseRow.id == case_id))
