"""The Celery application and its one task: run a pipeline job stored in `rr_celery_jobs`.

Delivery guarantees, and why each setting:
- acks_late + reject_on_worker_lost: a message is acknowledged only after its job finished;
  a worker killed mid-job (SIGKILL, out of memory, machine lost) leaves it unacknowledged, so
  the broker hands it to another worker (at once when a pool child dies; after the visibility
  timeout when a whole worker vanishes).
- prefetch multiplier 1: OCR jobs are long; a worker must not hoard messages others could run.
- acks_on_failure_or_timeout: a job that failed for good is recorded in its row (and its file
  marked with an error) before the message is acknowledged, so nothing vanishes.
- Idempotent: the row's state decides. A redelivered message whose job is already done does
  nothing; a job found `running` means its last worker died: it is retried after an exponential
  backoff, and given up on (marked failed) after MAX_LOSSES such deaths, so a file that kills
  every worker cannot loop forever. The work functions themselves cache by content hash and
  pipeline version in the case store, so a rerun after a loss repeats no finished page.

Configuration (intake.settings.Settings, from the environment):
  RECORDREADY_BROKER_URL            redis://host:6379/0 (required)
  RECORDREADY_QUEUE                 queue name (default "recordready"; one per pipeline version
                                    lets old and new workers coexist during an upgrade)
  RECORDREADY_VISIBILITY_TIMEOUT    seconds before an unacknowledged message is handed out
                                    again (default 3600; must exceed the longest job)
  RECORDREADY_RETRY_BACKOFF         first retry delay in seconds, doubled each time (default 2)

A row names a registered job (intake.jobs.registry); the worker validates the payload's JSON
with the job's model, runs it and stores the result's JSON. Rows of the previous release name
import paths; intake.jobs.legacy maps those four to today's jobs. The modules that register
jobs must be imported before the worker forks (`recordready worker` does).
"""

from __future__ import annotations

import logging
import os
import time
from functools import lru_cache
from typing import Any

from celery import Celery, Task
from celery.signals import worker_process_init
from sqlalchemy.exc import DBAPIError

from intake.jobs import registry
from intake.jobs.contract import describe
from intake.jobs.legacy import is_legacy, legacy_job
from intake.jobs.local import WORKER_ENV, peak_rss_mb
from intake.jobs.registry import JobSpec
from intake.jobs.table import FINAL_STATES, TASK_NAME, Job, JobState, JobTable
from intake.settings import Settings

log = logging.getLogger("recordready.celery")

# A job whose worker died this many times is failed instead of retried again.
MAX_LOSSES = 3
# Retries of a job whose function hit a database or network outage.
MAX_TRANSIENT_RETRIES = 3
BACKOFF_MAX_SECONDS = 300.0
# Outages worth retrying: the same job on the same bytes may well succeed a moment later.
TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (DBAPIError, ConnectionError, TimeoutError)


def queue_name(settings: Settings | None = None) -> str:
    return (settings or Settings.from_env()).queue


def backoff_seconds(n: int, settings: Settings | None = None) -> float:
    """Delay before retry number `n` (1-based): base, 2*base, 4*base, ... capped."""
    base = (settings or Settings.from_env()).retry_backoff_s
    return min(base * 2 ** max(0, n - 1), BACKOFF_MAX_SECONDS)


def make_app(broker: str | None = None, settings: Settings | None = None) -> Celery:
    """The configured Celery app (one per broker URL, queue and timeout in a process)."""
    settings = settings or Settings.from_env()
    url = broker or settings.broker_url
    if not url:
        raise RuntimeError(
            "no broker configured: set RECORDREADY_BROKER_URL (e.g. redis://host:6379/0)"
        )
    return _app(url, settings.queue, settings.visibility_timeout_s)


@lru_cache(maxsize=4)
def _app(url: str, queue: str, visibility: float) -> Celery:
    app = Celery("recordready", broker=url, set_as_current=False)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,  # results go to the job row in SQL
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        task_acks_on_failure_or_timeout=True,
        worker_prefetch_multiplier=1,
        task_default_queue=queue,
        task_default_routing_key=queue,
        broker_connection_retry_on_startup=True,
        # Redis hands an unacknowledged message out again after the visibility timeout; the
        # restore sweep runs every `interval` seconds (kombu's default sweeps rarely).
        broker_transport_options={
            "visibility_timeout": visibility,
            "unacked_restore_interval": max(1, min(10, int(visibility // 4))),
            "unacked_restore_throttle": 1,
        },
        worker_hijack_root_logger=False,
        # Our stderr handler writes to sys.stderr; redirected into logging by the worker, every
        # line would loop back and be dropped by Celery's recursion guard (the worker fell silent).
        worker_redirect_stdouts=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
    )
    app.task(name=TASK_NAME, bind=True, max_retries=None)(run_job)
    return app


def __getattr__(name: str) -> Any:
    # `celery -A intake.jobs.celery_app worker` finds `app` here without a broker at import time.
    if name == "app":
        return make_app()
    raise AttributeError(name)


@worker_process_init.connect
def _child_setup(**_: Any) -> None:
    # Each pool child opens its own database connections (never inherit a parent's socket),
    # and runs one OCR thread: the worker already runs one child per core.
    os.environ.update(WORKER_ENV)
    _table.cache_clear()


@lru_cache(maxsize=1)
def _table() -> JobTable:
    return JobTable(Settings.from_env().database_url)


def run_job(task: Task, job_id: str) -> None:
    """Celery entry point (bound task): run job `job_id` once, whatever is delivered twice."""
    try:
        _run(task, job_id)
    except DBAPIError as exc:
        # Our own bookkeeping could not reach the database: try again later rather than let
        # the acknowledged message take the job with it.
        log.warning("job %s: database unavailable (%s); retrying", job_id, type(exc).__name__)
        raise task.retry(
            countdown=backoff_seconds(task.request.retries + 1),
            max_retries=MAX_TRANSIENT_RETRIES * 3,
        ) from None


def _run(task: Task, job_id: str) -> None:
    table = _table()
    job = table.get(job_id)
    if job is None:
        log.info("job %s: no longer exists (collected or cancelled); skipped", job_id)
        return
    if job.state.value in FINAL_STATES:
        log.info("job %s: already %s; duplicate delivery skipped", job_id, job.state.value)
        return
    if job.state == JobState.RUNNING:
        _after_loss(task, table, job)
        return
    if not table.move(
        job_id,
        (JobState.QUEUED.value, JobState.WAITING.value),
        JobState.RUNNING,
        starts=job.starts + 1,
        worker=str(task.request.hostname or "")[:256],
        pid=os.getpid(),
    ):
        return  # cancelled, or another delivery took it in between
    start = time.perf_counter()
    try:
        spec, payload = _job_of(job)
        result = spec.run(payload).model_dump_json()
    except TRANSIENT_ERRORS as exc:
        if job.starts + 1 >= MAX_TRANSIENT_RETRIES:
            _fail(table, job, describe(exc))
            return
        log.warning("job %s: transient %s; retrying", job_id, type(exc).__name__)
        if table.move(job_id, (JobState.RUNNING.value,), JobState.WAITING):
            raise task.retry(countdown=backoff_seconds(job.starts + 1)) from None
        return
    except Exception as exc:  # the job's failure is its own: record it, never lose it
        _fail(table, job, describe(exc))
        return
    # A slow first delivery may finish after a redelivery parked the job as waiting: the first
    # to finish wins, the other finds it done.
    table.move(
        job_id,
        (JobState.RUNNING.value, JobState.WAITING.value),
        JobState.DONE,
        result=result,
        error=None,
        pid=os.getpid(),
        peak_rss_mb=peak_rss_mb(),
        seconds=time.perf_counter() - start,
    )


def _job_of(job: Job) -> tuple[JobSpec, object]:
    """The registered job a row names and its payload (checked by JobSpec.run). An unknown
    name fails the row (UnknownJob): a message can only ever start a registered job."""
    if is_legacy(job.job):
        return legacy_job(job.job, job.payload)
    spec = registry.get(job.job)
    return spec, spec.payload_from_json(job.payload)


def _after_loss(task: Task, table: JobTable, job: Job) -> None:
    # Found running: the worker that started it died before finishing (or, with a visibility
    # timeout shorter than the job, is still at it; then the first to finish wins).
    losses = job.losses + 1
    if losses >= MAX_LOSSES:
        # The local pool's word for the same fate, so both engines write the same reports.
        _fail(table, job, CRASHED)
        return
    if table.move(job.id, (JobState.RUNNING.value,), JobState.WAITING, losses=losses):
        delay = backoff_seconds(losses)
        log.warning("job %s: worker lost (%d); retrying in %.0f s", job.id, losses, delay)
        raise task.retry(countdown=delay)


def _fail(table: JobTable, job: Job, error: str) -> None:
    log.error("job %s failed for good: %s", job.id, error)
    # The file first: whoever sees the job failed must find its file already marked.
    if job.file_id is not None:
        from intake.store import FileStatus, Store

        Store(Settings.from_env()).set_status(
            job.file_id, FileStatus.ERROR, FAILED_CODE, f"processing failed: {error}"
        )
    states = (JobState.QUEUED.value, JobState.RUNNING.value, JobState.WAITING.value)
    table.move(job.id, states, JobState.FAILED, error=error[:512])


# What a job that kept killing its workers reports (as intake.jobs.local does).
CRASHED = "WorkerCrashed"
# The store's error code for a file whose job failed for good (not a reader's FileErrorCode:
# the file may be fine; the processing was not).
FAILED_CODE = "processing_failed"
