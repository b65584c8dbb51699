"""The one contract every job engine keeps: what a caller may do with a pool of workers.

`intake.jobs.local.WorkerPool` (processes on this machine) and
`intake.jobs.celery_pool.CeleryPool` (Celery workers anywhere) both implement `Pool`, so the
pipeline's Processor, the batch runner and the app pick an engine and keep the rest of their
code. A job is named (see intake.jobs.registry), never passed as a function or an import path;
its payload is the job's pydantic model. Every job comes back as one `Outcome`.
"""

from __future__ import annotations

import traceback
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol, Self

from pydantic import BaseModel


@dataclass
class Outcome:
    """One finished job: its tag as submitted, its result model or the error, and what it
    cost (the worker's pid and peak memory, the job's seconds: the benchmark and progress use
    them)."""

    tag: Any
    value: Any = None  # the job's result model (see JobSpec.result); None when it failed
    error: str | None = None  # exception type and place, "WorkerCrashed" or "Timeout"
    pid: int = 0
    peak_rss_mb: float = 0.0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None


class Pool(Protocol):
    """What the pipeline needs of an engine. Use as a context manager; submit jobs, then
    iterate `outcomes()` (it also yields outcomes of jobs submitted while iterating)."""

    # Processes serving the jobs: callers size how much they keep in flight by it.
    workers: int

    def __enter__(self) -> Self: ...
    def __exit__(self, *exc: object) -> None: ...

    def submit(self, job: str, payload: BaseModel | Any, tag: Hashable = None) -> None:
        """Queue registered job `job` on `payload` (its payload model, or data that validates
        into it). Raises ValueError for an unknown job or a payload that does not validate;
        does nothing once stopped."""
        ...

    def outcomes(self, timeout: float | None = None) -> Iterator[Outcome]:
        """Outcomes as jobs finish. With `timeout`, returns after that long without one."""
        ...

    def stop(self) -> None:
        """Jobs already running finish; those not started are dropped; accept no more."""
        ...

    def close(self) -> None: ...

    @property
    def busy(self) -> int:
        """Jobs submitted whose outcome has not been collected yet."""
        ...


def describe(exc: BaseException) -> str:
    """Exception type and where it was raised, never its message: messages may quote
    document text."""
    tb = traceback.extract_tb(exc.__traceback__)
    where = f" at {tb[-1].name}:{tb[-1].lineno}" if tb else ""
    return f"{type(exc).__name__}{where}"
