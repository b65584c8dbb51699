"""Turn stored files into FileTexts and Documents through the pool, using every cache.

A file goes plan -> OCR pages -> assemble -> documents. Planning, OCR and classification
run on workers (hostile bytes are never parsed in the coordinating process); each result is
stored the moment it arrives: OCR'd pages per item sha256 + pipeline version, FileTexts per
file sha256 + pipeline version, Documents per file sha256 + pipeline + classifier version.
A run that is killed resumes at the first page not yet stored; a run over unchanged bytes
reads nothing. Only a window of files is in flight at once, so memory stays bounded however
large the batch.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from extractors.errors import FileError, FileErrorCode
from extractors.vocabulary import Document, FileText
from intake.jobs.contract import Outcome, Pool
from intake.pipeline import jobs
from intake.pipeline import steps as work
from intake.pipeline.progress import Reporter
from intake.store import FileStatus, Store

# Files planned but not finished at once, per worker: enough to keep every worker busy
# while one file waits for its last page, few enough to bound the page images held.
WINDOW_PER_WORKER = 3


# What each job was for, as its tag: the pool hands the tag back with the outcome.
@dataclass(frozen=True, slots=True)
class PlanTag:
    sha256: str


@dataclass(frozen=True, slots=True)
class PageTag:
    sha256: str
    index: int  # the item within the file
    number: int  # the page within the item


@dataclass(frozen=True, slots=True)
class DocsTag:
    sha256: str


@dataclass
class FileWork:
    sha256: str
    name: str  # display name used in messages and FileText.file (case-relative)
    blob: str  # path of the stored original
    file_ids: list[int] = field(default_factory=list)  # store rows showing its progress


@dataclass
class Processed:
    file_texts: list[FileText]
    documents: list[Document]
    name: str = ""  # the display name the results were made under (see relabel)


@dataclass
class Counters:
    files_read: int = 0
    files_cached: int = 0
    pages_ocr: int = 0
    pages_text: int = 0
    pages_cached: int = 0
    worker_peak_mb: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class _Item:
    plan: work.PlannedItem
    pages: dict[int, dict[str, Any]] = field(default_factory=dict)
    file_text: dict[str, Any] | None = None


@dataclass
class _State:
    work: FileWork
    items: list[_Item] = field(default_factory=list)
    pages_total: int = 0
    pages_done: int = 0


def _error_text(name: str, code: FileErrorCode, why: str) -> FileText:
    return FileText(file=name, status="error", error=FileError(code=code, message=f"{name}: {why}"))


def relabel(processed: Processed, old: str, new: str) -> Processed:
    """The same results under another display name (same bytes uploaded under two names)."""
    if old == new:
        return processed

    def swap(name: str) -> str:
        return new + name[len(old) :] if name == old or name.startswith(old + "/") else name

    texts = []
    for ft in processed.file_texts:
        err = ft.error
        if err is not None:
            err = err.model_copy(update={"message": err.message.replace(old, new, 1)})
        texts.append(ft.model_copy(update={"file": swap(ft.file), "error": err}))
    docs = [d.model_copy(update={"file": swap(d.file)}) for d in processed.documents]
    return Processed(texts, docs, new)


def cached_results(store: Store, sha256: str, name: str) -> Processed | None:
    """A stored file's finished results under its display `name`, or None if not finished.

    For the app and other front ends: the same texts and documents the batch would use.
    """
    texts = store.get_result(sha256, "file_texts", work.page_version())
    docs = store.get_result(sha256, "documents", work.documents_version())
    if texts is None or docs is None:
        return None
    source = store.get_result(sha256, "source_name", work.page_version()) or name
    done = Processed(
        [FileText.model_validate(t) for t in texts],
        [Document.model_validate(d) for d in docs],
        source,
    )
    return relabel(done, source, name)


class Processor:
    def __init__(
        self,
        store: Store,
        pool: Pool,
        reporter: Reporter,
        stop: threading.Event | None = None,
        documents: bool = True,
        window: int | None = None,
        on_finish: Callable[[FileWork], None] | None = None,
        keep_results: bool = True,
    ) -> None:
        self.store = store
        self.pool = pool
        self.reporter = reporter
        self.stop = stop or threading.Event()
        # False: stop after page text (the benchmark times reading alone).
        self.documents = documents
        workers = pool.workers or 1
        self.window = window or max(2, WINDOW_PER_WORKER * workers)
        self.counters = Counters()
        self.page_version = work.page_version()
        self.docs_version = work.documents_version()
        self._states: dict[str, _State] = {}
        self._results: dict[str, Processed] = {}
        self._texts: dict[str, list[FileText]] = {}
        self._works: dict[str, FileWork] = {}
        self._queue: deque[FileWork] = deque()
        self._active = 0
        # A long-lived processor (the app's reader, fed one file at a time with `add`) tells
        # its caller of each finished file and keeps no results, which would grow for ever.
        self._on_finish = on_finish
        self._keep = keep_results

    # --- public ----------------------------------------------------------------------------

    def process(self, files: list[FileWork]) -> dict[str, Processed]:
        """Results per sha256 for every file finished (all of them unless stopped)."""
        todo: dict[str, FileWork] = {}
        for f in files:
            if f.sha256 in todo:
                todo[f.sha256].file_ids += f.file_ids
            else:
                todo[f.sha256] = FileWork(f.sha256, f.name, f.blob, list(f.file_ids))
        self.reporter.add_totals(files=len(todo))
        self._works.update(todo)
        self._queue.extend(todo.values())
        self._fill()
        while True:
            for outcome in self.pool.outcomes():
                self._on_outcome(outcome)
                if self.stop.is_set():
                    # Let running jobs finish (their pages are stored), start nothing new.
                    self._queue.clear()
                    self.pool.stop()
                else:
                    self._fill()
            # Cached files finish without a job; the pool may run dry while some wait.
            if self.stop.is_set() or not self._queue:
                break
            self._fill()
        return {sha: self._results[sha] for sha in todo if sha in self._results}

    def add(self, files: list[FileWork]) -> None:
        """Take more files while others are being read; drive it with `handle`. A file whose
        bytes are already in flight joins that reading (its rows get its progress)."""
        for f in files:
            known = self._works.get(f.sha256)
            if known is not None and self._in_flight(f.sha256):
                known.file_ids += [i for i in f.file_ids if i not in known.file_ids]
                continue
            w = FileWork(f.sha256, f.name, f.blob, list(f.file_ids))
            self._works[f.sha256] = w
            self._queue.append(w)
        self._fill()

    def handle(self, outcome: Outcome) -> None:
        """One outcome from the pool this processor submits to (see `add`)."""
        self._on_outcome(outcome)
        self._fill()

    @property
    def idle(self) -> bool:
        return not self._queue and self._active == 0

    def in_flight_ids(self) -> list[int]:
        """Store rows of the files taken and not finished (to release if reading fails)."""
        return [i for sha, w in self._works.items() if self._in_flight(sha) for i in w.file_ids]

    def _in_flight(self, sha: str) -> bool:
        return (
            sha in self._states or sha in self._texts or any(w.sha256 == sha for w in self._queue)
        )

    # --- steps -----------------------------------------------------------------------------

    def _fill(self) -> None:
        while self._queue and self._active < self.window and not self.stop.is_set():
            self._start(self._queue.popleft())

    def _mark(self, f: FileWork, status: FileStatus, error: FileError | None = None) -> None:
        for fid in f.file_ids:
            self.store.set_status(
                fid,
                status,
                error.code.value if error else None,
                error.message if error else None,
            )

    def _start(self, f: FileWork) -> None:
        cached = self.store.get_result(f.sha256, "file_texts", self.page_version)
        if cached is not None:
            # Cached under the name the bytes first arrived with; relabel() renames later.
            f.name = self.store.get_result(f.sha256, "source_name", self.page_version) or f.name
            texts = [FileText.model_validate(t) for t in cached]
            self.counters.pages_cached += sum(len(t.pages) for t in texts)
            docs = self.store.get_result(f.sha256, "documents", self.docs_version)
            if docs is not None or not self.documents:
                self.counters.files_cached += 1
                found = [Document.model_validate(d) for d in docs or []]
                self._finish(f, texts, found)
                return
            self._active += 1
            self._texts[f.sha256] = texts
            self.pool.submit(jobs.DOCUMENTS, jobs.FindDocuments(texts=texts), DocsTag(f.sha256))
            return
        self._active += 1
        self._mark(f, FileStatus.PROCESSING)
        self._states[f.sha256] = _State(f)
        ref = work.FileRef(blob=f.blob, sha256=f.sha256, name=f.name)
        self.pool.submit(jobs.PLAN, ref, PlanTag(f.sha256))

    def _on_outcome(self, o: Outcome) -> None:
        self.counters.worker_peak_mb = max(self.counters.worker_peak_mb, o.peak_rss_mb)
        match o.tag:
            case PlanTag(sha):
                self._on_plan(sha, o)
            case PageTag(sha, index, number):
                self._on_page(sha, index, number, o)
            case DocsTag(sha):
                self._on_documents(sha, o)

    def _on_plan(self, sha: str, o: Outcome) -> None:
        st = self._states[sha]
        if not o.ok:
            # The reader itself failed on these bytes: the file is unreadable, the run goes on.
            why = f"could not be read ({o.error})"
            ft = _error_text(st.work.name, FileErrorCode.CORRUPT, why)
            self._file_texts_ready(st, [ft.model_dump(mode="json")])
            return
        st.items = [_Item(plan) for plan in o.value.items]
        for item in st.items:
            plan = item.plan
            if plan.error is not None:
                ft = FileText(file=plan.name, status="error", error=plan.error, sha256=plan.sha256)
                item.file_text = ft.model_dump(mode="json")
                continue
            for p in plan.resolved:
                item.pages[p.number] = p.model_dump(mode="json")
            self.counters.pages_text += len(plan.resolved)
            if plan.ocr_jobs:
                cached = self.store.get_pages(plan.sha256 or "", self.page_version)
                for job in plan.ocr_jobs:
                    if job.number in cached:
                        item.pages[job.number] = cached[job.number]
                        self.counters.pages_cached += 1
            st.pages_total += len(plan.numbers)
            st.pages_done += len(item.pages)
        self.reporter.add_totals(pages=st.pages_total)
        self.reporter.advance(pages=st.pages_done)
        self._progress(st)
        for item in st.items:
            if item.file_text is not None:
                continue
            missing = [j for j in item.plan.ocr_jobs if j.number not in item.pages]
            for job in missing:
                tag = PageTag(sha, item.plan.index, job.number)
                self.pool.submit(jobs.OCR_PAGE, jobs.OcrPage(job=job), tag)
            if not missing:
                self._assemble(item)
        self._maybe_files_done(st)

    def _on_page(self, sha: str, index: int, number: int, o: Outcome) -> None:
        st = self._states[sha]
        item = st.items[index]
        if o.ok:
            page = o.value.model_dump(mode="json")
            self.store.put_page(item.plan.sha256 or "", self.page_version, number, page)
            self.counters.pages_ocr += 1
        else:
            # A page whose reader crashed becomes an empty page with zero confidence, which the
            # checklist reports as unreadable; the file's other pages are kept. Not cached, so
            # the next run tries it again.
            page = work.failed_page(number)
        item.pages[number] = page
        st.pages_done += 1
        self.reporter.advance(pages=1)
        self._progress(st)
        if all(n in item.pages for n in item.plan.numbers):
            self._assemble(item)
            self._maybe_files_done(st)

    def _assemble(self, item: _Item) -> None:
        pages = [item.pages[n] for n in item.plan.numbers]
        item.file_text = work.assemble_item(item.plan, pages).model_dump(mode="json")

    def _maybe_files_done(self, st: _State) -> None:
        if st.items and all(i.file_text is not None for i in st.items):
            self._file_texts_ready(st, [i.file_text for i in st.items if i.file_text])
        elif not st.items and st.work.sha256 in self._states:
            # An upload with nothing in it to read (e.g. a zip of folders only).
            self._file_texts_ready(st, [])

    def _file_texts_ready(self, st: _State, texts: list[dict[str, Any]]) -> None:
        f = st.work
        self._states.pop(f.sha256, None)
        self.store.put_results(
            f.sha256, self.page_version, {"source_name": f.name, "file_texts": texts}
        )
        self.counters.files_read += 1
        self._texts[f.sha256] = [FileText.model_validate(t) for t in texts]
        if not self.documents:
            self._active -= 1
            self._finish(f, self._texts.pop(f.sha256), [])
            return
        found = jobs.FindDocuments(texts=self._texts[f.sha256])
        self.pool.submit(jobs.DOCUMENTS, found, DocsTag(f.sha256))

    def _on_documents(self, sha: str, o: Outcome) -> None:
        f = self._works[sha]
        texts = self._texts.pop(sha)
        self._active -= 1
        if o.ok:
            docs = list(o.value.documents)
            dumped = [d.model_dump(mode="json") for d in docs]
            self.store.put_result(sha, "documents", self.docs_version, dumped)
        else:
            # Classification failing must not hide the file's text problems: report no documents
            # (and cache nothing, so the next run tries again).
            docs = []
        self._finish(f, texts, docs)

    def _finish(self, f: FileWork, texts: list[FileText], docs: list[Document]) -> None:
        if self._keep:
            self._results[f.sha256] = Processed(texts, docs, f.name)
        else:
            self._works.pop(f.sha256, None)
        errors = [t.error for t in texts if t.status == "error" and t.error]
        whole = len(texts) == 1 and bool(errors) and texts[0].file == f.name
        self._mark(f, FileStatus.ERROR if whole else FileStatus.DONE, errors[0] if whole else None)
        self.reporter.advance(files=1)
        if self._on_finish is not None:
            self._on_finish(f)

    def _progress(self, st: _State) -> None:
        for fid in st.work.file_ids:
            self.store.set_progress(fid, st.pages_done, st.pages_total)
