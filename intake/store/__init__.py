"""The case store: cases, their files, cached pipeline results, corrections, and progress.

Shared by the CLI, the batch runner and the Streamlit app. Rows live in SQL (SQLite by
default, any SQLAlchemy URL works); original bytes live in a content-addressed BlobStore.
Pipeline results are keyed by content hash and version, never by case or file name, so the
same bytes are read once per pipeline version whichever case or upload they arrive in.
Everything returned is a plain frozen dataclass, so callers never hold an open session.

This module knows nothing about extractors: results are JSON-able dicts it stores verbatim.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    delete,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from intake.settings import Settings
from intake.store.blobs import BlobStore
from intake.store.db import Base, engine_for, session_factory


def _now() -> dt.datetime:
    # Naive UTC: SQLite drops tz info, so keep every backend uniform.
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


# --- who holds a claim ----------------------------------------------------------------------


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:  # not Linux: the lease alone decides
        return ""


def _start_ticks(pid: int) -> str:
    """When `pid` started (clock ticks since boot), "" if unknown or gone: tells a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name may hold spaces and parentheses: split after its closing one.
    fields = stat.rsplit(")", 1)[1].split()
    return "" if fields[0] in ("Z", "X") else fields[19]


_BOOT = _boot_id()


def owner_id() -> str:
    """This process as a claim owner: host:pid:boot-id:start (computed per call: forks differ)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_BOOT}:{_start_ticks(pid)}"


def is_gone(owner: str) -> bool:
    """True when `owner` ran on this host and is certainly not running any more.

    Owners on other hosts are never judged here (their lease decides), nor are owners in
    a format we cannot read.
    """
    parts = owner.rsplit(":", 3)
    if len(parts) != 4 or not parts[1].isdigit():
        return False
    host, pid, boot, start = parts[0], int(parts[1]), parts[2], parts[3]
    if host != socket.gethostname():
        return False
    if boot and _BOOT and boot != _BOOT:
        return True  # the machine restarted since the claim
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    now = _start_ticks(pid) if Path("/proc").is_dir() else start
    # Empty: a zombie (killed, not yet reaped); different: the pid now names another process.
    return now != start


# Sources of pseudo-cases that hold files not yet filed to a patient (a batch inbox's loose
# files): stored like any case so their originals are durable, but not listed as cases.
HOLDING_PREFIX = "holding:"


class FileStatus(StrEnum):
    QUEUED = "queued"  # stored durably, waiting for the pipeline
    PROCESSING = "processing"
    DONE = "done"
    ERROR = "error"  # rejected (encrypted, corrupt, ...); error_code says why
    SUPERSEDED = "superseded"  # the same name now holds other bytes


class NoteKind(StrEnum):
    CORRECTION = "correction"
    WAIVER = "waiver"


# --- tables --------------------------------------------------------------------------------


class CaseRow(Base):
    __tablename__ = "rr_cases"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Stable outside key (e.g. "inbox:/abs/path/folder") so re-runs find the same case.
    source: Mapped[str | None] = mapped_column(String(1024), unique=True, nullable=True)
    name: Mapped[str] = mapped_column(String(512))
    program: Mapped[str | None] = mapped_column(String(128), nullable=True)
    as_of: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    patient: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class FileRow(Base):
    __tablename__ = "rr_case_files"
    __table_args__ = (UniqueConstraint("case_id", "name", "sha256", name="uq_case_file"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("rr_cases.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(1024))
    size: Mapped[int] = mapped_column(Integer)
    uploaded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    status: Mapped[str] = mapped_column(String(16), default=FileStatus.QUEUED.value, index=True)
    error_code: Mapped[str | None] = mapped_column(String(32), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    pages_done: Mapped[int] = mapped_column(Integer, default=0)
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    # Who is reading a 'processing' file (`owner_id()`: host, pid, boot,
    # process start); updated_at doubles as its lease, renewed by the claimer's heartbeat.
    claimed_by: Mapped[str | None] = mapped_column(String(256), nullable=True)


# Columns added after the first release: (table, column, SQL type), added at store open to a
# database an earlier version created (create_all never alters an existing table).
_ADDED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("rr_case_files", "claimed_by", "VARCHAR(256)"),
)
_migrated: set[str] = set()
_migrate_lock = threading.Lock()


def _migrate(url: str) -> None:
    """Add missing columns, idempotently; safe when several processes open the store at once."""
    with _migrate_lock:
        if url in _migrated:
            return
        eng = engine_for(url)
        for table, column, sql_type in _ADDED_COLUMNS:
            if column in {c["name"] for c in inspect(eng).get_columns(table)}:
                continue
            try:
                with eng.begin() as conn:
                    conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {sql_type}"))
            except Exception:
                # Another process added it between our look and our ALTER: fine if it is there.
                if column not in {c["name"] for c in inspect(eng).get_columns(table)}:
                    raise
        _migrated.add(url)


# A claimer renews its lease this often; a claim not renewed for LEASE_S is up for grabs.
HEARTBEAT_S = 15.0
LEASE_S = 120.0


class _Heartbeat:
    """One daemon thread per process and database renewing this process's claims.

    It stops by itself once the process holds no claim, so idle processes (and test
    runs opening many stores) keep no thread.
    """

    _beats: dict[tuple[str, int], _Heartbeat] = {}
    _lock = threading.Lock()

    def __init__(self, store: Store) -> None:
        self.store = store
        self.owner = owner_id()
        self.thread = threading.Thread(target=self._run, name="recordready-lease", daemon=True)

    @classmethod
    def ensure(cls, store: Store) -> None:
        key = (store.settings.database_url, os.getpid())
        with cls._lock:
            if key not in cls._beats:
                beat = cls._beats[key] = cls(store)
                beat.thread.start()

    def _run(self) -> None:
        key = (self.store.settings.database_url, os.getpid())
        while True:
            time.sleep(HEARTBEAT_S)
            # Renew and decide to stop under the lock: a claim made meanwhile either is
            # renewed here or finds no thread and starts a new one.
            with self._lock:
                try:
                    held = self.store.renew_claims(self.owner)
                except Exception:  # a busy or unreachable database: try again next beat
                    held = 1
                if held == 0:
                    self._beats.pop(key, None)
                    return


def _after_fork_in_child() -> None:
    # A fork taken while another thread held these locks would leave them held for good in
    # the child; the parent's heartbeat threads do not exist there either.
    global _migrate_lock
    _migrate_lock = threading.Lock()
    _Heartbeat._lock = threading.Lock()
    _Heartbeat._beats = {}


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


class ResultRow(Base):
    """A whole-file result (e.g. its FileTexts, its Documents) per content hash and version."""

    __tablename__ = "rr_results"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    version: Mapped[str] = mapped_column(String(128), primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class PageRow(Base):
    """One page's text, so a file interrupted mid-way resumes at its first unfinished page."""

    __tablename__ = "rr_pages"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(128), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, primary_key=True)
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


class NoteRow(Base):
    """A reviewer's correction or waiver; keyed by case, so re-processing never drops it."""

    __tablename__ = "rr_case_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("rr_cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    withdrawn_by: Mapped[str | None] = mapped_column(String(256), nullable=True)


class RunRow(Base):
    """One batch run's counters (pages read vs. served from cache), for audit and proof."""

    __tablename__ = "rr_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    stats: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


# --- values handed to callers --------------------------------------------------------------


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


def _case(r: CaseRow) -> Case:
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


def _file(r: FileRow) -> StoredFile:
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
    )


def _note(r: NoteRow) -> Note:
    return Note(
        id=r.id,
        case_id=r.case_id,
        kind=NoteKind(r.kind),
        payload=dict(r.payload),
        author=r.author,
        created_at=r.created_at,
        withdrawn_at=r.withdrawn_at,
    )


class Store:
    """The one entry point to persisted state. Safe to use from several processes at once."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings.from_env()
        if self.settings.database_url.startswith("sqlite:///"):
            Path(self.settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
                parents=True, exist_ok=True
            )
        self._sessions = session_factory(self.settings.database_url)
        _migrate(self.settings.database_url)
        self.blobs = BlobStore(self.settings.blob_dir)
        self._dialect = self._sessions.kw["bind"].dialect.name

    @classmethod
    def at(cls, home: Path | str) -> Store:
        """A store rooted in `home` (its own SQLite file and blob folder)."""
        home = Path(home).resolve()
        return cls(
            Settings(
                home=home,
                database_url=f"sqlite:///{home / 'recordready.db'}",
                blob_dir=home / "blobs",
            )
        )

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions() as s, s.begin():
            yield s

    # --- cases ---------------------------------------------------------------------------

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
            source=source,
            name=name,
            program=program,
            as_of=as_of,
            patient=patient or {},
        )
        with self._session() as s:
            s.add(row)
        return _case(row)

    def upsert_case(
        self,
        source: str,
        name: str,
        program: str | None = None,
        as_of: dt.date | None = None,
        patient: dict[str, Any] | None = None,
    ) -> Case:
        """The case with this outside key, created or brought up to date."""
        with self._session() as s:
            row = s.scalars(select(CaseRow).where(CaseRow.source == source)).one_or_none()
            if row is None:
                row = CaseRow(id=uuid.uuid4().hex, source=source, name=name, patient={})
                s.add(row)
            changed = (row.name, row.program, row.as_of, row.patient) != (
                name,
                program,
                as_of,
                patient or {},
            )
            if changed:
                row.name, row.program, row.as_of = name, program, as_of
                row.patient = patient or {}
                row.updated_at = _now()
            s.flush()
            return _case(row)

    def update_case(self, case_id: str, **changes: Any) -> Case:
        """Change `name`, `program`, `as_of` or `patient` of a case."""
        allowed = {"name", "program", "as_of", "patient"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}")
        with self._session() as s:
            row = s.get(CaseRow, case_id)
            if row is None:
                raise KeyError(case_id)
            for k, v in changes.items():
                setattr(row, k, v)
            row.updated_at = _now()
            s.flush()
            return _case(row)

    def get_case(self, case_id: str) -> Case | None:
        with self._session() as s:
            row = s.get(CaseRow, case_id)
            return _case(row) if row else None

    def cases(self, include_holding: bool = False) -> list[Case]:
        """Every case, oldest first; holding areas (an inbox's loose files) only on request."""
        q = select(CaseRow).order_by(CaseRow.created_at)
        if not include_holding:
            q = q.where((CaseRow.source.is_(None)) | (~CaseRow.source.startswith(HOLDING_PREFIX)))
        with self._session() as s:
            return [_case(r) for r in s.scalars(q)]

    def delete_case(self, case_id: str) -> None:
        """Drop a case with its files and notes; blobs and cached results stay (shared)."""
        with self._session() as s:
            s.execute(delete(NoteRow).where(NoteRow.case_id == case_id))
            s.execute(delete(FileRow).where(FileRow.case_id == case_id))
            s.execute(delete(CaseRow).where(CaseRow.id == case_id))

    # --- files ---------------------------------------------------------------------------

    def add_file(self, case_id: str, name: str, data: bytes) -> StoredFile:
        """Store bytes durably, then record them in the case (idempotent per name + content)."""
        sha = self.blobs.put(data)
        return self._record_file(case_id, name, sha, len(data))

    def add_path(self, case_id: str, path: Path, name: str | None = None) -> StoredFile:
        """Like add_file, streaming from disk; `name` defaults to the file name."""
        sha, size = self.blobs.put_file(path)
        return self._record_file(case_id, name or path.name, sha, size)

    def attach(self, case_id: str, name: str, sha256: str) -> StoredFile:
        """Record an already stored blob in (another) case, e.g. a loose file once assigned."""
        if not self.blobs.exists(sha256):
            raise FileNotFoundError("no stored original with that sha256")
        return self._record_file(case_id, name, sha256, self.blobs.path(sha256).stat().st_size)

    def _record_file(self, case_id: str, name: str, sha: str, size: int) -> StoredFile:
        with self._session() as s:
            row = s.scalars(
                select(FileRow).where(
                    FileRow.case_id == case_id, FileRow.name == name, FileRow.sha256 == sha
                )
            ).one_or_none()
            s.execute(
                update(FileRow)
                .where(FileRow.case_id == case_id, FileRow.name == name, FileRow.sha256 != sha)
                .values(status=FileStatus.SUPERSEDED.value, updated_at=_now())
            )
            if row is None:
                row = FileRow(case_id=case_id, name=name, sha256=sha, size=size)
                s.add(row)
                s.execute(update(CaseRow).where(CaseRow.id == case_id).values(updated_at=_now()))
            elif row.status == FileStatus.SUPERSEDED.value:
                # The name went back to these bytes: they are current again.
                row.status = FileStatus.QUEUED.value
            s.flush()
            return _file(row)

    def files(self, case_id: str, include_superseded: bool = False) -> list[StoredFile]:
        q = select(FileRow).where(FileRow.case_id == case_id)
        if not include_superseded:
            q = q.where(FileRow.status != FileStatus.SUPERSEDED.value)
        with self._session() as s:
            return [_file(r) for r in s.scalars(q.order_by(FileRow.name, FileRow.id))]

    def get_file(self, file_id: int) -> StoredFile | None:
        with self._session() as s:
            row = s.get(FileRow, file_id)
            return _file(row) if row else None

    def remove_file(self, file_id: int) -> None:
        with self._session() as s:
            s.execute(delete(FileRow).where(FileRow.id == file_id))

    def file_bytes(self, f: StoredFile) -> bytes:
        return self.blobs.get(f.sha256)

    def set_status(
        self,
        file_id: int,
        status: FileStatus,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> None:
        processing = status is FileStatus.PROCESSING
        with self._session() as s:
            s.execute(
                update(FileRow)
                .where(FileRow.id == file_id)
                .values(
                    status=status.value,
                    error_code=error_code,
                    error_message=error_message,
                    updated_at=_now(),
                    claimed_by=owner_id() if processing else None,
                )
            )
        if processing:
            _Heartbeat.ensure(self)

    def set_progress(self, file_id: int, pages_done: int, pages_total: int) -> None:
        with self._session() as s:
            s.execute(
                update(FileRow)
                .where(FileRow.id == file_id)
                .values(pages_done=pages_done, pages_total=pages_total, updated_at=_now())
            )

    # --- the work queue --------------------------------------------------------------------

    def enqueue(self, file_id: int) -> None:
        """Ask for a file to be (re)processed by whichever worker claims it next."""
        with self._session() as s:
            s.execute(
                update(FileRow)
                .where(FileRow.id == file_id)
                .values(
                    status=FileStatus.QUEUED.value,
                    error_code=None,
                    error_message=None,
                    pages_done=0,
                    updated_at=_now(),
                    claimed_by=None,
                )
            )

    def claim_next(
        self, case_id: str | None = None, unsourced_only: bool = False
    ) -> StoredFile | None:
        """Atomically take the oldest queued file (optionally of one case) for processing.

        The claim records this process as its owner and is kept alive by a heartbeat, so
        `requeue_orphaned` can tell a live reader's files from a dead one's.
        `unsourced_only` skips cases with an outside key (batch inbox folders and holding
        areas): their runner stores a whole inbox as queued before reading it, and
        re-lists and reads it again when restarted.
        """
        for _ in range(20):
            with self._session() as s:
                q = select(FileRow.id).where(FileRow.status == FileStatus.QUEUED.value)
                if case_id is not None:
                    q = q.where(FileRow.case_id == case_id)
                if unsourced_only:
                    q = q.join(CaseRow, CaseRow.id == FileRow.case_id).where(
                        CaseRow.source.is_(None)
                    )
                file_id = s.scalars(q.order_by(FileRow.id).limit(1)).first()
                if file_id is None:
                    return None
                # Compare-and-set: another process may have claimed it in between.
                res = s.execute(
                    update(FileRow)
                    .where(FileRow.id == file_id, FileRow.status == FileStatus.QUEUED.value)
                    .values(
                        status=FileStatus.PROCESSING.value, updated_at=_now(), claimed_by=owner_id()
                    )
                )
                if res.rowcount == 1:
                    claimed = _file(s.get(FileRow, file_id))
                    break
        else:
            return None
        _Heartbeat.ensure(self)
        return claimed

    def renew_claims(self, owner: str | None = None) -> int:
        """Renew the lease of every file `owner` (this process) is reading; returns how many."""
        with self._session() as s:
            res = s.execute(
                update(FileRow)
                .where(
                    FileRow.status == FileStatus.PROCESSING.value,
                    FileRow.claimed_by == (owner or owner_id()),
                )
                .values(updated_at=_now())
            )
            return res.rowcount or 0

    def requeue_orphaned(self, lease_s: float = LEASE_S, include_own: bool = False) -> int:
        """Put back in the queue the 'processing' files whose reader is gone; returns how many.

        A claim is orphaned when its owner ran on this host and is no longer alive (the pid
        is gone, is another process now, or the machine rebooted), or when its lease was not
        renewed for `lease_s` seconds (an owner on another host, a hung one, or a claim made
        by a version without owners). Claims of live readers, here or elsewhere, are left
        alone. `include_own`: the caller holds no claim in flight, so this process's own
        claims are leftovers too (a run that starts after an earlier one in the process died).
        """
        cutoff = _now() - dt.timedelta(seconds=lease_s)
        me = owner_id()
        with self._session() as s:
            rows = s.execute(
                select(FileRow.id, FileRow.claimed_by, FileRow.updated_at).where(
                    FileRow.status == FileStatus.PROCESSING.value
                )
            ).all()
            orphaned = [
                fid
                for fid, owner, renewed in rows
                if (include_own and owner == me)
                or (owner != me and (renewed < cutoff or (owner is not None and is_gone(owner))))
            ]
            if not orphaned:
                return 0
            requeued = 0
            for fid, owner, renewed in rows:
                if fid not in orphaned:
                    continue
                # Compare-and-set on the claim seen: a claim renewed or taken over meanwhile
                # stays ("<=": an equal instant may be stored in another text form).
                res = s.execute(
                    update(FileRow)
                    .where(
                        FileRow.id == fid,
                        FileRow.status == FileStatus.PROCESSING.value,
                        FileRow.claimed_by.is_(None)
                        if owner is None
                        else FileRow.claimed_by == owner,
                        FileRow.updated_at <= renewed,
                    )
                    .values(status=FileStatus.QUEUED.value, updated_at=_now(), claimed_by=None)
                )
                requeued += res.rowcount or 0
            return requeued

    def requeue_stale(self) -> int:
        """At the start of a run: re-queue files left 'processing' by a killed run.

        Files a live reader elsewhere (the app, another batch) is reading are kept; this
        process's own earlier claims count as leftovers (see `requeue_orphaned`).
        """
        return self.requeue_orphaned(include_own=True)

    def has_queued(self, unsourced_only: bool = False) -> bool:
        """Whether any file waits in the queue (see `claim_next` for `unsourced_only`)."""
        q = select(FileRow.id).where(FileRow.status == FileStatus.QUEUED.value)
        if unsourced_only:
            q = q.join(CaseRow, CaseRow.id == FileRow.case_id).where(CaseRow.source.is_(None))
        with self._session() as s:
            return s.scalars(q.limit(1)).first() is not None

    def progress(self, case_id: str | None = None) -> Progress:
        q = select(FileRow).where(FileRow.status != FileStatus.SUPERSEDED.value)
        if case_id is not None:
            q = q.where(FileRow.case_id == case_id)
        with self._session() as s:
            rows = list(s.scalars(q))
        return Progress(
            files_total=len(rows),
            files_done=sum(r.status == FileStatus.DONE.value for r in rows),
            files_error=sum(r.status == FileStatus.ERROR.value for r in rows),
            pages_done=sum(r.pages_done for r in rows),
            pages_total=sum(r.pages_total for r in rows),
        )

    # --- cached results ------------------------------------------------------------------

    def _upsert(
        self, s: Session, table: type[Base], values: dict[str, Any], keys: list[str]
    ) -> None:
        # Two workers may finish the same bytes at once: last writer wins, no IntegrityError.
        if self._dialect == "sqlite":
            stmt = sqlite_insert(table).values(**values)
        elif self._dialect == "postgresql":
            stmt = pg_insert(table).values(**values)
        else:
            s.merge(table(**values))
            return
        rest = {k: v for k, v in values.items() if k not in keys}
        s.execute(stmt.on_conflict_do_update(index_elements=keys, set_=rest))

    def put_result(self, sha256: str, kind: str, version: str, payload: Any) -> None:
        self.put_results(sha256, version, {kind: payload})

    def put_results(self, sha256: str, version: str, payloads: dict[str, Any]) -> None:
        """Several kinds of result for one sha256 in one transaction (all or none)."""
        with self._session() as s:
            for kind, payload in payloads.items():
                self._upsert(
                    s,
                    ResultRow,
                    {
                        "sha256": sha256,
                        "kind": kind,
                        "version": version,
                        "payload": json.dumps(payload, sort_keys=True),
                        "created_at": _now(),
                    },
                    ["sha256", "kind", "version"],
                )

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
                self._upsert(
                    s,
                    PageRow,
                    {
                        "sha256": sha256,
                        "version": version,
                        "number": number,
                        "payload": json.dumps(payload, sort_keys=True),
                        "created_at": _now(),
                    },
                    ["sha256", "version", "number"],
                )

    def get_pages(self, sha256: str, version: str) -> dict[int, Any]:
        """Cached pages of one item, by page number."""
        with self._session() as s:
            rows = s.scalars(
                select(PageRow).where(PageRow.sha256 == sha256, PageRow.version == version)
            )
            return {r.number: json.loads(r.payload) for r in rows}

    def count_pages(self, sha256s: Iterable[str], version: str) -> int:
        keys = list(set(sha256s))
        with self._session() as s:
            return len(
                list(
                    s.scalars(
                        select(PageRow.number).where(
                            PageRow.sha256.in_(keys), PageRow.version == version
                        )
                    )
                )
            )

    # --- corrections and waivers -------------------------------------------------------------

    def add_note(
        self, case_id: str, kind: NoteKind | str, payload: dict[str, Any], author: str
    ) -> Note:
        """Record a correction (e.g. a fixed field) or a waiver (a requirement set aside)."""
        row = NoteRow(
            case_id=case_id,
            kind=NoteKind(kind).value,
            payload=json.loads(json.dumps(payload)),
            author=author,
        )
        with self._session() as s:
            s.add(row)
            s.execute(update(CaseRow).where(CaseRow.id == case_id).values(updated_at=_now()))
            s.flush()
            return _note(row)

    def notes(self, case_id: str, include_withdrawn: bool = False) -> list[Note]:
        q = select(NoteRow).where(NoteRow.case_id == case_id)
        if not include_withdrawn:
            q = q.where(NoteRow.withdrawn_at.is_(None))
        with self._session() as s:
            return [_note(r) for r in s.scalars(q.order_by(NoteRow.id))]

    def withdraw_note(self, note_id: int, author: str) -> None:
        """Withdraw rather than delete, so the audit trail keeps who changed what."""
        with self._session() as s:
            s.execute(
                update(NoteRow)
                .where(NoteRow.id == note_id)
                .values(withdrawn_at=_now(), withdrawn_by=author)
            )

    # --- runs ----------------------------------------------------------------------------

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
                .values(finished_at=_now(), stats=json.loads(json.dumps(stats)))
            )

    def run_stats(self, run_id: int) -> dict[str, Any] | None:
        with self._session() as s:
            row = s.get(RunRow, run_id)
            return dict(row.stats) if row else None
