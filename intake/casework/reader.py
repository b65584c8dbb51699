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
from extractors.errors import FileErrorCode
from extractors.vocabulary import FileText
from intake.jobs.celery_pool import CeleryPool, celery_pool_if_configured
from intake.jobs.local import WORKER_ENV, WorkerPool, default_workers
from intake.jobs.registry import Empty, register
from intake.logs import ENV_VAR as LOG_LEVEL_VAR
from intake.logs import level_name, setup_logging
from intake.settings import Settings
from intake.store import FileStatus, Store, StoredFile

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

    A daemon thread claims the queued files of the cases the app woke (in any store) and
    hands them to the batch runner's Processor on one crash-tolerant process pool; the
    Processor writes per-file page progress and caches every result in the store (shared
    with batch runs). Keeping one pool warm saves the workers' start-up (~10 s) per upload.
    Every SWEEP_S, and at once for a store it has not seen, it also re-queues files whose
    reader died (a killed server) and claims queued uploads of any app case, so nothing
    acknowledged waits for an upload to wake its case.
    """

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, min(2, default_workers()))
        self._todo: dict[str, tuple[Store, set[str]]] = {}
        self._next_sweep: dict[str, float] = {}
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._loop, name="recordready-reader", daemon=True)
        self._thread.start()

    @cached_property
    def _programs(self) -> dict[str, Program]:
        from intake.casework.results import programs

        return programs()

    def close(self, timeout: float = 60.0) -> None:
        """Stop after the current work and shut the pool down. The app's reader lives as long
        as its process; callers that start their own (tests, embedders) stop it, so no thread
        is left holding locks when the process later forks."""
        self._closing.set()
        self._wake.set()
        self._thread.join(timeout)

    def watch(self, store: Store) -> None:
        """Serve `store`: sweep it now and every SWEEP_S from then on."""
        with self._lock:
            key = store.settings.database_url
            self._todo.setdefault(key, (store, set()))
            self._next_sweep.setdefault(key, 0.0)
        self._wake.set()

    def wake(self, store: Store, case_id: str) -> None:
        with self._lock:
            key = store.settings.database_url
            self._todo.setdefault(key, (store, set()))[1].add(case_id)
            self._next_sweep.setdefault(key, 0.0)
        self._wake.set()

    def _sweep(self, store: Store) -> list[StoredFile]:
        """Orphaned claims back to the queue, then every queued file of an app case."""
        claimed: list[StoredFile] = []
        try:
            requeued = store.requeue_orphaned()
            if requeued:
                log.info("re-queued %d file(s) whose reader stopped", requeued)
            # Batch inbox cases are left to their runner (it stores a whole inbox as queued
            # before reading it, and re-reads it when restarted).
            while (f := store.claim_next(unsourced_only=True)) is not None:
                claimed.append(f)
        except Exception as exc:  # a busy or vanished database must not stop the reader
            log.warning("sweep for unread files failed: %s", type(exc).__name__)
        return claimed

    def _claim(self) -> tuple[Store, list[StoredFile]] | None:
        now = time.monotonic()
        with self._lock:
            todo = [(store, list(cases)) for store, cases in self._todo.values()]
            due = {key for key, at in self._next_sweep.items() if at <= now}
            for key in due:
                self._next_sweep[key] = now + SWEEP_S
        for store, cases in todo:
            claimed: list[StoredFile] = []
            for case_id in cases:
                while (f := store.claim_next(case_id)) is not None:
                    claimed.append(f)
                with self._lock:
                    self._todo[store.settings.database_url][1].discard(case_id)
            if store.settings.database_url in due:
                claimed += self._sweep(store)
            if claimed:
                return store, claimed
        return None

    def _loop(self) -> None:
        from intake.casework import summaries
        from intake.pipeline.processor import FileWork, Processor
        from intake.pipeline.progress import QuietReporter

        with _pool(self.workers) as pool:
            if isinstance(pool, WorkerPool):
                # Celery workers warm themselves (`recordready worker --preload`); waiting on
                # warm-up jobs there would stall reading until some worker is up.
                for n in range(self.workers):
                    pool.submit(WARM_UP, Empty(), tag=WarmTag(n))
                for _ in pool.outcomes():
                    pass
            while not self._closing.is_set():
                got = self._claim()
                if got is None:
                    self._wake.wait(timeout=SWEEP_S)
                    self._wake.clear()
                    continue
                store, claimed = got
                works = [
                    FileWork(f.sha256, f.name, str(store.blobs.path(f.sha256)), [f.id])
                    for f in claimed
                ]
                try:
                    Processor(store, pool, QuietReporter()).process(works)
                except Exception as exc:  # one bad batch must not stop the reader for good
                    log.warning("background reading failed: %s", type(exc).__name__)
                    for f in claimed:
                        if (cur := store.get_file(f.id)) and cur.status is FileStatus.PROCESSING:
                            store.set_status(
                                f.id,
                                FileStatus.ERROR,
                                FileErrorCode.CORRUPT.value,
                                f"{f.name}: could not be read ({type(exc).__name__})",
                            )
                try:  # the case list's rows of these cases, made now they are read
                    summaries.refresh(store, {f.case_id for f in claimed}, self._programs)
                except Exception as exc:  # the list makes them itself when it is next viewed
                    log.warning("case summaries not made: %s", type(exc).__name__)


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
