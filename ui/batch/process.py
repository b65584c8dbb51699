"""Turn stored files into FileTexts and Documents through the pool, using every cache.

A file goes plan -> pages -> assemble -> documents. Each step runs on a worker (reading
hostile bytes never happens in the coordinating process) and each result is stored the
moment it arrives: pages per item sha256 + pipeline version, FileTexts per file sha256 +
pipeline version, Documents per file sha256 + pipeline + classifier version. A run that is
killed resumes at the first page not yet stored; a run over unchanged bytes reads nothing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from extractors.vocabulary import Document, FileText
from intake.errors import FileError, FileErrorCode
from intake.pool import Outcome
from intake.store import FileStatus, Store
from ui.batch import work
from ui.batch.progress import Reporter

# Text-layer pages are cheap: send them in chunks so process hops do not dominate.
TEXT_CHUNK = 16


class Pool(Protocol):
    """intake.pool.WorkerPool or intake.queue_celery.CeleryPool."""

    def submit(self, fn: Callable[[Any], Any] | str, arg: Any, tag: Any = None) -> None: ...
    def outcomes(self, timeout: float | None = None) -> Any: ...
    def stop(self) -> None: ...


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
    index: int
    name: str
    sha256: str | None
    error: dict[str, str] | None
    numbers: list[int]
    ocr: list[bool]
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
    ) -> None:
        self.store = store
        # False: stop after page text (the benchmark times reading alone).
        self.documents = documents
        self.pool = pool
        self.reporter = reporter
        self.stop = stop or threading.Event()
        self.counters = Counters()
        self.page_version = work.page_version()
        self.docs_version = work.documents_version()
        self._states: dict[str, _State] = {}
        self._results: dict[str, Processed] = {}
        self._texts: dict[str, list[FileText]] = {}
        self._works: dict[str, FileWork] = {}

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
        for f in todo.values():
            self._start(f)
        for outcome in self.pool.outcomes():
            self._on_outcome(outcome)
            if self.stop.is_set():
                # Let running jobs finish (their pages are stored), start nothing new.
                self.pool.stop()
        return {sha: self._results[sha] for sha in todo if sha in self._results}

    # --- steps -----------------------------------------------------------------------------

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
            if docs is not None:
                self.counters.files_cached += 1
                self._finish(f, texts, [Document.model_validate(d) for d in docs])
                return
            self._texts[f.sha256] = texts
            self._submit_documents(f, cached)
            return
        self._mark(f, FileStatus.PROCESSING)
        self._states[f.sha256] = _State(f)
        self.pool.submit(work.plan_file, work.FileRef(f.blob, f.sha256, f.name), ("plan", f.sha256))

    def _submit_documents(self, f: FileWork, texts: list[dict[str, Any]]) -> None:
        self.pool.submit(work.find_documents, texts, ("docs", f.sha256))

    def _on_outcome(self, o: Outcome) -> None:
        self.counters.worker_peak_mb = max(self.counters.worker_peak_mb, o.peak_rss_mb)
        step, sha, *rest = o.tag
        if step == "plan":
            self._on_plan(sha, o)
        elif step == "pages":
            self._on_pages(sha, rest[0], rest[1], o)
        elif step == "assemble":
            self._on_assembled(sha, rest[0], o)
        elif step == "docs":
            self._on_documents(sha, o)

    def _on_plan(self, sha: str, o: Outcome) -> None:
        st = self._states[sha]
        f = st.work
        if not o.ok:
            # The reader itself failed on these bytes: the file is unreadable, the run goes on.
            ft = _error_text(f.name, FileErrorCode.CORRUPT, f"could not be read ({o.error})")
            self._file_texts_ready(st, [ft.model_dump(mode="json")])
            return
        for it in o.value:
            st.items.append(_Item(it.index, it.name, it.sha256, it.error, it.numbers, it.ocr))
        for item in st.items:
            if item.error is not None:
                item.file_text = FileText(
                    file=item.name, status="error", error=FileError.model_validate(item.error)
                ).model_dump(mode="json")
                continue
            cached = self.store.get_pages(item.sha256 or "", self.page_version)
            item.pages = {n: p for n, p in cached.items() if n in item.numbers}
            self.counters.pages_cached += len(item.pages)
            st.pages_total += len(item.numbers)
            st.pages_done += len(item.pages)
        self.reporter.add_totals(pages=st.pages_total)
        self.reporter.advance(pages=st.pages_done)
        self._progress(st)
        for item in st.items:
            if item.file_text is not None:
                continue
            missing = [
                (n, ocr)
                for n, ocr in zip(item.numbers, item.ocr, strict=True)
                if n not in item.pages
            ]
            if not missing:
                self._submit_assemble(st, item)
                continue
            chunk: list[int] = []
            for n, ocr in missing:
                if ocr:
                    self._submit_pages(st, item, [n])
                else:
                    chunk.append(n)
                    if len(chunk) >= TEXT_CHUNK:
                        self._submit_pages(st, item, chunk)
                        chunk = []
            if chunk:
                self._submit_pages(st, item, chunk)
        self._maybe_files_done(st)

    def _submit_pages(self, st: _State, item: _Item, numbers: list[int]) -> None:
        ref = work.PagesRef(
            work.FileRef(st.work.blob, st.work.sha256, st.work.name), item.index, numbers
        )
        self.pool.submit(
            work.read_pages, ref, ("pages", st.work.sha256, item.index, tuple(numbers))
        )

    def _submit_assemble(self, st: _State, item: _Item) -> None:
        ref = work.AssembleRef(
            work.FileRef(st.work.blob, st.work.sha256, st.work.name),
            item.index,
            [item.pages[n] for n in sorted(item.pages)],
        )
        self.pool.submit(work.assemble_item, ref, ("assemble", st.work.sha256, item.index))

    def _on_pages(self, sha: str, index: int, numbers: tuple[int, ...], o: Outcome) -> None:
        st = self._states[sha]
        item = next(i for i in st.items if i.index == index)
        if not o.ok:
            # A page the reader failed on stays as an empty OCR page flagged by no confidence,
            # which the checklist reports as unreadable; its neighbours are kept.
            pages = [work.failed_page(n) for n in numbers]
        else:
            pages = o.value
            self.store.put_pages(
                item.sha256 or "", self.page_version, {p["number"]: p for p in pages}
            )
        for p in pages:
            item.pages[p["number"]] = p
            if p.get("method") == "ocr":
                self.counters.pages_ocr += 1
            else:
                self.counters.pages_text += 1
        st.pages_done += len(pages)
        self.reporter.advance(pages=len(pages))
        self._progress(st)
        if all(n in item.pages for n in item.numbers):
            self._submit_assemble(st, item)

    def _on_assembled(self, sha: str, index: int, o: Outcome) -> None:
        st = self._states[sha]
        item = next(i for i in st.items if i.index == index)
        if o.ok:
            item.file_text = o.value
        else:
            item.file_text = _error_text(
                item.name, FileErrorCode.CORRUPT, f"could not be read ({o.error})"
            ).model_dump(mode="json")
        self._maybe_files_done(st)

    def _maybe_files_done(self, st: _State) -> None:
        if st.items and all(i.file_text is not None for i in st.items):
            self._file_texts_ready(st, [i.file_text for i in st.items if i.file_text])

    def _file_texts_ready(self, st: _State, texts: list[dict[str, Any]]) -> None:
        f = st.work
        self.store.put_results(
            f.sha256, self.page_version, {"source_name": f.name, "file_texts": texts}
        )
        self.counters.files_read += 1
        self._texts[f.sha256] = [FileText.model_validate(t) for t in texts]
        if not self.documents:
            self._finish(f, self._texts.pop(f.sha256), [])
            return
        self._submit_documents(f, texts)

    def _on_documents(self, sha: str, o: Outcome) -> None:
        f = self._works[sha]
        texts = self._texts.pop(sha)
        if o.ok:
            self.store.put_result(sha, "documents", self.docs_version, o.value)
            docs = [Document.model_validate(d) for d in o.value]
        else:
            # Classification failing must not hide the file's text problems: report no documents.
            docs = []
        self._finish(f, texts, docs)

    def _finish(self, f: FileWork, texts: list[FileText], docs: list[Document]) -> None:
        self._results[f.sha256] = Processed(texts, docs, f.name)
        errors = [t.error for t in texts if t.status == "error" and t.error]
        whole_file_error = len(texts) == 1 and errors and texts[0].file == f.name
        self._mark(
            f,
            FileStatus.ERROR if whole_file_error else FileStatus.DONE,
            errors[0] if whole_file_error else None,
        )
        self.reporter.advance(files=1)
        self._states.pop(f.sha256, None)

    def _progress(self, st: _State) -> None:
        for fid in st.work.file_ids:
            self.store.set_progress(fid, st.pages_done, st.pages_total)
