"""Case-level problems found across the uploads: file errors, unreadable pages, duplicates.

Details name files, pages and reasons only, never document text or identifiers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz

from checklists.identity import same
from checklists.report import Problem, ProblemKind
from extractors.vocabulary import DocType, Document, FileText, PageText

# Below this many letters/digits a page holds no usable text (blank, noise, a logo).
MIN_USABLE_CHARS = 40
# Mean tesseract word confidence (0-100) below which OCR output is mostly guesses.
MIN_OCR_CONFIDENCE = 35.0
# Near-identical text of the same report (a re-scan, a second fax): rapidfuzz ratio.
RESCAN_RATIO = 90.0
RESCAN_RATIO_ONE_MISREAD = 95.0

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


def identity_problems(mismatched: dict[str, list[str]]) -> list[Problem]:
    """One problem per file holding another patient's documents (why, by page range)."""
    return [
        Problem(
            kind=ProblemKind.IDENTITY_MISMATCH,
            file=file,
            detail=f"{file} belongs to a different patient ({'; '.join(why)}); it is not counted.",
        )
        for file, why in mismatched.items()
    ]


def unreadable_files(file_results: Iterable[FileText], documents: list[Document]) -> list[FileText]:
    """Files that were opened but hold no usable text and no recognised document."""
    recognised = {d.file for d in documents if d.doc_type != DocType.OTHER}
    return [
        ft
        for ft in file_results
        if ft.status == "ok"
        and ft.file not in recognised
        and (not ft.pages or not any(usable(p) for p in ft.pages))
    ]


def unreadable_problems(
    file_results: Iterable[FileText], documents: list[Document]
) -> list[Problem]:
    """Files, or documents within them, with no usable text.

    A blank page inside a readable packet (a separator sheet, the back of a form) is not a
    problem. Poor text that was still recognised as a known kind of record is not
    "unreadable" either: its requirement gets `needs_review` instead.
    """
    out: list[Problem] = []
    docs_by_file: dict[str, list[Document]] = {}
    for d in documents:
        docs_by_file.setdefault(d.file, []).append(d)
    for ft in file_results:
        if ft.status != "ok":
            continue
        recognised = [d for d in docs_by_file.get(ft.file, []) if d.doc_type != DocType.OTHER]
        by_number = {p.number: p for p in ft.pages}
        bad = [p.number for p in ft.pages if not usable(p)]
        if (not ft.pages or len(bad) == len(ft.pages)) and not recognised:
            where = _pages(bad) if bad else "any page"
            out.append(
                Problem(
                    kind=ProblemKind.UNREADABLE,
                    file=ft.file,
                    detail=f"{ft.file}: no readable text on {where}; a clearer copy is needed.",
                )
            )
            continue
        for d in docs_by_file.get(ft.file, []):
            pages = [by_number[n] for n in range(d.pages[0], d.pages[1] + 1) if n in by_number]
            if d.doc_type == DocType.OTHER and pages and not any(usable(p) for p in pages):
                out.append(
                    Problem(
                        kind=ProblemKind.UNREADABLE,
                        file=ft.file,
                        document_id=d.id,
                        detail=f"{ft.file}: {_pages([p.number for p in pages])} cannot be read; "
                        "a clearer copy is needed.",
                    )
                )
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


def _conflicts(a: Document, b: Document) -> int:
    """How many values both documents state differently."""
    da, db = a.fields.model_dump(exclude_none=True), b.fields.model_dump(exclude_none=True)
    return sum(1 for k, v in da.items() if k in db and db[k] != v)


def _same_patient(a: Document, b: Document) -> bool:
    return same(a.patient, b.patient) is not False


DocKey = tuple[str, tuple[int, int]]
# Names that operating systems, browsers and people give a second copy of a file.
_COPY_NAME = re.compile(r"\(\d+\)|\bcopy\b|copy of|[-_ ]copy|[-_ ]\d$|^duplicate|[-_ ]dup\b", re.I)


def _key(doc: Document) -> DocKey:
    return doc.file, doc.pages


def _looks_like_copy(name: str) -> bool:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return bool(_COPY_NAME.search(stem))


def _exact_copies(files: dict[str, FileText]) -> list[tuple[str, str]]:
    """(copy, original) pairs of files with the same bytes; the copy is the one named like one."""
    by_sha: dict[str, list[str]] = {}
    for ft in files.values():
        if ft.sha256 and ft.status == "ok":
            by_sha.setdefault(ft.sha256, []).append(ft.file)
    pairs: list[tuple[str, str]] = []
    for names in by_sha.values():
        if len(names) < 2:
            continue
        # The original: not named like a copy, then the shortest name, then the first in order.
        original = min(names, key=lambda n: (_looks_like_copy(n), len(n), names.index(n)))
        pairs.extend((n, original) for n in names if n != original)
    return pairs


def duplicates(
    documents: list[Document], file_results: Iterable[FileText]
) -> tuple[list[Problem], set[DocKey]]:
    """Duplicate uploads and the (file, pages) of the copies that should not be counted twice.

    Same file bytes (sha256), same document text (text_sha256), or the same report read
    twice (a re-scan): same type, date and patient and near-identical text with no stated
    value in conflict. The better copy (text layer over OCR, then confidence, then the
    first in file order) is kept; the other is reported.
    """
    files = {ft.file: ft for ft in file_results}
    out: list[Problem] = []
    dropped: set[DocKey] = set()
    reported: set[tuple[str, str]] = set()

    for copy_name, original in _exact_copies(files):
        out.append(
            Problem(
                kind=ProblemKind.DUPLICATE,
                file=copy_name,
                detail=f"{copy_name} is an exact copy of {original}.",
            )
        )
        reported.add((copy_name, original))
        dropped.update(_key(d) for d in documents if d.file == copy_name)

    texts = {_key(d): _normalised(document_text(d, files)) for d in documents}
    ocr = {_key(d) for d in documents if _quality(d, files)[0] == 0}
    kept: list[Document] = []
    for doc in documents:
        if _key(doc) in dropped:
            continue
        match = next((k for k in kept if _is_copy(doc, k, texts, ocr)), None)
        if match is None:
            kept.append(doc)
            continue
        keep, copy = (
            (match, doc) if _quality(match, files) >= _quality(doc, files) else (doc, match)
        )
        if copy is match:
            kept[kept.index(match)] = doc
        dropped.add(_key(copy))
        if (copy.file, keep.file) in reported:
            continue
        reported.add((copy.file, keep.file))
        where = (
            keep.file
            if keep.file != copy.file
            else f"pages {keep.pages[0]}-{keep.pages[1]} of the same file"
        )
        out.append(
            Problem(
                kind=ProblemKind.DUPLICATE,
                file=copy.file,
                document_id=copy.id,
                detail=f"{copy.file} (pages {copy.pages[0]}-{copy.pages[1]}) repeats the "
                f"{copy.doc_type.value.replace('_', ' ')} in {where}.",
            )
        )
    return out, dropped


def _is_copy(a: Document, b: Document, texts: dict[DocKey, str], ocr: set[DocKey]) -> bool:
    if a.text_sha256 and a.text_sha256 == b.text_sha256:
        return True
    if a.doc_type != b.doc_type or a.document_date is None or a.document_date != b.document_date:
        return False
    if not _same_patient(a, b):
        return False
    ta, tb = texts.get(_key(a), ""), texts.get(_key(b), "")
    if not ta or not tb:
        return False
    conflicts = _conflicts(a, b)
    if conflicts == 0:
        return fuzz.ratio(ta, tb) >= RESCAN_RATIO
    # OCR misreads a digit now and then ("64" as "104"); two different reports of one day
    # (a morning and an evening count) differ in several values, not one.
    scanned = _key(a) in ocr or _key(b) in ocr
    return conflicts == 1 and scanned and fuzz.ratio(ta, tb) >= RESCAN_RATIO_ONE_MISREAD
