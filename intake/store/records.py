"""The plain frozen values the store hands out, so callers never hold an open session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from intake.store.kinds import FileStatus, NoteKind
from intake.store.tables import CaseRow, FileRow, NoteRow


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    program: str | None
    as_of: dt.date | None
    patient: dict[str, Any]
    source: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class StoredFile:
    id: int
    case_id: str
    sha256: str
    name: str
    size: int
    uploaded_at: dt.datetime
    status: FileStatus
    error_code: str | None
    error_message: str | None
    pages_done: int
    pages_total: int
    removed_at: dt.datetime | None = None


@dataclass(frozen=True)
class Note:
    id: int
    case_id: str
    kind: NoteKind
    payload: dict[str, Any]
    author: str
    created_at: dt.datetime
    withdrawn_at: dt.datetime | None


@dataclass(frozen=True)
class Progress:
    files_total: int
    files_done: int
    files_error: int
    pages_done: int
    pages_total: int


def case_of(r: CaseRow) -> Case:
    return Case(
        id=r.id,
        name=r.name,
        program=r.program,
        as_of=r.as_of,
        patient=dict(r.patient or {}),
        source=r.source,
        created_at=r.created_at,
        updated_at=r.updated_at,
    )


def file_of(r: FileRow) -> StoredFile:
    return StoredFile(
        id=r.id,
        case_id=r.case_id,
        sha256=r.sha256,
        name=r.name,
        size=r.size,
        uploaded_at=r.uploaded_at,
        status=FileStatus(r.status),
        error_code=r.error_code,
        error_message=r.error_message,
        pages_done=r.pages_done,
        pages_total=r.pages_total,
        removed_at=r.removed_at,
    )


def note_of(r: NoteRow) -> Note:
    return Note(
        id=r.id,
        case_id=r.case_id,
        kind=NoteKind(r.kind),
        payload=dict(r.payload),
        author=r.author,
        created_at=r.created_at,
        withdrawn_at=r.withdrawn_at,
    )
