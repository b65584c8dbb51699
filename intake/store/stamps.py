"""Moving a case's change stamp (`CaseRow.updated_at`) inside the transaction that changes it.

The case list keeps a stored summary per case (`summaries`) and trusts it while its stamp
is the case's; so every change that can alter a case's checklist (a file added, superseded,
removed, read or queued again; a note added or withdrawn) moves the stamp.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from intake.store.tables import CaseRow, FileRow, now


def touch_case(s: Session, case_id: str) -> None:
    s.execute(update(CaseRow).where(CaseRow.id == case_id).values(updated_at=now()))


def touch_case_of_file(s: Session, file_id: int) -> None:
    owner = select(FileRow.case_id).where(FileRow.id == file_id).scalar_subquery()
    s.execute(update(CaseRow).where(CaseRow.id == owner).values(updated_at=now()))
