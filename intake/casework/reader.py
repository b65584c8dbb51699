"""The app's adapter to the reading pipeline, the checklists and the renderers.

No Streamlit here: `read_upload` runs in pool worker processes. Reading happens in
the background (a daemon thread feeding the crash-tolerant process pool), one
job per stored file; each job writes its page progress to the store, so any page
of the app can poll it. Results are cached in the store by content hash and
pipeline version, so re-processing and re-uploads cost nothing.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import shutil
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from checklists.corrections import Corrections
from checklists.models import Program
from checklists.render import render as render_text
from checklists.report import Report
from checklists.requests import RecordsRequest
from checklists.requests import records_requests as _records_requests
from extractors.errors import FileError, FileErrorCode
from extractors.vocabulary import Document, FileText
from intake.jobs.celery_pool import CeleryPool, celery_pool_if_configured
from intake.jobs.local import WORKER_ENV, WorkerPool, default_workers
from intake.logs import ENV_VAR as LOG_LEVEL_VAR
from intake.logs import level_name, setup_logging
from intake.programs import deployment_programs
from intake.settings import Settings
from intake.store import Case, FileStatus, Store, StoredFile

log = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
# How often an idle reader looks for files nobody is reading (a restarted server's leftovers,
# a second server's that died): re-queues orphaned claims, then claims queued app uploads.
SWEEP_S = 5.0


def programs() -> dict[str, Program]:
    found, errors = deployment_programs()
    for err in errors:
        log.warning("program file skipped: %s", err.file.name)
    return found


# --- reading in the background ----------------------------------------------------------------


def warm_up(_: object = None) -> bool:
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
    return True


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
        from intake.pipeline.processor import FileWork, Processor
        from intake.pipeline.progress import QuietReporter

        with _pool(self.workers) as pool:
            if isinstance(pool, WorkerPool):
                # Celery workers warm themselves (`recordready worker --preload`); waiting on
                # warm-up jobs there would stall reading until some worker is up.
                for n in range(self.workers):
                    pool.submit("intake.casework.reader:warm_up", None, tag=("warm", n))
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


# --- evaluation ---------------------------------------------------------------------------------


def _cached_name(names: list[str], current: str) -> str:
    """The display name the cached results were made under (same bytes, another upload name)."""
    if any(n == current or n.startswith(current + "/") for n in names) or not names:
        return current
    first = names[0]
    cuts = [first[:i] for i, ch in enumerate(first) if ch == "/"] + [first]
    fits = [c for c in cuts if all(n == c or n.startswith(c + "/") for n in names)]
    ext = Path(current).suffix.lower()
    same_ext = [c for c in fits if Path(c).suffix.lower() == ext]
    return (same_ext or fits or [first])[0]


def case_results(store: Store, case_id: str) -> tuple[list[FileText], list[Document]]:
    """Every finished file's text and documents for a case, from the store's cache."""
    from intake.pipeline import steps as work
    from intake.pipeline.processor import Processed, relabel

    page_v, docs_v = work.page_version(), work.documents_version()
    texts: list[FileText] = []
    docs: list[Document] = []
    for f in store.files(case_id):
        if f.status not in (FileStatus.DONE, FileStatus.ERROR):
            continue
        raw_texts = store.get_result(f.sha256, "file_texts", page_v)
        if raw_texts is None:
            if f.status is FileStatus.ERROR:
                code = (
                    f.error_code
                    if f.error_code in {c.value for c in FileErrorCode}
                    else FileErrorCode.CORRUPT.value
                )
                texts.append(
                    FileText(
                        file=f.name,
                        status="error",
                        sha256=f.sha256,
                        error=FileError(
                            code=FileErrorCode(code),
                            message=f.error_message or f"{f.name}: cannot be read",
                        ),
                    )
                )
            continue
        ft = [FileText.model_validate(t) for t in raw_texts]
        dd = [
            Document.model_validate(d)
            for d in store.get_result(f.sha256, "documents", docs_v) or []
        ]
        old = _cached_name([t.file for t in ft], f.name)
        done = relabel(Processed(ft, dd), old, f.name)
        texts += done.file_texts
        docs += done.documents
    return texts, docs


def evaluate_case(store: Store, case: Case, program: Program, corrections: Corrections) -> Report:
    from intake.batch.cases import CaseInput, build_report

    texts, docs = case_results(store, case.id)
    inp = CaseInput(
        name=case.id,
        store_id=case.id,
        program=case.program,
        as_of=case.as_of or dt.date.today(),
        patient=dict(case.patient or {}),
        file_texts=texts,
        documents=docs,
    )
    return build_report(inp, program, corrections)


def records_requests(report: Report) -> list[RecordsRequest]:
    return _records_requests(report)


def letter_html(req: RecordsRequest) -> str:
    """A printable page for one records request."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>"
        f"{html.escape(req.subject)}</title><style>body{{font-family:'DejaVu Serif',Georgia,serif;max-width:40rem;"
        "margin:2rem auto;padding:0 1rem;line-height:1.5;white-space:pre-wrap}}</style></head><body>"
        f"{html.escape(req.text)}</body></html>"
    )


# --- files: where a document lives, its page image and text ------------------------------------


def locate(files: list[StoredFile], doc_file: str) -> tuple[StoredFile | None, str]:
    """The stored upload holding `doc_file` and the member path inside it ("" if top level)."""
    for f in files:
        if f.name == doc_file:
            return f, ""
    for f in sorted(files, key=lambda f: -len(f.name)):
        if doc_file.startswith(f.name + "/"):
            return f, doc_file
    return None, ""


def _item_bytes(name: str, data: bytes, member: str) -> bytes | None:
    if not member:
        return data
    from extractors.sources import expand_bytes

    for item in expand_bytes(name, data):
        if item.name == member:
            return item.data
    return None


@lru_cache(maxsize=96)
def page_png_cached(blob: str, sha256: str, name: str, member: str, page: int) -> bytes | None:
    """page_png of a stored original, cached by content: reruns redraw without re-rendering."""
    return page_png(name, Path(blob).read_bytes(), member, page)


def page_png(name: str, data: bytes, member: str, page: int, width: int = 1100) -> bytes | None:
    """PNG of one page of a PDF or image (or a container member); None for text-only formats."""
    import io

    from PIL import Image

    from extractors.sniff import Kind, sniff

    raw = _item_bytes(name, data, member)
    if raw is None:
        return None
    kind = sniff(raw)
    try:
        if kind == Kind.PDF:
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(raw)
            try:
                if not 1 <= page <= len(pdf):
                    return None
                p = pdf[page - 1]
                img = p.render(scale=width / max(p.get_width(), 1)).to_pil()
            finally:
                pdf.close()
        elif kind == Kind.IMAGE:
            try:
                import pillow_heif

                pillow_heif.register_heif_opener()
            except ImportError:
                pass
            img = Image.open(io.BytesIO(raw))
            if page > 1:
                img.seek(page - 1)
            img = img.convert("RGB")
            img.thumbnail((width, width * 2))
        else:
            return None
    except Exception as exc:  # a page we cannot draw must not break the case view
        log.warning("page image unavailable: %s", type(exc).__name__)
        return None
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def page_text(store: Store, f: StoredFile | None, member: str, page: int) -> str | None:
    """The extracted text of one page, as the checklist saw it."""
    if f is None:
        return None
    from intake.pipeline import steps as work

    raw = store.get_result(f.sha256, "file_texts", work.page_version()) or []
    names = [t["file"] for t in raw]
    old = _cached_name(names, f.name)
    target = old + (member[len(f.name) :] if member else "")
    for ft in raw:
        if ft["file"] == target:
            for p in ft.get("pages", []):
                if p["number"] == page:
                    return p["text"]
    return None


# --- downloads ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rendered:
    data: bytes
    mime: str


def pdf_engine() -> str:
    return (
        "headless Chromium (print to PDF)"
        if shutil.which(CHROMIUM) or shutil.which("chromium")
        else "ReportLab"
    )


def _chromium_pdf(page_html: str) -> bytes | None:
    exe = shutil.which(CHROMIUM) or shutil.which("chromium")
    if not exe:
        return None
    with tempfile.TemporaryDirectory(prefix="rr-pdf-") as tmp:
        src, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        src.write_text(page_html, encoding="utf-8")
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=90, check=False)
        except subprocess.TimeoutExpired:
            return None
        return out.read_bytes() if out.exists() and out.stat().st_size > 0 else None


def _reportlab_pdf(report: Report, patient_view: bool) -> bytes:
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    story = [
        Paragraph(html.escape(f"RecordReady: {report.program.title}"), styles["Title"]),
        Paragraph("Ready for review" if report.ready else "Not ready yet", styles["Heading2"]),
    ]
    for item in report.items:
        text = item.patient_message if patient_view else item.detail
        story.append(
            Paragraph(
                f"<b>{html.escape(item.title)}</b> — {html.escape(item.status.value)}",
                styles["Normal"],
            )
        )
        story.append(Paragraph(html.escape(text), styles["Normal"]))
        story.append(Spacer(1, 6))
    for p in report.problems:
        story.append(Paragraph(html.escape(f"{p.file}: {p.kind.value}"), styles["Normal"]))
    SimpleDocTemplate(buf, pagesize=A4, title="RecordReady report").build(story)
    return buf.getvalue()


def render(report: Report, fmt: str, patient_view: bool) -> tuple[bytes, str, str]:
    """(bytes, mime, engine); engine names what made a PDF, "" for the text formats."""
    view = "patient" if patient_view else "coordinator"
    if fmt == "json":
        return render_text(report, "json", view).encode("utf-8"), "application/json", ""
    if fmt == "html":
        return render_text(report, "html", view).encode("utf-8"), "text/html", ""
    if fmt == "pdf":
        pdf = _chromium_pdf(render_text(report, "html", view))
        if pdf is not None:
            return pdf, "application/pdf", "headless Chromium (print to PDF)"
        return (
            _reportlab_pdf(report, patient_view),
            "application/pdf",
            "ReportLab (Chromium not available)",
        )
    raise ValueError(f"unknown format {fmt!r}")
