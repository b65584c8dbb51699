"""Case-level problems found across the uploads: file errors, unreadable pages, duplicates.

Details name files, pages and reasons only, never document text or identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from checklists.report import Problem, ProblemKind
from extractors.identity import same_person
from extractors.vocabulary import Document, FileText, PageText

# Below this many letters/digits a page holds no usable text (blank, noise, a logo).
MIN_USABLE_CHARS = 40
# Mean tesseract word confidence (0-100) below which OCR output is mostly guesses.
MIN_OCR_CONFIDENCE = 35.0
# Near-identical text of the same report (a re-scan, a second fax): rapidfuzz ratio.
RESCAN_RATIO = 90.0

_ERROR_WORDS = {
    ProblemKind.ENCRYPTED: "is password-protected or encrypted and cannot be opened",
    ProblemKind.CORRUPT: "is damaged and cannot be read",
    ProblemKind.EMPTY: "is empty",
    ProblemKind.UNSUPPORTED: "is not a file type RecordReady can read",
    ProblemKind.TOO_LARGE: "is too large to read",
}


def usable(page: PageText) -> bool:
    chars = sum(ch.isalnum() for ch in page.text)
    if chars < MIN_USABLE_CHARS:
        return False
    return page.ocr_confidence is None or _confidence_pct(page.ocr_confidence) >= MIN_OCR_CONFIDENCE


def _confidence_pct(value: float) -> float:
    # Readers report tesseract confidence either as 0-1 or as 0-100.
    return value * 100 if value <= 1 else value


def file_problems(file_results: Iterable[FileText]) -> list[Problem]:
    out: list[Problem] = []
    for ft in file_results:
        if ft.status == "error" and ft.error is not None:
            kind = ProblemKind(ft.error.code.value)
            out.append(Problem(kind=kind, file=ft.file, detail=f"{ft.file} {_ERROR_WORDS[kind]}."))
    return out


def unreadable_problems(file_results: Iterable[FileText], documents: list[Document]) -> list[Problem]:
    """Files with no usable text at all, and documents whose own pages have none.

    A single blank page inside a readable packet (a separator sheet, the back of a form) is
    not a problem; a whole document or file that cannot be read is.
    """
    out: list[Problem] = []
    docs_by_file: dict[str, list[Document]] = {}
    for d in documents:
        docs_by_file.setdefault(d.file, []).append(d)
    for ft in file_results:
        if ft.status != "ok":
            continue
        bad = [p.number for p in ft.pages if not usable(p)]
        if not ft.pages or len(bad) == len(ft.pages):
            out.append(Problem(kind=ProblemKind.UNREADABLE, file=ft.file,
                               detail=f"{ft.file}: no readable text on {_pages(bad) if bad else 'any page'}; "
                                      "a clearer copy is needed."))
            continue
        by_number = {p.number: p for p in ft.pages}
        for d in docs_by_file.get(ft.file, []):
            pages = [by_number[n] for n in range(d.pages[0], d.pages[1] + 1) if n in by_number]
            if pages and not any(usable(p) for p in pages):
                out.append(Problem(kind=ProblemKind.UNREADABLE, file=ft.file, document_id=d.id,
                                   detail=f"{ft.file}: {_pages([p.number for p in pages])} cannot be read; "
                                          "a clearer copy is needed."))
    return out


def _pages(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    if numbers == list(range(numbers[0], numbers[-1] + 1)):
        return f"pages {numbers[0]}-{numbers[-1]}"
    return "pages " + ", ".join(map(str, numbers))


def document_text(doc: Document, files: dict[str, FileText]) -> str:
    ft = files.get(doc.file)
    if ft is None:
        return ""
    return "\n".join(p.text for p in ft.pages if doc.pages[0] <= p.number <= doc.pages[1])


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def _quality(doc: Document, files: dict[str, FileText]) -> tuple[int, float]:
    """Higher is the better copy to keep: a text layer beats OCR, then confidence."""
    ft = files.get(doc.file)
    pages = [p for p in (ft.pages if ft else []) if doc.pages[0] <= p.number <= doc.pages[1]]
    text_layer = int(bool(pages) and all(p.method.value == "text-layer" for p in pages))
    return text_layer, doc.confidence


def _fields_conflict(a: Document, b: Document) -> bool:
    da, db = a.fields.model_dump(exclude_none=True), b.fields.model_dump(exclude_none=True)
    return any(k in db and db[k] != v for k, v in da.items())


def _same_patient(a: Document, b: Document) -> bool:
    return same_person(a.patient, b.patient) is not False


def duplicates(documents: list[Document], file_results: Iterable[FileText]) -> tuple[list[Problem], set[str]]:
    """Duplicate uploads and the ids of the copies that should not be counted twice.

    Same file bytes (sha256), same document text (text_sha256), or the same report read
    twice (a re-scan): same type, date and patient and near-identical text with no stated
    value in conflict. The better copy (text layer over OCR, then confidence, then the
    first in file order) is kept; the other is reported.
    """
    files = {ft.file: ft for ft in file_results}
    out: list[Problem] = []
    dropped: set[str] = set()
    reported_files: set[tuple[str, str]] = set()

    seen_sha: dict[str, str] = {}
    for ft in files.values():
        if ft.sha256 and ft.status == "ok":
            if ft.sha256 in seen_sha and seen_sha[ft.sha256] != ft.file:
                out.append(Problem(kind=ProblemKind.DUPLICATE, file=ft.file,
                                   detail=f"{ft.file} is an exact copy of {seen_sha[ft.sha256]}."))
                reported_files.add((ft.file, seen_sha[ft.sha256]))
                dropped.update(d.id for d in documents if d.file == ft.file and d.id)
            else:
                seen_sha.setdefault(ft.sha256, ft.file)

    texts = {d.id: _normalised(document_text(d, files)) for d in documents if d.id}
    kept: list[Document] = []
    for doc in documents:
        if doc.id in dropped:
            continue
        match = next((k for k in kept if _is_copy(doc, k, texts)), None)
        if match is None:
            kept.append(doc)
            continue
        keep, copy = (match, doc) if _quality(match, files) >= _quality(doc, files) else (doc, match)
        if copy is match:
            kept[kept.index(match)] = doc
        if copy.id:
            dropped.add(copy.id)
        if (copy.file, keep.file) in reported_files:
            continue
        reported_files.add((copy.file, keep.file))
        where = keep.file if keep.file != copy.file else f"pages {keep.pages[0]}-{keep.pages[1]} of the same file"
        out.append(Problem(kind=ProblemKind.DUPLICATE, file=copy.file, document_id=copy.id,
                           detail=f"{copy.file} (pages {copy.pages[0]}-{copy.pages[1]}) repeats the "
                                  f"{copy.doc_type.value.replace('_', ' ')} in {where}."))
    return out, dropped


def _is_copy(a: Document, b: Document, texts: dict[str | None, str]) -> bool:
    if a.text_sha256 and a.text_sha256 == b.text_sha256:
        return True
    if a.doc_type != b.doc_type or a.document_date is None or a.document_date != b.document_date:
        return False
    if not _same_patient(a, b) or _fields_conflict(a, b):
        return False
    ta, tb = texts.get(a.id, ""), texts.get(b.id, "")
    if not ta or not tb:
        return False
    return fuzz.ratio(ta, tb) >= RESCAN_RATIO
