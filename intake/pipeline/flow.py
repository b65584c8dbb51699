"""The one reading pipeline of every front end: collect -> admit -> read -> understand.

`extract`, `classify`, `check` and `batch` all read files through these steps, in order:

1. collect: the files under the paths given (one folder walk, `intake.inbox.case_files`),
   each with the display name its results and messages use;
2. admit: each file copied into the store's content-addressed blobs before anything parses
   it (an upload over the size limit, or one that cannot be copied, is rejected by name);
3. read and understand: the stored files go through `Processor` on a worker pool, which
   serves whatever the store's cache holds (page text, then documents) and stores the rest
   as it arrives, so a second run over the same bytes reads nothing again and a run that
   was killed resumes where it stopped;
4. the results come back in the order collected, under each file's own display name.

Evaluating a case against a program is the step after these (`intake.pipeline.casecheck`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Self

from extractors.errors import FileError, FileErrorCode
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.sources import expand
from extractors.vocabulary import Document, FileText
from intake.inbox import case_files
from intake.jobs.contract import Outcome, Pool
from intake.jobs.local import WorkerPool, default_workers
from intake.pipeline import steps as work
from intake.pipeline.processor import Counters, FileWork, Processed, Processor, relabel
from intake.pipeline.progress import QuietReporter, Reporter
from intake.settings import Settings
from intake.store import Store

log = logging.getLogger(__name__)

# What the jobs import: loaded once in the forkserver instead of once per worker.
PRELOAD = ("intake.pipeline.steps", "extractors.documents")
# No reading job may run longer: far above a slow page (tesseract gives up after 180 s a pass)
# or the planning of a 2000-page PDF, short enough that a hung file cannot stall a night's batch.
JOB_TIMEOUT_S = 1200.0


def make_pool(workers: int) -> WorkerPool:
    """The local process pool. Workers fork from this process, which has already imported
    the pipeline; where fork is unavailable the forkserver preloads it once instead."""
    if workers > 0:
        work.warm()
    return _cold_pool(workers)


def _cold_pool(workers: int) -> WorkerPool:
    return WorkerPool(
        workers=workers, preload=PRELOAD, start_method=_start_method(), job_timeout_s=JOB_TIMEOUT_S
    )


def _start_method() -> str | None:
    """Fork (cheap; workers inherit the loaded model and the logging set-up) only from a
    process with no other thread: a child forked while another thread holds a lock (a
    heartbeat, a server's reader) can wait on it for ever. Otherwise the forkserver."""
    return "fork" if threading.active_count() == 1 else None


class WarmingPool:
    """A local pool that loads the classifier (so forked workers share it) only when the
    first job is submitted: a command served wholly from the cache starts no worker and
    loads no model."""

    def __init__(self, workers: int, understand: bool = True) -> None:
        self.workers = workers
        self._pool = _cold_pool(workers)
        # Inline jobs load the model when they need it; page reading alone never does.
        self._warm = workers <= 0 or not understand

    def submit(self, job: str, payload: Any, tag: Hashable = None) -> None:
        if not self._warm:
            work.warm()
            self._warm = True
        self._pool.submit(job, payload, tag)

    def outcomes(self, timeout: float | None = None) -> Iterator[Outcome]:
        return self._pool.outcomes(timeout)

    def stop(self) -> None:
        self._pool.stop()

    def close(self) -> None:
        self._pool.close()

    @property
    def busy(self) -> int:
        return self._pool.busy

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Naming(StrEnum):
    GIVEN = "given"  # the path as given, members below it (`extract`, `classify`)
    CASE = "case"  # relative to the case folder, or the file's own folder (`check`)


@dataclass(frozen=True)
class Upload:
    path: Path
    name: str  # display name: FileText.file, Document.file and error messages use it


@dataclass(frozen=True)
class Stored:
    name: str  # display name
    sha256: str
    file_ids: tuple[int, ...] = ()  # store rows that show this file's progress, if any


@dataclass
class Reading:
    """What the pipeline made of some files, in the order they were collected."""

    # One per upload: its items' FileTexts (members of a container included) and documents.
    files: list[Processed] = field(default_factory=list)
    counters: Counters = field(default_factory=Counters)

    @property
    def file_texts(self) -> list[FileText]:
        return [ft for p in self.files for ft in p.file_texts]

    @property
    def documents(self) -> list[Document]:
        return [d for p in self.files for d in p.documents]


# --- step 1: collect ----------------------------------------------------------------------


def collect(paths: Sequence[Path], naming: Naming = Naming.GIVEN) -> list[Upload]:
    """Every record file under `paths`, in order, named for the command's output."""
    out: list[Upload] = []
    for root in paths:
        for file in case_files(root):
            if naming is Naming.GIVEN:
                name = str(file)
            elif root.is_dir():
                name = file.relative_to(root).as_posix()
            else:
                name = root.name
            out.append(Upload(file, name))
    return out


# --- step 2: admit ------------------------------------------------------------------------


def _refused(upload: Upload, code: FileErrorCode, why: str) -> FileText:
    return FileText(
        file=upload.name,
        status="error",
        error=FileError(code=code, message=f"{upload.name}: {why}"),
    )


def _too_large(upload: Upload, max_file_bytes: int) -> FileText | None:
    """The reader's own too-large rejection (it only looks at the size), under the upload's
    name; None when the file is within the limit."""
    try:
        size = upload.path.stat().st_size
    except OSError:
        return None  # admit() reports it when the copy fails
    if size <= max_file_bytes:
        return None
    item = next(expand(upload.path, Limits(max_file_bytes=max_file_bytes)))
    if item.error is None:  # grew back under the limit between the two looks
        return None
    message = item.error.message.replace(str(upload.path), upload.name, 1)
    error = item.error.model_copy(update={"message": message})
    return FileText(file=upload.name, status="error", error=error)


def admit(
    store: Store, uploads: Sequence[Upload], max_file_bytes: int = DEFAULT_LIMITS.max_file_bytes
) -> list[Stored | FileText]:
    """Each upload copied into the store's blobs (content-addressed: the same bytes are kept
    once), or the FileText saying why it was refused. Nothing is parsed here."""
    out: list[Stored | FileText] = []
    for upload in uploads:
        refused = _too_large(upload, max_file_bytes)
        if refused is not None:
            out.append(refused)
            continue
        try:
            sha, _size = store.blobs.put_file(upload.path)
        except OSError as exc:
            why = f"could not be read ({exc.strerror or type(exc).__name__})"
            out.append(_refused(upload, FileErrorCode.CORRUPT, why))
            continue
        out.append(Stored(upload.name, sha))
    return out


# --- step 3: read and understand ----------------------------------------------------------


def read_stored(
    store: Store,
    pool: Pool,
    files: Sequence[Stored],
    reporter: Reporter | None = None,
    stop: threading.Event | None = None,
    understand: bool = True,
) -> tuple[list[Processed | None], Counters]:
    """Page text (and with `understand`, documents) of each stored file, under its own name,
    from the cache where it holds them and from the pool otherwise. A file not finished
    (the run was stopped) is None."""
    works: dict[str, FileWork] = {}
    for f in files:
        w = works.setdefault(f.sha256, FileWork(f.sha256, f.name, str(store.blobs.path(f.sha256))))
        w.file_ids.extend(f.file_ids)
    processor = Processor(store, pool, reporter or QuietReporter(), stop, documents=understand)
    results = processor.process(list(works.values()))
    named: list[Processed | None] = []
    for f in files:
        done = results.get(f.sha256)
        named.append(None if done is None else relabel(done, done.name, f.name))
    return named, processor.counters


def read_uploads(
    uploads: Sequence[Upload],
    store: Store | None = None,
    workers: int | None = None,
    understand: bool = True,
    max_file_bytes: int = DEFAULT_LIMITS.max_file_bytes,
) -> Reading:
    """Steps 2 and 3 for a command: admit every upload, then read (and understand) them on
    a local pool of `workers` processes (None: one per core; 0: in this process)."""
    store = store or Store(Settings.from_env())
    admitted = admit(store, uploads, max_file_bytes)
    stored = [a for a in admitted if isinstance(a, Stored)]
    size = default_workers() if workers is None else workers
    # Pages of one file spread over every worker, so even a single scan uses them all.
    with WarmingPool(size, understand) as pool:
        processed, counters = read_stored(store, pool, stored, understand=understand)
    log.info(
        "%d file(s) read, %d from cache; %d page(s) OCR'd, %d from cache",
        counters.files_read,
        counters.files_cached,
        counters.pages_ocr,
        counters.pages_cached,
    )
    reading = Reading(counters=counters)
    done = iter(processed)
    for a in admitted:
        if isinstance(a, FileText):
            reading.files.append(Processed([a], [], a.file))
            continue
        p = next(done)
        if p is None:  # only a stopped run leaves files unfinished; commands never stop one
            raise RuntimeError("the reading pipeline stopped before every file was read")
        reading.files.append(p)
    return reading


def read_paths(
    paths: Sequence[Path],
    naming: Naming = Naming.GIVEN,
    store: Store | None = None,
    workers: int | None = None,
    understand: bool = True,
    max_file_bytes: int = DEFAULT_LIMITS.max_file_bytes,
) -> Reading:
    """Every file under `paths` through the whole pipeline. One bad file becomes a FileText
    with an error naming it; it never stops the others."""
    uploads = collect(paths, naming)
    return read_uploads(uploads, store, workers, understand, max_file_bytes)
