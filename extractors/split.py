"""Where one document ends and the next begins in a file that holds several (a faxed packet).

The signals are the ones a person uses leafing through a packet: "Page 1 of N" restarting
(or the last page of a run reached), a report title at the top of a page, a different
patient, a different report date or document type. Each page after the first gets a
boundary score; page markers and a change of patient decide on their own, a new title
decides when it names a different type or comes with a new date, and a repeated
letterhead with the same title and date is read as a continuation.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from extractors.classify import classify_text, prepare, title_hits
from extractors.date_roles import document_date
from extractors.fields_letterhead import institution_of
from extractors.identity import extract_patient, same_person
from extractors.vocabulary import DocType, Patient

_PAGE_OF = re.compile(
    r"(?:page|pg\.?|p\.)\s*(\d{1,3})\s*(?:of|/)\s*(\d{1,3})|第\s*(\d{1,3})\s*页\s*[,，/]?\s*共\s*(\d{1,3})\s*页|"
    r"(?:^|\n)\s*(\d{1,3})\s*/\s*(\d{1,3})\s*(?:\n|$)",
    re.I,
)
# A fax machine's header line ("09/17/2026 09:02 FROM ... P. 2/3") numbers the pages of the
# transmission, which runs across every document in the packet: not the document's pages.
_FAX_HEADER = re.compile(r"\b\d{1,2}:\d{2}\b")
# A cover sheet is a document of its own: the next page starts the faxed record.
_FAX_COVER = re.compile(
    r"\b(?:fax|facsimile)\s*(?:cover(?:\s*sheet)?|transmittal|transmission)\b|^\W*e?-?fax\W*$",
    re.I | re.M,
)
# A running header "page 2" (no "of N"): a later page of the same document.
_PAGE_N = re.compile(r"\b(?:page|pg\.?)\s*(\d{1,3})(?:\s*of)?\s*(?:$|\|)", re.I | re.M)
# A report's own header restates who it is about in its first lines ("Name: DOE, Jane  MRN").
_BANNER_TOP = re.compile(r"^\W{0,3}(?:patient(?:\s+name)?|name)\s*[:：]\s*\S", re.I | re.M)
_CONTINUED = re.compile(r"\(?\b(?:continued|cont(?:'|’)?d|continuation)\b\)?|续页|（续）", re.I)

BOUNDARY_SCORE = 1.0


@dataclass(frozen=True)
class PageSignals:
    number: int
    page_of: tuple[int, int] | None
    title_type: DocType | None
    title_weight: float
    patient: Patient
    date: dt.date | None
    continued: bool
    institution: str | None
    fax_cover: bool = False
    banner_top: bool = False


def _page_of(text: str) -> tuple[int, int] | None:
    first_line = len(text.split("\n", 1)[0]) if _FAX_HEADER.search(text.split("\n", 1)[0]) else 0
    for m in _PAGE_OF.finditer(text):
        if m.start() < first_line:
            continue
        groups = [g for g in m.groups() if g]
        page, total = int(groups[0]), int(groups[1])
        if 1 <= page <= total <= 500:
            return page, total
    return None


def page_signals(number: int, text: str) -> PageSignals:
    text = prepare(text)
    titles = title_hits(number, text)
    best = max(titles, key=lambda h: h.contribution, default=None)
    top = "\n".join(text.strip().splitlines()[:6])
    # A header or footer "page 2" / a cut "Page 2 of": a later page of the same document.
    later_page = any(int(m.group(1)) > 1 for m in _PAGE_N.finditer(text))
    cover_top = "\n".join(text.strip().splitlines()[1:8])
    return PageSignals(
        number=number,
        page_of=_page_of(text),
        title_type=best.signal.doc_type if best else None,
        title_weight=best.contribution if best else 0.0,
        patient=extract_patient(text),
        date=document_date(text)[0],
        continued=bool(_CONTINUED.search(top)) or later_page,
        institution=institution_of(text),
        fax_cover=bool(_FAX_COVER.search(cover_top)) and best is not None,
        banner_top=bool(_BANNER_TOP.search("\n".join(text.strip().splitlines()[:3]))),
    )


def _merge_patient(a: Patient, b: Patient) -> Patient:
    return Patient(name=a.name or b.name, dob=a.dob or b.dob, mrn=a.mrn or b.mrn)


def boundary_score(
    previous: PageSignals,
    page: PageSignals,
    doc_type: DocType | None,
    doc_patient: Patient,
    doc_date: dt.date | None,
    page_type: DocType | None,
    doc_institution: str | None = None,
) -> float:
    score = 0.0
    if page.page_of:
        if page.page_of[0] == 1:
            score += 3
        elif (
            previous.page_of
            and previous.page_of[0] == page.page_of[0] - 1
            and previous.page_of[1] == page.page_of[1]
        ):
            score -= 3
    if previous.page_of and previous.page_of[0] == previous.page_of[1]:
        score += 2
    elif previous.page_of and not page.page_of:
        # "Page 1 of 2" announced a page to come, and this one's own numbering was not read
        # (a fax's OCR turned "Page 2 of 2" into "Page 2 4"): it is that page.
        score -= 2
    if page.continued:
        score -= 2
    if previous.fax_cover and not page.fax_cover:
        score += 3
    if same_person(doc_patient, page.patient) is False:
        score += 3
    if (
        page.institution
        and doc_institution
        and fuzz.ratio(page.institution.casefold(), doc_institution.casefold()) < 80
    ):
        score += 1
    new_date = page.date is not None and doc_date is not None and page.date != doc_date
    if page.title_type is not None:
        score += 1.0 if page.title_type != doc_type else 0.4
    if new_date:
        score += 0.6
        # A new report header (letterhead, then the patient's banner) with its own date.
        if page.banner_top and not page.page_of and not page.continued:
            score += 0.5
    if (
        page.title_type is None
        and page_type is not None
        and doc_type is not None
        and page_type != doc_type
    ):
        score += 0.5
    return score


def split_pages(pages: list[tuple[int, str]]) -> list[tuple[int, int]]:
    """Page ranges (first, last; the file's page numbers) of the documents in one file."""
    if not pages:
        return []
    signals = [page_signals(number, text) for number, text in pages]
    ranges: list[tuple[int, int]] = []
    start = 0
    doc_type = signals[0].title_type or classify_text([pages[0]]).doc_type
    doc_patient, doc_date = signals[0].patient, signals[0].date
    doc_institution = signals[0].institution
    for i in range(1, len(pages)):
        page = signals[i]
        page_type: DocType | None = None
        if page.title_type is None and not page.page_of:
            result = classify_text([pages[i]])
            page_type = None if result.needs_review else result.doc_type
        score = boundary_score(
            signals[i - 1], page, doc_type, doc_patient, doc_date, page_type, doc_institution
        )
        if score >= BOUNDARY_SCORE:
            ranges.append((pages[start][0], pages[i - 1][0]))
            start = i
            doc_type = page.title_type or page_type or classify_text([pages[i]]).doc_type
            doc_patient, doc_date, doc_institution = page.patient, page.date, page.institution
        else:
            doc_patient = _merge_patient(doc_patient, page.patient)
            doc_date = doc_date or page.date
            doc_institution = doc_institution or page.institution
    ranges.append((pages[start][0], pages[-1][0]))
    return ranges
