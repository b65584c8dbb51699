"""The SQL table of Celery jobs, `rr_celery_jobs`: one row per job, its state and its result.

The broker message carries only the row id; the row holds the job's registered name, its
payload's JSON, its state, and its result's JSON. So neither Redis nor a monitoring tool ever
sees file names or document text, and results live in the one database every worker shares
(SQLite for a single machine, PostgreSQL for many: RECORDREADY_DATABASE_URL). Every state
change is a compare-and-set, so two deliveries of one message cannot both run it.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import DateTime, Float, Integer, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from intake.store.db import Base, affected, session_factory

# The one Celery task, named in every message: "run row <id>" (see intake.jobs.celery_app).
TASK_NAME = "recordready.run_job"
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
    # The columns keep their old names ("fn", "arg"): tables made by the release that stored
    # import paths there go on working without a migration (see intake.jobs.legacy).
    job: Mapped[str] = mapped_column("fn", String(256))  # registered job name
    payload: Mapped[str] = mapped_column("arg", Text)  # the payload model's JSON
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
    job: str  # registered name (or, in a row of the previous release, an import path)
    payload: str  # JSON, validated by the job's payload model where it runs
    file_id: int | None
    state: JobState
    starts: int
    losses: int


@dataclass(frozen=True)
class Finished:
    id: str
    state: str
    result: str | None
    error: str | None
    pid: int
    peak_rss_mb: float
    seconds: float


class JobTable:
    """State transitions of job rows; every change is a compare-and-set on the state."""

    def __init__(self, database_url: str) -> None:
        self._sessions: sessionmaker = session_factory(database_url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s, s.begin():
            yield s

    def add(self, batch: str, job: str, payload: str, file_id: int | None) -> str:
        """A queued row for registered job `job` with `payload` (its model's JSON); its id."""
        job_id = uuid.uuid4().hex
        row = JobRow(id=job_id, batch=batch, job=job, payload=payload, file_id=file_id)
        with self.session() as s:
            s.add(row)
        return job_id

    def get(self, job_id: str) -> Job | None:
        with self.session() as s:
            r = s.get(JobRow, job_id)
            if r is None:
                return None
            return Job(r.id, r.job, r.payload, r.file_id, JobState(r.state), r.starts, r.losses)

    def move(self, job_id: str, frm: tuple[str, ...], to: JobState, **values: Any) -> bool:
        """Set the state to `to` only if it is still one of `frm`; True when this call did it."""
        with self.session() as s:
            res = s.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.state.in_(frm))
                .values(state=to.value, updated_at=_now(), **values)
            )
            return affected(res) == 1

    def finished(self, batch: str) -> list[Finished]:
        # Not the payload column: it may hold page images, and the submitter has them.
        cols = (JobRow.id, JobRow.state, JobRow.result, JobRow.error, JobRow.pid)
        cols_time = (JobRow.peak_rss_mb, JobRow.seconds)
        with self.session() as s:
            rows = s.execute(
                select(*cols, *cols_time).where(
                    JobRow.batch == batch, JobRow.state.in_(FINAL_STATES)
                )
            ).all()
        return [
            Finished(
                id=r.id,
                state=r.state,
                result=r.result,
                error=r.error,
                pid=r.pid,
                peak_rss_mb=r.peak_rss_mb,
                seconds=r.seconds,
            )
            for r in rows
        ]

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
            return affected(res)

    def purge(self, older_than: dt.timedelta) -> int:
        """Drop finished rows nobody collected (their submitter went away)."""
        with self.session() as s:
            res = s.execute(
                delete(JobRow).where(
                    JobRow.state.in_(FINAL_STATES), JobRow.updated_at < _now() - older_than
                )
            )
            return affected(res)
