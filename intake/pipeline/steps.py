"""The work workers do: plan a stored file, OCR one page, find a file's documents.

intake.pipeline.jobs registers these as named jobs with their payload and result models. A
plan job names the stored original by path (not its bytes); it reads text layers on the spot
and returns one self-contained PageJob (with its own page image) per page that needs OCR, so
pages of one scan spread over all workers without any of them parsing the file again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any

from extractors.errors import FileError, FileRejected
from extractors.pages import PIPELINE_VERSION, PageJob, assemble, plan_pages, run_page
from extractors.sources import SourceItem, expand_bytes
from extractors.vocabulary import Document, FileText, PageMethod, PageText
from intake.jobs.registry import JobModel
from intake.settings import Settings
from intake.store.blobs import BlobStore


class FileRef(JobModel):
    """A stored original, the payload of a plan job."""

    blob: str  # path of the stored original, as the submitting machine sees it
    sha256: str
    name: str  # display name: messages and FileText.file use it


class PlannedItem(JobModel):
    index: int
    name: str
    kind: str
    sha256: str | None
    error: FileError | None
    numbers: list[int]  # every page of the item, in order
    resolved: list[PageText]  # pages read in planning (text layers)
    ocr_jobs: list[PageJob]  # pages still to OCR, each a self-contained job


def page_version() -> str:
    return str(PIPELINE_VERSION)


def documents_version() -> str:
    """Key of cached Documents: the classifier's declared version plus a fingerprint of the
    code and data that find documents and read their facts. Finding documents again is
    cheap, so any change to that code refreshes them even if nobody bumped a version;
    OCR'd pages stay keyed by PIPELINE_VERSION alone (redoing OCR is what costs)."""
    from extractors.documents import CLASSIFIER_VERSION

    return f"{page_version()}+{CLASSIFIER_VERSION}+{_understanding_fingerprint()}"


@cache
def _understanding_fingerprint() -> str:
    import extractors

    root = Path(extractors.__file__).parent
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:12]


def blob_path(ref: FileRef) -> Path:
    """Where this process finds the stored original: the submitter's path, or else the same
    content in this process's own blob store (a Celery worker on another machine may mount
    the shared store elsewhere; content addressing makes the sha256 name the same file)."""
    given = Path(ref.blob)
    if given.exists():
        return given
    return BlobStore(Settings.from_env().blob_dir).path(ref.sha256)


def plan_file(ref: FileRef) -> list[PlannedItem]:
    """Unpack a stored file and plan its pages; text-layer pages come back already read."""
    data = blob_path(ref).read_bytes()
    out: list[PlannedItem] = []
    for i, item in enumerate(expand_bytes(ref.name, data)):
        error = item.error
        jobs: list[PageJob] = []
        if error is None:
            try:
                jobs = plan_pages(item)
            except FileRejected as exc:
                error = exc.as_error()
        out.append(
            PlannedItem(
                index=i,
                name=item.name,
                kind=item.kind,
                sha256=item.sha256,
                error=error,
                numbers=[j.number for j in jobs],
                resolved=[run_page(j) for j in jobs if not j.needs_ocr],
                ocr_jobs=[j for j in jobs if j.needs_ocr],
            )
        )
    return out


@cache
def _ocr_timeout_s() -> float:
    """The deployment's per-page OCR limit (read once per worker process)."""
    return Settings.from_env().ocr_timeout_s


def ocr_page(job: PageJob) -> PageText:
    return run_page(job, timeout_s=_ocr_timeout_s())


def assemble_item(item: PlannedItem, pages: list[dict[str, Any]]) -> FileText:
    """The item's FileText from its pages (cheap: runs where the pages were collected)."""
    source = SourceItem(name=item.name, data=None, kind=item.kind)
    ft = assemble(source, [PageText.model_validate(p) for p in pages])
    return ft.model_copy(update={"sha256": ft.sha256 or item.sha256})


def find_documents(texts: list[FileText]) -> list[Document]:
    from extractors.documents import find_documents as find

    out: list[Document] = []
    for ft in texts:
        if ft.status != "ok":
            continue
        for doc in find(ft):
            out.append(doc.model_copy(update={"sha256": doc.sha256 or ft.sha256}))
    return out


def failed_page(number: int) -> dict[str, Any]:
    """What a page becomes when its reader crashed: no text, no confidence (unreadable)."""
    return PageText(number=number, method=PageMethod.OCR, text="", ocr_confidence=0.0).model_dump(
        mode="json"
    )


def warm() -> None:
    """Load the classifier's model now, so workers forked after this share it ready-made."""
    from extractors.documents import find_documents as find

    page = PageText(number=1, method=PageMethod.TEXT_LAYER, text="Clinic note\nECOG 1")
    find(FileText(file="warm-up", status="ok", pages=[page]))
