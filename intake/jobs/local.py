"""A process pool for pipeline jobs that survives crashed workers and stops cleanly.

It implements the engine contract (intake.jobs.contract.Pool). The pool knows nothing about
what the jobs do: callers name a registered job (intake.jobs.registry) and hand its payload
model; the worker looks the job up by name, validates the payload and the result. Each job
comes back as an Outcome carrying the result model or the error, plus the worker's pid, peak
memory and the job's seconds (what the benchmark and the progress bar use).
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib
import multiprocessing
import os
import resource
import select
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Hashable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from intake.jobs import registry
from intake.jobs.contract import Outcome, describe

# One OCR engine thread per process: with several processes OpenMP threads only oversubscribe
# the cores (paperless-ngx saw 614 s vs 39 s without this).
WORKER_ENV: dict[str, str] = {"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1"}
# A job that kills its worker this many times when running alone is reported as failed.
MAX_SOLO_CRASHES = 2


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


# prctl(2) option: the signal this process gets when its parent dies.
_PR_SET_PDEATHSIG = 1
# How often a worker without pidfd support looks whether its owner is still there.
_OWNER_POLL_S = 1.0


def _die_with_owner(owner: int) -> None:
    """End this worker as soon as the process that owns the pool dies, however it died.

    Workers leave the terminal's process group (below), so a signal to the group never
    reaches them, and a pool owner killed with -9 cannot stop them: they lived on as idle
    orphans of hundreds of MB. Two guards: the kernel's parent-death signal (the parent is the
    owner itself under "fork"), and a watchdog thread on the owner's pid, because under the
    forkserver the parent is the forkserver, which stays up as long as any worker holds its
    inherited liveness pipe, that is for ever.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    try:
        handle: int | None = os.pidfd_open(owner)
    except (AttributeError, OSError):
        handle = None
    # The owner may have died before the guards were set: no signal will come, so go now.
    if not _alive(owner):
        os._exit(1)
    threading.Thread(target=_watch_owner, args=(owner, handle), daemon=True).start()


def _watch_owner(owner: int, handle: int | None) -> None:
    if handle is not None:
        select.select([handle], [], [])  # readable once the owner has exited
    else:
        while _alive(owner):
            time.sleep(_OWNER_POLL_S)
    os.kill(os.getpid(), signal.SIGKILL)


def _init_worker(env: dict[str, str], job_modules: tuple[str, ...], owner: int) -> None:
    _die_with_owner(owner)
    os.environ.update(env)
    # The parent decides when to stop; Ctrl-C in the terminal must not kill a page mid-OCR
    # (nor the tesseract child it started), so workers leave the terminal's process group.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(os, "setpgrp"):
        os.setpgrp()
    # Fresh (forkserver, spawn) workers have no logging set-up: follow RECORDREADY_LOG_LEVEL,
    # which the parent passes in `env`, with the same pins on content-logging libraries.
    from intake.logs import configure_worker

    configure_worker()
    # A fresh process knows no job yet: import the modules that registered the parent's.
    for module in job_modules:
        importlib.import_module(module)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class _Done:
    value: Any
    error: str | None
    pid: int
    peak_rss_mb: float
    seconds: float


def _run(job: str, payload: BaseModel) -> _Done:
    start = time.perf_counter()
    try:
        value, error = registry.get(job).run(payload), None
    except Exception as exc:  # a job's failure is its own, never the pool's
        # Only the exception type and where it happened: messages may quote document text.
        value, error = None, describe(exc)
    return _Done(value, error, os.getpid(), peak_rss_mb(), time.perf_counter() - start)


@dataclass
class _Job:
    job: str
    payload: BaseModel
    tag: Any
    solo_crashes: int = 0
    timed_out: bool = False


@dataclass
class WorkerPool:
    """Run jobs on `workers` processes; `workers=0` runs them inline (debugging, tiny inputs).

    Use as a context manager; submit jobs, then iterate `outcomes()` (it also yields outcomes
    of jobs submitted while iterating). `stop()` lets running jobs finish and drops the rest.
    """

    workers: int = field(default_factory=default_workers)
    # Modules the forkserver imports once, so each worker starts as a fork of a process that
    # already holds them instead of importing them again (seconds each for OCR and NLP stacks).
    preload: tuple[str, ...] = ()
    # None: forkserver (safe in a process full of threads, like a web server). "fork" starts
    # workers instantly as copies of a parent that has already imported everything; fit for
    # a command-line parent whose other threads (a progress bar) never hold what jobs use.
    start_method: str | None = None
    # A job running longer than this is stopped by killing the workers (C code in a reader
    # cannot be interrupted any other way); it fails with "Timeout", the others are rerun.
    job_timeout_s: float | None = None
    env: dict[str, str] = field(default_factory=lambda: dict(WORKER_ENV))
    _executor: ProcessPoolExecutor | None = None
    _pending: dict[Future[_Done], _Job] = field(default_factory=dict)
    _inline: deque[_Job] = field(default_factory=deque)
    # After a worker died, the jobs that were in flight are suspects: they rerun one at a
    # time, so a crash is blamed on the job that caused it and never on its neighbours.
    _suspects: deque[_Job] = field(default_factory=deque)
    _held: deque[_Job] = field(default_factory=deque)
    _solo: bool = False
    _stopping: bool = False
    _started: dict[Future[_Done], float] = field(default_factory=dict)

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _new_executor(self) -> ProcessPoolExecutor:
        methods = multiprocessing.get_all_start_methods()
        method = self.start_method if self.start_method in methods else None
        method = method or ("forkserver" if "forkserver" in methods else "spawn")
        ctx = multiprocessing.get_context(method)
        if method == "forkserver" and self.preload:
            # Only takes effect when the forkserver starts (once per process); harmless after.
            ctx.set_forkserver_preload(["__main__", *self.preload])
        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(self.env, registry.modules(), os.getpid()),
        )

    def submit(self, job: str, payload: BaseModel | Any, tag: Hashable = None) -> None:
        if self._stopping:
            return
        spec = registry.get(job)
        self._enqueue(_Job(spec.name, spec.check_payload(payload), tag))

    def _enqueue(self, job: _Job) -> None:
        if self.workers <= 0:
            self._inline.append(job)
        elif self._suspects or self._solo:
            self._held.append(job)
        else:
            self._submit(job)

    def _submit(self, job: _Job) -> None:
        if self._executor is None:
            self._executor = self._new_executor()
        self._pending[self._executor.submit(_run, job.job, job.payload)] = job

    @property
    def busy(self) -> int:
        return len(self._pending) + len(self._inline) + len(self._suspects) + len(self._held)

    def stop(self) -> None:
        """Finish the jobs already running, cancel those not started, accept no more."""
        self._stopping = True
        self._inline.clear()
        self._suspects.clear()
        self._held.clear()
        for fut in list(self._pending):
            if fut.cancel():
                del self._pending[fut]

    def _run_inline(self, job: _Job) -> Outcome:
        before = {k: os.environ.get(k) for k in self.env}
        os.environ.update(self.env)
        try:
            d = _run(job.job, job.payload)
        finally:
            for k, v in before.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return Outcome(job.tag, d.value, d.error, d.pid, d.peak_rss_mb, d.seconds)

    def _pump(self) -> None:
        if self._pending or self._stopping:
            return
        if self._suspects:
            self._solo = True
            self._submit(self._suspects.popleft())
            return
        self._solo = False
        while self._held:
            self._submit(self._held.popleft())

    def outcomes(self, timeout: float | None = None) -> Iterator[Outcome]:
        """Outcomes as jobs finish. With `timeout`, returns after that long without one."""
        while self._inline:
            yield self._run_inline(self._inline.popleft())
        self._pump()
        step = timeout
        if self.job_timeout_s is not None:
            step = min(timeout, 1.0) if timeout is not None else 1.0
        quiet_since = time.monotonic()
        while self._pending:
            done, _ = wait(list(self._pending), timeout=step, return_when=FIRST_COMPLETED)
            if not done:
                self._kill_overdue()
                if timeout is not None and time.monotonic() - quiet_since >= timeout:
                    return
                continue
            quiet_since = time.monotonic()
            broken: list[_Job] = []
            for fut in done:
                job = self._pending.pop(fut)
                self._started.pop(fut, None)
                if fut.cancelled():
                    continue
                try:
                    d = fut.result()
                except BrokenProcessPool:
                    broken.append(job)
                    continue
                except Exception as exc:  # e.g. an argument or result that cannot be pickled
                    yield Outcome(job.tag, error=type(exc).__name__)
                    continue
                yield Outcome(job.tag, d.value, d.error, d.pid, d.peak_rss_mb, d.seconds)
            if broken:
                yield from self._recover(broken)
            self._pump()

    def _kill_overdue(self) -> None:
        if self.job_timeout_s is None or self._executor is None:
            return
        now = time.monotonic()
        overdue = False
        for fut, job in self._pending.items():
            # running() turns true when the job is handed to the workers' queue, so the clock
            # may start up to one job early: harmless against a limit of minutes.
            if fut.running():
                started = self._started.setdefault(fut, now)
                if now - started > self.job_timeout_s:
                    job.timed_out = overdue = True
        if overdue:
            # ProcessPoolExecutor has no way to stop one job: end its processes; the pool
            # breaks and _recover() sorts the overdue job from the innocent ones.
            for proc in list(getattr(self._executor, "_processes", {}).values()):
                proc.kill()

    def _recover(self, broken: list[_Job]) -> Iterator[Outcome]:
        # A worker died (segfault, out of memory, killed for overrunning): every job in flight
        # is lost with the pool.
        broken += [self._pending.pop(f) for f in list(self._pending)]
        self._started.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        if any(job.timed_out for job in broken):
            # The culprit is known: it fails, the others simply run again.
            for job in broken:
                if job.timed_out:
                    yield Outcome(job.tag, error="Timeout")
                elif not self._stopping:
                    self._held.appendleft(job)
            return
        if self._solo and len(broken) == 1:
            job = broken[0]
            job.solo_crashes += 1
            if job.solo_crashes >= MAX_SOLO_CRASHES:
                yield Outcome(job.tag, error="WorkerCrashed")
            else:
                self._suspects.appendleft(job)
            return
        self._suspects.extend(broken)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
        self._pending.clear()
        self._started.clear()
        self._inline.clear()
        self._suspects.clear()
        self._held.clear()
