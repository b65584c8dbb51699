"""The jobs workers run: plan a stored file, read some of its pages, assemble, find documents.

Top-level functions with small picklable arguments: a job names the stored original by
path and sha256 instead of carrying its bytes, so a 300-page scan is not copied to a worker
once per page. Each worker keeps the last few files it planned, so the pages of one file
cost one parse per worker, not one per page.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractors.vocabulary import FileText, PageMethod, PageText
from intake.errors import FileError, FileRejected
from intake.sources import SourceItem, expand_bytes

# Files whose plan a worker keeps (their bytes stay in memory while kept).
_KEEP_PLANS = 2


@dataclass(frozen=True)
class FileRef:
    blob: str  # path of the stored original
    sha256: str
    name: str  # display name: messages and FileText.file use it


@dataclass(frozen=True)
class PagesRef:
    file: FileRef
    item: int  # index of the item in the file's expansion
    numbers: list[int]


@dataclass(frozen=True)
class AssembleRef:
    file: FileRef
    item: int
    pages: list[dict[str, Any]]


@dataclass(frozen=True)
class PlannedItem:
    index: int
    name: str
    sha256: str | None
    error: dict[str, Any] | None
    numbers: list[int]
    ocr: list[bool]  # per page: will it be OCR'd (sent alone) or read from a text layer


@dataclass
class _Plan:
    item: SourceItem
    jobs: dict[int, Any]  # page number -> PageJob
    error: FileError | None


_plans: OrderedDict[str, list[_Plan]] = OrderedDict()


def page_version() -> str:
    from extractors.pages import PIPELINE_VERSION

    return str(PIPELINE_VERSION)


def documents_version() -> str:
    from extractors.documents import CLASSIFIER_VERSION

    return f"{page_version()}+{CLASSIFIER_VERSION}"


def _job_number(job: Any, position: int) -> int:
    return int(getattr(job, "number", position + 1))


def _job_is_ocr(job: Any) -> bool:
    for attr in ("needs_ocr", "ocr"):
        if isinstance(getattr(job, attr, None), bool):
            return bool(getattr(job, attr))
    method = getattr(job, "method", None)
    return method is not None and str(method) == PageMethod.OCR.value


def _plan(ref: FileRef) -> list[_Plan]:
    if ref.sha256 in _plans:
        _plans.move_to_end(ref.sha256)
        return _plans[ref.sha256]
    from extractors.pages import plan_pages

    data = Path(ref.blob).read_bytes()
    plans: list[_Plan] = []
    for item in expand_bytes(ref.name, data):
        if item.error is not None:
            plans.append(_Plan(item, {}, item.error))
            continue
        try:
            jobs = plan_pages(item)
        except FileRejected as exc:
            plans.append(_Plan(item, {}, exc.as_error()))
            continue
        plans.append(_Plan(item, {_job_number(j, i): j for i, j in enumerate(jobs)}, None))
    _plans[ref.sha256] = plans
    while len(_plans) > _KEEP_PLANS:
        _plans.popitem(last=False)
    return plans


def plan_file(ref: FileRef) -> list[PlannedItem]:
    out = []
    for i, p in enumerate(_plan(ref)):
        numbers = sorted(p.jobs)
        out.append(
            PlannedItem(
                index=i,
                name=p.item.name,
                sha256=p.item.sha256,
                error=p.error.model_dump(mode="json") if p.error else None,
                numbers=numbers,
                ocr=[_job_is_ocr(p.jobs[n]) for n in numbers],
            )
        )
    return out


def read_pages(ref: PagesRef) -> list[dict[str, Any]]:
    from extractors.pages import run_page

    plan = _plan(ref.file)[ref.item]
    return [run_page(plan.jobs[n]).model_dump(mode="json") for n in ref.numbers]


def assemble_item(ref: AssembleRef) -> dict[str, Any]:
    from extractors.pages import assemble

    plan = _plan(ref.file)[ref.item]
    pages = [PageText.model_validate(p) for p in ref.pages]
    ft = assemble(plan.item, pages)
    return ft.model_copy(update={"sha256": ft.sha256 or plan.item.sha256}).model_dump(mode="json")


def find_documents(texts: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from extractors.documents import find_documents as find

    out: list[dict[str, Any]] = []
    for raw in texts:
        ft = FileText.model_validate(raw)
        if ft.status != "ok":
            continue
        for doc in find(ft):
            out.append(
                doc.model_copy(update={"sha256": doc.sha256 or ft.sha256}).model_dump(mode="json")
            )
    return out


def failed_page(number: int) -> dict[str, Any]:
    """What a page becomes when its reader crashed: no text, no confidence (unreadable)."""
    return PageText(number=number, method=PageMethod.OCR, text="", ocr_confidence=0.0).model_dump(
        mode="json"
    )
