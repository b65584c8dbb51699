"""Page text of one upload: plan the pages, OCR what needs it, assemble a FileText.

Serial use: `read_item(item)`. The batch pool parallelises by page instead:
`plan_pages(item)` (cheap; text-layer pages come back resolved), `run_page(job)` in
any worker process, then `assemble(item, pages)`. `plan_pages` raises FileRejected
for a bad file; `rejected_file(item, exc)` turns that into the FileText to report.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

from extractors.ccda import ccda_page_jobs
from extractors.dicom import dicom_page_jobs
from extractors.errors import FileError, FileErrorCode, FileRejected
from extractors.images import plan_image
from extractors.letters import doc_pages, odt_pages, rtf_pages
from extractors.limits import DEFAULT_LIMITS, Limits, check_time
from extractors.ocr import DEFAULT_TIMEOUT_S, ocr_image
from extractors.ocr_ink import REVIEW_BELOW as INK_REVIEW_BELOW
from extractors.office import docx_pages
from extractors.page_image import open_for_ocr
from extractors.page_job import PageJob
from extractors.pdf import iter_pdf_jobs
from extractors.quiet import pin_content_loggers
from extractors.sources import SourceItem
from extractors.textcodec import decode
from extractors.vocabulary import CodedRecord, FileText, PageMethod, PageText

__all__ = [
    "PIPELINE_VERSION",
    "PageJob",
    "assemble",
    "iter_page_jobs",
    "plan_pages",
    "read_item",
    "rejected_file",
    "run_page",
]

# Bump whenever reading changes what a page's text would be: cached results key on it.
# reading-7: files embedded in PDFs are items; DOCX text after an entity reference kept.
# reading-8: printed order from word boxes, unread ink read again (ocr_layout, ocr_ink).
# reading-9: a scan in a PDF whose pixels are not square (a 200 x 100 dpi fax) is stretched.
PIPELINE_VERSION = "reading-9"

log = logging.getLogger(__name__)
pin_content_loggers()

_LETTERS = {"odt": odt_pages, "rtf": rtf_pages, "doc": doc_pages}


def plan_pages(item: SourceItem, limits: Limits = DEFAULT_LIMITS) -> list[PageJob]:
    """The file's pages as jobs, in order. Raises FileRejected when the file cannot be read
    (any failure of a parsing library included: the batch pool only has to catch that)."""
    started = time.monotonic()
    try:
        jobs = []
        for job in iter_page_jobs(item, limits):
            check_time(item.name, started, limits)
            jobs.append(job)
        return jobs
    except FileRejected:
        raise
    except Exception as exc:
        raise FileRejected(
            FileErrorCode.CORRUPT, f"{item.name}: could not be read ({type(exc).__name__})"
        ) from exc


def iter_page_jobs(item: SourceItem, limits: Limits = DEFAULT_LIMITS) -> Iterator[PageJob]:
    """Like plan_pages, lazily: PDF pages are planned (and their images held) one by one."""
    if item.error is not None:
        raise FileRejected(item.error.code, item.error.message)
    if item.data is None:
        raise FileRejected(FileErrorCode.EMPTY, f"{item.name}: no data")
    if item.record is not None:
        return _with_record(_jobs(item, limits), item.record)
    return _jobs(item, limits)


def _with_record(jobs: Iterator[PageJob], record: CodedRecord) -> Iterator[PageJob]:
    """The item's jobs, the first carrying what its container says of it (an XDM entry)."""
    first = next(jobs, None)
    if first is None:
        return
    yield first if first.record is not None else dataclasses.replace(first, record=record)
    yield from jobs


def _jobs(item: SourceItem, limits: Limits) -> Iterator[PageJob]:
    assert item.data is not None  # checked by iter_page_jobs
    if item.kind == "pdf":
        return iter_pdf_jobs(item.name, item.data, limits)
    if item.kind == "image":
        return iter(plan_image(item.name, item.data, limits))
    if item.kind == "ccda":
        return iter(ccda_page_jobs(item.name, item.data, limits))
    if item.kind == "dicom":
        return iter(dicom_page_jobs(item.name, item.data, limits))
    if item.kind == "docx":
        texts = docx_pages(item.name, item.data, limits)
    elif item.kind in _LETTERS:
        texts = _LETTERS[item.kind](item.name, item.data, limits)
    elif item.kind == "text":
        texts = _text_pages(item.name, item.data)
    else:
        raise FileRejected(
            FileErrorCode.UNSUPPORTED, f"{item.name}: not a format RecordReady reads"
        )
    return iter([PageJob(file=item.name, number=n, text=t) for n, t in enumerate(texts, start=1)])


def _text_pages(name: str, data: bytes) -> list[str]:
    # UTF-16 with or without its mark, UTF-8, Latin-1, Windows-1252, GB18030, ...
    text = decode(data).lstrip("\ufeff")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [p.strip("\n") for p in text.split("\f")]
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    if not any(p.strip() for p in pages):
        raise FileRejected(FileErrorCode.EMPTY, f"{name}: text file holds no text")
    return pages


def run_page(job: PageJob, timeout_s: float = DEFAULT_TIMEOUT_S) -> PageText:
    """One page's text. OCR runs tesseract single-threaded: pages run side by side here."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    return _run(job, timeout_s)


def _run(job: PageJob, timeout_s: float) -> PageText:
    if job.text is not None:
        return PageText(
            number=job.number, method=PageMethod.TEXT_LAYER, text=job.text, record=job.record
        )
    with open_for_ocr(job) as page:
        result = ocr_image(
            page.image,
            dpi=page.dpi,
            timeout_s=timeout_s,
            encoded=page.encoded,
            encoded_suffix=job.image_suffix,
        )
    text = f"{job.text_layer}\n{result.text}" if job.text_layer else result.text
    if result.timed_out:
        log.warning("OCR timed out after %.0f s on page %d of one file", timeout_s, job.number)
    return PageText(
        number=job.number,
        method=PageMethod.OCR,
        rotation=(job.base_rotation + result.rotation) % 360,
        ocr_confidence=result.confidence,
        text=text,
        language=result.language,
        skew_degrees=result.skew_degrees,
        ink_accounted=result.ink_accounted,
        review_reason=(
            "ink_unread"
            if result.ink_accounted is not None and result.ink_accounted < INK_REVIEW_BELOW
            else None
        ),
        record=job.record,
    )


def _run_parallel(jobs: Iterator[PageJob], workers: int, timeout_s: float) -> list[PageText]:
    """OCR pages side by side, planning ahead only a few pages (bounded memory)."""
    # Several tesseracts at once: each must stay on one thread or OpenMP oversubscribes.
    os.environ["OMP_THREAD_LIMIT"] = "1"
    pages: list[PageText] = []
    pending: list[Future[PageText]] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for job in jobs:
            if not job.needs_ocr:
                pages.append(_run(job, timeout_s))
                continue
            pending.append(pool.submit(_run, job, timeout_s))
            if len(pending) >= 2 * workers:
                pages.append(pending.pop(0).result())
        pages.extend(f.result() for f in pending)
    return pages


def assemble(item: SourceItem, pages: list[PageText]) -> FileText:
    return FileText(
        file=item.name, status="ok", pages=sorted(pages, key=lambda p: p.number), sha256=item.sha256
    )


def rejected_file(item: SourceItem, exc: FileRejected) -> FileText:
    return FileText(file=item.name, status="error", error=exc.as_error(), sha256=item.sha256)


def read_item(
    item: SourceItem,
    *,
    ocr_parallel: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> FileText:
    """The whole file's text. Never raises for a bad file: it comes back with status "error"."""
    if item.error is not None:
        return FileText(file=item.name, status="error", error=item.error)
    try:
        jobs = iter_page_jobs(item, limits)
        workers = os.cpu_count() or 1
        if ocr_parallel and workers > 1:
            pages = _run_parallel(jobs, workers, timeout_s)
        else:
            pages = [_run(j, timeout_s) for j in jobs]
    except FileRejected as exc:
        return rejected_file(item, exc)
    except Exception as exc:  # a reader bug or a library crash must not stop the batch
        log.error("reading failed with %s", type(exc).__name__)
        error = FileError(
            code=FileErrorCode.CORRUPT,
            message=f"{item.name}: could not be read ({type(exc).__name__})",
        )
        return FileText(file=item.name, status="error", error=error, sha256=item.sha256)
    return assemble(item, pages)
