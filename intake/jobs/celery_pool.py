"""Pipeline jobs run by Celery workers on other processes or machines, with results in SQL.

`CeleryPool` is a drop-in for `intake.jobs.local.WorkerPool` (submit / outcomes / stop / close, the
same `Outcome`s), so the batch runner and the app pick an engine and keep the rest of their
code. A job is a row in `rr_celery_jobs` (function import path, JSON argument, state, result);
the broker message carries only the row id. So neither Redis nor a monitoring tool ever sees
file names or document text, and results live in the one database every worker shares
(SQLite for a single machine, PostgreSQL for many: RECORDREADY_DATABASE_URL).

Like the pool, this module knows nothing about what the jobs do: functions travel as
"package.module:function" paths and are resolved on the worker.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import importlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, Float, Integer, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from intake.jobs.local import Outcome
from intake.settings import Settings
from intake.store.db import Base, session_factory

if TYPE_CHECKING:
    from celery import Celery

BROKER_ENV = "RECORDREADY_BROKER_URL"
TASK_NAME = "recordready.run_job"
# Only code of these packages may be named by a job: a message can never make a worker import
# arbitrary modules. RECORDREADY_WORK_PACKAGES adds more (comma-separated top-level names).
WORK_PACKAGES: tuple[str, ...] = ("intake", "extractors", "checklists", "ui")
PURGE_AFTER = dt.timedelta(days=7)


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    WAITING = "waiting"  # a worker died running it; a retry is scheduled after a backoff
    DONE = "done"
    FAILED = "failed"  # gave up for good; `error` says why (type and place, never text)
    CANCELLED = "cancelled"


FINAL_STATES = (JobState.DONE.value, JobState.FAILED.value, JobState.CANCELLED.value)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class JobRow(Base):
    __tablename__ = "rr_celery_jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    # The submitting pool: it collects (and then deletes) only its own rows.
    batch: Mapped[str] = mapped_column(String(32), index=True)
    fn: Mapped[str] = mapped_column(String(256))
    arg: Mapped[str] = mapped_column(Text)
    # Optional store file id: a job that fails for good marks that file with an error.
    file_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[str] = mapped_column(String(16), default=JobState.QUEUED.value, index=True)
    starts: Mapped[int] = mapped_column(Integer, default=0)
    losses: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[str | None] = mapped_column(Text, nullable=True)
    error: Mapped[str | None] = mapped_column(String(512), nullable=True)
    worker: Mapped[str | None] = mapped_column(String(256), nullable=True)
    pid: Mapped[int] = mapped_column(Integer, default=0)
    peak_rss_mb: Mapped[float] = mapped_column(Float, default=0.0)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


@dataclass(frozen=True)
class Job:
    id: str
    fn: str
    arg: Any
    file_id: int | None
    state: JobState
    starts: int
    losses: int


class BrokerUnavailable(RuntimeError):
    """The broker did not take a job (down, wrong URL, wrong password)."""


@dataclass(frozen=True)
class Finished:
    id: str
    state: str
    result: str | None
    error: str | None
    pid: int
    peak_rss_mb: float
    seconds: float


def broker_url() -> str | None:
    """The configured broker (RECORDREADY_BROKER_URL), or None for the local pool."""
    return os.environ.get(BROKER_ENV) or None


def fn_path(fn: Callable[[Any], Any] | str) -> str:
    """The "package.module:function" path of a top-level function (or the path), checked."""
    if callable(fn):
        module, qual = getattr(fn, "__module__", None), getattr(fn, "__qualname__", "")
        if not module or not qual or "." in qual or "<" in qual or module == "__main__":
            raise ValueError("a Celery job needs a top-level function of an importable module")
        path = f"{module}:{qual}"
    else:
        path = fn
    check_fn_path(path)
    return path


def allowed_packages() -> tuple[str, ...]:
    extra = os.environ.get("RECORDREADY_WORK_PACKAGES", "")
    return WORK_PACKAGES + tuple(p.strip() for p in extra.split(",") if p.strip())


def check_fn_path(path: str) -> None:
    module, _, name = path.partition(":")
    if not module or not name.isidentifier():
        raise ValueError("expected 'package.module:function'")
    _check_module(module)


def _check_module(module: str) -> None:
    if module.split(".")[0] not in allowed_packages():
        raise ValueError(f"job code must live in one of {allowed_packages()}")


_DC, _TUPLE, _DICT, _BYTES = "__dataclass__", "__tuple__", "__dict__", "__bytes__"
_MARKERS = {_DC, _TUPLE, _DICT, _BYTES}


def to_plain(obj: Any) -> Any:
    """JSON-able form of job arguments and results: plain data plus the project's dataclasses
    (e.g. the batch's FileRef), which `from_plain` rebuilds on the other machine."""
    if obj is None or isinstance(obj, str | int | float | bool):
        return obj
    if isinstance(obj, bytes | bytearray):
        # Page images travel inside OCR jobs.
        return {_BYTES: base64.b64encode(obj).decode("ascii")}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        cls = type(obj)
        fields = {f.name: to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
        return {_DC: f"{cls.__module__}:{cls.__qualname__}", "fields": fields}
    if isinstance(obj, tuple):
        return {_TUPLE: [to_plain(v) for v in obj]}
    if isinstance(obj, list):
        return [to_plain(v) for v in obj]
    if isinstance(obj, dict):
        if not all(isinstance(k, str) for k in obj):
            raise TypeError("a Celery job's dict keys must be strings")
        plain = {k: to_plain(v) for k, v in obj.items()}
        # A dict that happens to use one of our markers as a key is wrapped, never misread.
        return {_DICT: plain} if _MARKERS & obj.keys() else plain
    raise TypeError(f"a Celery job cannot carry a {type(obj).__name__}")


def from_plain(obj: Any) -> Any:
    if isinstance(obj, list):
        return [from_plain(v) for v in obj]
    if not isinstance(obj, dict):
        return obj
    if _DICT in obj and len(obj) == 1:
        return {k: from_plain(v) for k, v in obj[_DICT].items()}
    if _TUPLE in obj and len(obj) == 1:
        return tuple(from_plain(v) for v in obj[_TUPLE])
    if _BYTES in obj and len(obj) == 1:
        return base64.b64decode(obj[_BYTES])
    if _DC in obj:
        cls = _dataclass(obj[_DC])
        return cls(**{k: from_plain(v) for k, v in obj["fields"].items()})
    return {k: from_plain(v) for k, v in obj.items()}


def _dataclass(path: str) -> type:
    # Only dataclasses of the allowed packages: a message cannot construct arbitrary objects.
    module, _, qual = path.partition(":")
    _check_module(module)
    cls: Any = importlib.import_module(module)
    for part in qual.split("."):
        cls = getattr(cls, part, None)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise TypeError("a job argument names something that is not a dataclass")
    return cls


class JobTable:
    """State transitions of job rows; every change is a compare-and-set on the state."""

    def __init__(self, database_url: str) -> None:
        self._sessions: sessionmaker = session_factory(database_url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s, s.begin():
            yield s

    def add(self, batch: str, fn: str, arg: Any, file_id: int | None) -> str:
        job_id = uuid.uuid4().hex
        row = JobRow(id=job_id, batch=batch, fn=fn, arg=json.dumps(arg), file_id=file_id)
        with self.session() as s:
            s.add(row)
        return job_id

    def get(self, job_id: str) -> Job | None:
        with self.session() as s:
            r = s.get(JobRow, job_id)
            if r is None:
                return None
            return Job(
                r.id, r.fn, json.loads(r.arg), r.file_id, JobState(r.state), r.starts, r.losses
            )

    def move(self, job_id: str, frm: tuple[str, ...], to: JobState, **values: Any) -> bool:
        """Set the state to `to` only if it is still one of `frm`; True when this call did it."""
        with self.session() as s:
            res = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state.in_(frm))
                .values(state=to.value, updated_at=_now(), **values)
            )
            return (res.rowcount or 0) == 1

    def finished(self, batch: str) -> list[Finished]:
        # Not the argument column: it may hold page images, and the submitter has them.
        cols = (JobRow.id, JobRow.state, JobRow.result, JobRow.error, JobRow.pid)
        cols += (JobRow.peak_rss_mb, JobRow.seconds)
        with self.session() as s:
            rows = s.execute(
                select(*cols).where(JobRow.batch == batch, JobRow.state.in_(FINAL_STATES))
            ).all()
        return [Finished(*r) for r in rows]

    def forget(self, job_ids: list[str]) -> None:
        if not job_ids:
            return
        with self.session() as s:
            s.execute(delete(JobRow).where(JobRow.id.in_(job_ids)))

    def cancel_queued(self, batch: str) -> int:
        with self.session() as s:
            res = s.execute(
                update(JobRow)
                .where(JobRow.batch == batch, JobRow.state == JobState.QUEUED.value)
                .values(state=JobState.CANCELLED.value, updated_at=_now())
            )
            return res.rowcount or 0

    def purge(self, older_than: dt.timedelta) -> int:
        """Drop finished rows nobody collected (their submitter went away)."""
        with self.session() as s:
            res = s.execute(
                delete(JobRow).where(
                    JobRow.state.in_(FINAL_STATES), JobRow.updated_at < _now() - older_than
                )
            )
            return res.rowcount or 0


@dataclass
class CeleryPool:
    """Run jobs on Celery workers; same interface and `Outcome`s as `WorkerPool`.

    Functions must be top-level functions of the project's packages (or their import paths);
    arguments and return values plain JSON, bytes or the project's dataclasses: they cross
    machines. Workers must share this process's RECORDREADY_DATABASE_URL and blob store.
    """

    settings: Settings = field(default_factory=Settings.from_env)
    broker: str | None = None
    # Processes serving the queue, as WorkerPool.workers (the batch sizes its window by it);
    # 0: ask the live workers, or one per local core when none answers yet.
    workers: int = 0
    poll_seconds: float = 0.2
    app: Celery | None = None
    batch: str = field(default_factory=lambda: uuid.uuid4().hex)
    _table: JobTable | None = None
    _pending: dict[str, Any] = field(default_factory=dict)  # job id -> tag
    _stopping: bool = False

    def __post_init__(self) -> None:
        if self.app is None:
            from intake.jobs.celery_app import make_app

            self.app = make_app(self.broker)
        self._table = JobTable(self.settings.database_url)
        self._table.purge(PURGE_AFTER)
        if self.workers <= 0:
            from intake.jobs.local import default_workers

            self.workers = sum(self.live_workers().values()) or default_workers()

    def __enter__(self) -> CeleryPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def busy(self) -> int:
        return len(self._pending)

    def submit(
        self,
        fn: Callable[[Any], Any] | str,
        arg: Any,
        tag: Any = None,
        file_id: int | None = None,
    ) -> None:
        if self._stopping:
            return
        path = fn_path(fn)
        try:
            plain = to_plain(arg)
        except TypeError as exc:
            raise ValueError(str(exc)) from exc
        assert self._table is not None and self.app is not None
        job_id = self._table.add(self.batch, path, plain, file_id)
        # The message names the row, nothing else; the repr keeps monitors free of arguments.
        try:
            self.app.send_task(
                TASK_NAME, args=[job_id], task_id=job_id, argsrepr="(job)", kwargsrepr="{}"
            )
        except Exception as exc:
            # No message, no worker will ever take the row: drop it, say why (the URL may
            # hold a password, so it is not repeated here).
            self._table.forget([job_id])
            raise BrokerUnavailable(
                f"{BROKER_ENV}: broker unreachable ({type(exc).__name__})"
            ) from exc
        self._pending[job_id] = tag

    def live_workers(self, timeout: float = 1.0) -> dict[str, int]:
        """Workers answering now, with their process count (none: jobs wait in the queue)."""
        assert self.app is not None
        stats = self.app.control.inspect(timeout=timeout).stats() or {}
        return {name: int(s.get("pool", {}).get("max-concurrency", 1)) for name, s in stats.items()}

    def stop(self) -> None:
        """Jobs already running finish; those still queued are cancelled; accept no more."""
        self._stopping = True
        assert self._table is not None
        self._table.cancel_queued(self.batch)

    def outcomes(self, timeout: float | None = None) -> Iterator[Outcome]:
        """Outcomes as jobs finish. With `timeout`, returns after that long without one."""
        assert self._table is not None
        idle_since = time.monotonic()
        while self._pending:
            rows = [r for r in self._table.finished(self.batch) if r.id in self._pending]
            if not rows:
                if timeout is not None and time.monotonic() - idle_since >= timeout:
                    return
                time.sleep(self.poll_seconds)
                continue
            # Collected rows are deleted: the results that matter live in the case store.
            self._table.forget([r.id for r in rows])
            for r in rows:
                tag = self._pending.pop(r.id)
                if r.state == JobState.CANCELLED.value:
                    continue
                value = from_plain(json.loads(r.result)) if r.result is not None else None
                error = r.error if r.state == JobState.FAILED.value else None
                yield Outcome(tag, value, error, r.pid, r.peak_rss_mb, r.seconds)
            idle_since = time.monotonic()

    def close(self) -> None:
        if self._pending and self._table is not None:
            self._table.cancel_queued(self.batch)
            self._table.forget(
                [r.id for r in self._table.finished(self.batch) if r.id in self._pending]
            )
        self._pending.clear()


def celery_pool_if_configured(settings: Settings | None = None) -> CeleryPool | None:
    """A CeleryPool when RECORDREADY_BROKER_URL is set, else None (use the local pool):
    what `recordready batch` and the app call to pick their engine."""
    if not broker_url():
        return None
    return CeleryPool(settings=settings or Settings.from_env())
