"""Pipeline jobs run by Celery workers on other processes or machines, with results in SQL.

`CeleryPool` implements the engine contract (intake.jobs.contract.Pool) as
`intake.jobs.local.WorkerPool` does, with the same `Outcome`s, so the batch runner and the
app pick an engine and keep the rest of their code. A job is a row of the job table
(intake.jobs.table: its registered name, its payload's JSON, state, result); the broker
message carries only the row id.

Like the local pool, this module knows no job: it looks them up by name in
intake.jobs.registry, validates the payload before it leaves and the result when it comes
back.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from intake.jobs import registry
from intake.jobs.contract import Outcome
from intake.jobs.registry import JobSpec
from intake.jobs.table import PURGE_AFTER, TASK_NAME, JobState, JobTable
from intake.settings import Settings

if TYPE_CHECKING:
    from celery import Celery

BROKER_ENV = "RECORDREADY_BROKER_URL"


class BrokerUnavailable(RuntimeError):
    """The broker did not take a job (down, wrong URL, wrong password)."""


def broker_url(settings: Settings | None = None) -> str | None:
    """The configured broker (RECORDREADY_BROKER_URL), or None for the local pool."""
    return (settings or Settings.from_env()).broker_url


@dataclass
class CeleryPool:
    """Run registered jobs on Celery workers; same contract and `Outcome`s as `WorkerPool`.

    Workers must share this process's RECORDREADY_DATABASE_URL and blob store, and know the
    same jobs (`recordready worker` imports the modules that register them).
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
    _pending: dict[str, tuple[JobSpec, Any]] = field(default_factory=dict)  # id -> job, tag
    _stopping: bool = False

    def __post_init__(self) -> None:
        if self.app is None:
            from intake.jobs.celery_app import make_app

            self.app = make_app(self.broker, self.settings)
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
        job: str,
        payload: BaseModel | Any,
        tag: Hashable = None,
        file_id: int | None = None,
    ) -> None:
        """Queue `job`; with `file_id`, a job that fails for good marks that store file."""
        if self._stopping:
            return
        spec = registry.get(job)
        data = spec.check_payload(payload).model_dump_json()
        assert self._table is not None and self.app is not None
        job_id = self._table.add(self.batch, spec.name, data, file_id)
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
        self._pending[job_id] = (spec, tag)

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
                spec, tag = self._pending.pop(r.id)
                if r.state == JobState.CANCELLED.value:
                    continue
                value, error = None, r.error if r.state == JobState.FAILED.value else None
                if error is None and r.result is not None:
                    try:
                        value = spec.result_from_json(r.result)
                    except registry.InvalidData:  # a worker of another release answered
                        error = "InvalidData"
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
    settings = settings or Settings.from_env()
    if not settings.broker_url:
        return None
    return CeleryPool(settings=settings)
