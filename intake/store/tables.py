"""The store's SQL tables (SQLAlchemy rows); callers get `records` values, never these rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from intake.store.db import Base
from intake.store.kinds import FileStatus


def now() -> dt.datetime:
    """The current time as stored: naive UTC (SQLite drops tz info, so every backend agrees)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class CaseRow(Base):
    __tablename__ = "rr_cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Stable outside key (e.g. "inbox:/abs/path/folder") so re-runs find the same case.
    source: Mapped[str | None] = mapped_column(String(1024), unique=True, nullable=True)
    name: Mapped[str] = mapped_column(String(512))
    program: Mapped[str | None] = mapped_column(String(128), nullable=True)
    as_of: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    patient: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    # The case's change stamp: moved by every change to the case, its files, their reading
    # or its notes, so a stored summary (CaseSummaryRow) knows when it is out of date.
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class CaseSummaryRow(Base):
    """A case's row in the coordinators' case list, stored when the case changes.

    The counts come from evaluating the case's checklist, which costs milliseconds a case:
    10,000 cases evaluated on each view of the list took 38 s. `stamp` is the case's
    `updated_at` and `basis` the day and program set the counts were made under; a row
    whose stamp or basis differs is out of date and is made again.
    """

    __tablename__ = "rr_case_summaries"

    case_id: Mapped[str] = mapped_column(
        ForeignKey("rr_cases.id", ondelete="CASCADE"), primary_key=True
    )
    stamp: Mapped[dt.datetime] = mapped_column(DateTime)
    basis: Mapped[str] = mapped_column(String(128))
    # no_files, reading, ready or not_ready: what the list filters on.
    state: Mapped[str] = mapped_column(String(16), index=True)
    files: Mapped[int] = mapped_column(Integer, default=0)
    reading: Mapped[int] = mapped_column(Integer, default=0)
    documents: Mapped[int] = mapped_column(Integer, default=0)
    ready: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    missing: Mapped[int] = mapped_column(Integer, default=0)
    stale: Mapped[int] = mapped_column(Integer, default=0)
    problems: Mapped[int] = mapped_column(Integer, default=0)
    patient: Mapped[str] = mapped_column(String(512), default="")
    # The case's and the patient's names casefolded in Python: SQL's lower() (SQLite's
    # at least) folds ASCII only, so "ZOË" would not be found by "zoë".
    search: Mapped[str] = mapped_column(String(1100), default="")
    last_upload: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class FileRow(Base):
    __tablename__ = "rr_case_files"
    __table_args__ = (UniqueConstraint("case_id", "name", "sha256", name="uq_case_file"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("rr_cases.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(1024))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    status: Mapped[str] = mapped_column(String(16), default=FileStatus.QUEUED.value, index=True)
    error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    # Who is reading a 'processing' file (`owners.owner_id()`: host, pid, boot, process
    # start); updated_at doubles as its lease, renewed by the claimer's heartbeat.
    claimed_by: Mapped[str | None] = mapped_column(String(256), nullable=True)
    # Set when the patient (or staff) removed the upload: it leaves the checklist but stays
    # stored, audited and restorable by the care team.
    removed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class ResultRow(Base):
    """A whole-file result (e.g. its FileTexts, its Documents) per content hash and version."""

    __tablename__ = "rr_results"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(128), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class PageRow(Base):
    """One page's text, so a file interrupted mid-way resumes at its first unfinished page."""

    __tablename__ = "rr_pages"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(128), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)


class NoteRow(Base):
    """A reviewer's correction or waiver; keyed by case, so re-processing never drops it."""

    __tablename__ = "rr_case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("rr_cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    withdrawn_by: Mapped[str | None] = mapped_column(String(256), nullable=True)


class RunRow(Base):
    """One batch run's counters (pages read vs. served from cache), for audit and proof."""

    __tablename__ = "rr_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
