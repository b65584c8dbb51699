"""The app's background reader: uploads are read off the page, on the job engine's pool.

No Streamlit here. Reading happens in the background (a daemon thread feeding the
crash-tolerant process pool), one job per stored file; each job writes its page progress
to the store, so any page of the app can poll it. Results are cached in the store by content hash and
pipeline version, so re-processing and re-uploads cost nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import cached_property

from checklists.models import Program
from extractors.vocabulary import FileText
from intake.jobs.celery_pool import CeleryPool, celery_pool_if_configured
from intake.jobs.local import WORKER_ENV, WorkerPool, default_workers
from intake.jobs.registry import Empty, register
from intake.logs import ENV_VAR as LOG_LEVEL_VAR
from intake.logs import level_name, setup_logging
from intake.settings import Settings
from intake.store import Store

log = logging.getLogger(__name__)

# How often an idle reader looks for files nobody is reading (a restarted server's leftovers,
# a second server's that died): re-queues orphaned claims, then claims queued app uploads.
SWEEP_S = 5.0


# --- reading in the background ----------------------------------------------------------------


WARM_UP = "app.warm_up"


@dataclass(frozen=True, slots=True)
class WarmTag:
    """The tag of warm-up job `n` (one per worker)."""

    n: int


@register(WARM_UP, payload=Empty, result=Empty)
def warm_up(_: Empty | None = None) -> Empty:
    """Run once per worker at start: load the readers and the classifier before the first upload."""
    try:
        from extractors.documents import find_documents
        from extractors.vocabulary import PageMethod, PageText

        page = PageText(
            number=1, method=PageMethod.TEXT_LAYER, text="Laboratory results\nHemoglobin 12.0 g/dL"
        )
        find_documents(FileText(file="warm-up", status="ok", pages=[page]))
    except Exception as exc:  # warming is an optimisation; a real job reports real errors
        log.warning("warm-up skipped: %s", type(exc).__name__)
    return Empty()


class Reader:
    """One background reader per app process, so a page never waits on OCR.

    A daemon thread claims queued files of the cases the app woke (in any store) and reads
    them with the batch runner's Processor on one crash-tolerant process pool; the
    Processor writes per-file page progress and caches every result in the store (shared
    with batch runs). Keeping one pool warm saves the workers' start-up (~10 s) per upload.

    Cases are read side by side, fairly (`fair_reading`): files are claimed one at a time,
    in turn across the cases waiting, and the pool's jobs go round-robin across cases, so a
    one-page upload is read within a round of jobs even while another case's long scan is.
    Every SWEEP_S, and at once for a store it has not seen, it also re-queues files whose
    reader died (a killed server) and takes up queued uploads of any app case, so nothing
    acknowledged waits for an upload to wake its case.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, min(2, default_workers()))
        self._woken: dict[str, tuple[Store, set[str]]] = {}
        self._next_sweep: dict[str, float] = {}
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="recordready-reader", daemon=True)
        self._thread.start()

    def close(self, timeout: float = 60.0) -> None:
        """Stop after the current jobs and shut the pool down. The app's reader lives as long
        as its process; callers that start their own (tests, embedders) stop it, so no thread
        is left holding locks when the process later forks."""
        self._closing.set()
        self._wake.set()
        self._thread.join(timeout)

    def watch(self, store: Store) -> None:
        """Serve `store`: sweep it now and every SWEEP_S from then on."""
        with self._lock:
            key = store.settings.database_url
            self._woken.setdefault(key, (store, set()))
            self._next_sweep.setdefault(key, 0.0)
        self._wake.set()

    def wake(self, store: Store, case_id: str) -> None:
        with self._lock:
            key = store.settings.database_url
            self._woken.setdefault(key, (store, set()))[1].add(case_id)
            self._next_sweep.setdefault(key, 0.0)
        self._wake.set()

    def _taken(self) -> list[tuple[Store, list[str]]]:
        """Cases to read now, per store: those woken, and on a sweep every app case with a
        queued file (orphaned claims re-queued first)."""
        now = time.monotonic()
        with self._lock:
            woken = [(store, list(ids)) for store, ids in self._woken.values()]
            for _, ids in self._woken.values():
                ids.clear()
            due = {key for key, at in self._next_sweep.items() if at <= now}
            for key in due:
                self._next_sweep[key] = now + SWEEP_S
        out: list[tuple[Store, list[str]]] = []
        for store, cases in woken:
            if store.settings.database_url in due:
                try:
                    requeued = store.requeue_orphaned()
                    if requeued:
                        log.info("re-queued %d file(s) whose reader stopped", requeued)
                    # Batch inbox cases are left to their runner (it stores a whole inbox as
                    # queued before reading it, and re-reads it when restarted).
                    cases += store.queued_cases(unsourced_only=True)
                except Exception as exc:  # a busy or vanished database must not stop us
                    log.warning("sweep for unread files failed: %s", type(exc).__name__)
            out.append((store, cases))
        return out

    def _loop(self) -> None:
        from intake.casework.fair_reading import FairReading

        with _pool(self.workers) as pool:
            if isinstance(pool, WorkerPool):
                # Celery workers warm themselves (`recordready worker --preload`); waiting on
                # warm-up jobs there would stall reading until some worker is up.
                for n in range(self.workers):
                    pool.submit(WARM_UP, Empty(), tag=WarmTag(n))
                for _ in pool.outcomes():
                    pass
            reading = FairReading(pool, lambda: self._programs)

            def take_up() -> None:
                self._wake.clear()
                for store, cases in self._taken():
                    reading.take(store, cases)
                reading.feed()

            while not self._closing.is_set():
                take_up()
                if reading.idle:
                    self._wake.wait(timeout=SWEEP_S)
                    continue
                # New uploads are claimed between outcomes, even while long jobs run (the
                # iteration is never left early: outcomes in hand would be lost).
                for _ in reading.outcomes(timeout=0.2):
                    if self._closing.is_set():
                        reading.stop()  # running jobs finish; the rest waits for a restart
                    elif self._wake.is_set() or self._sweep_due():
                        take_up()

    def _sweep_due(self) -> bool:
        now = time.monotonic()
        with self._lock:
            return any(at <= now for at in self._next_sweep.values())

    @cached_property
    def _programs(self) -> dict[str, Program]:
        from intake.casework.results import programs

        return programs()


def _pool(workers: int) -> CeleryPool | WorkerPool:
    """Celery workers when RECORDREADY_BROKER_URL is set, else local processes. The job rows
    live in the environment's database (the one `recordready worker` reads), whichever
    stores the app's cases use. A broker that cannot be reached must not leave the app
    unable to read at all, so the local pool takes over (and the log says why)."""
    try:
        celery = celery_pool_if_configured(Settings.from_env())
    except Exception as exc:
        log.warning("Celery engine unavailable (%s); reading locally", type(exc).__name__)
        celery = None
    # Forkserver workers inherit no logging set-up: hand them this process's level.
    env = {**WORKER_ENV, LOG_LEVEL_VAR: level_name()}
    return celery or WorkerPool(workers=workers, env=env)


_reader: Reader | None = None
_reader_lock = threading.Lock()
_served: dict[str, Store] = {}


def reader() -> Reader:
    """The process's reader, started (and its workers warmed) on first use."""
    global _reader
    with _reader_lock:
        if _reader is None:
            # The app's process follows RECORDREADY_LOG_LEVEL (a host's own set-up stays).
            setup_logging(default=None)
            _reader = Reader()
            for store in _served.values():
                _reader.watch(store)
        return _reader


def serve(store: Store) -> None:
    """When the app's services are built: read what a stopped server left unread.

    Files whose reader died are re-queued and, if any app upload waits, the reader starts
    and reads it. Otherwise the store is remembered and swept once the reader starts.
    """
    try:
        requeued = store.requeue_orphaned()
        waiting = store.has_queued(unsourced_only=True)
    except Exception as exc:  # the pages show the store's own error; reading can wait
        log.warning("could not look for unread files: %s", type(exc).__name__)
        return
    if requeued:
        log.info("re-queued %d file(s) whose reader stopped", requeued)
    with _reader_lock:
        _served.setdefault(store.settings.database_url, store)
        running = _reader is not None
    if waiting or running:
        reader().watch(store)
