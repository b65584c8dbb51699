"""C-CDA documents (R1.1 and R2.1; CCD, discharge summaries, notes, reports) as pages and facts.

The header states what text-reading could only guess: the patient (`recordTarget`: name,
birth date, sex, record numbers), the kind of document (its LOINC `code`, else its
template), its date (`effectiveTime`) and who holds it (`custodian`, else the author's
organisation). The body's sections become pages, one per section, with the section's
narrative as the page text; their coded entries fill the fields (ccda_entries.py). One
C-CDA gives one document, except where the tables split a summary: a CCD's results are a
lab report of their own date and its medication list a medication list.
A C-CDA whose body is not structured (`nonXMLBody`) gives its text, or the pages of the
PDF it carries.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from dataclasses import dataclass, field, replace

from lxml import etree

from extractors.ccda_codes import CodeTables, SectionKind, code_tables
from extractors.ccda_entries import (
    diagnosis,
    entry_lines,
    modality_code,
    newest,
    results_date,
    section_values,
)
from extractors.ccda_xml import (
    LOINC,
    all_text,
    attr,
    child,
    children,
    narrative,
    parse,
    text_of,
    ts_date,
)
from extractors.dicom_studies import modality_of
from extractors.errors import FileErrorCode, FileRejected
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.page_job import PageJob
from extractors.vocabulary import CodedRecord, DocType, Document, Evidence, Fields, Patient

_SEX = {"F": "female", "M": "male"}
# Fewer letters and digits than a readable page holds (checklists.problems.MIN_USABLE_CHARS).
_SHORT_NARRATIVE = 40


@dataclass
class Header:
    title: str
    code: str | None
    code_name: str
    doc_type: DocType | None  # None: not in the tables (the text decides)
    split: tuple[SectionKind, ...]
    date: dt.date | None
    patient: Patient
    sex: str | None
    institution: str | None
    language: str


@dataclass
class Section:
    kind: SectionKind
    title: str
    text: str
    element: etree._Element


@dataclass
class Group:
    """The sections that make one of our documents."""

    doc_type: DocType | None
    sections: list[Section] = field(default_factory=list)
    kind: SectionKind | None = None  # the split-off section kind, None for the main document


def _name(person: etree._Element | None) -> str | None:
    names = children(person, "name")
    if not names:
        return None
    chosen = next((n for n in names if (attr(n, "use") or "L") == "L"), names[0])
    given = [text_of(g) for g in children(chosen, "given") if attr(g, "qualifier") != "CL"]
    parts = [p for p in [*given, *(text_of(f) for f in children(chosen, "family"))] if p]
    full = " ".join(parts) if parts else text_of(chosen)
    return full or None


def _record_number(role: etree._Element | None, t: CodeTables) -> str | None:
    for id_el in children(role, "id"):
        root, ext = attr(id_el, "root"), attr(id_el, "extension")
        if ext and root not in t.not_record_numbers:
            return ext
    return None


def _organisation(el: etree._Element | None) -> str | None:
    return text_of(child(el, "name")) or None


def _doc_code(root: etree._Element, t: CodeTables) -> tuple[str | None, str]:
    code = child(root, "code")
    value = attr(code, "code")
    if value in t.documents and attr(code, "codeSystem") in (LOINC, None):
        return value, attr(code, "displayName") or ""
    for tmpl in children(root, "templateId"):
        if (mapped := t.templates.get(attr(tmpl, "root") or "")) is not None:
            return mapped, attr(code, "displayName") or ""
    return value, attr(code, "displayName") or ""


def read_header(root: etree._Element, t: CodeTables) -> Header:
    code, code_name = _doc_code(root, t)
    spec = t.documents.get(code or "")
    role = child(root, "recordTarget", "patientRole")
    person = child(role, "patient")
    patient = Patient(
        name=_name(person),
        dob=ts_date(attr(child(person, "birthTime"), "value")),
        mrn=_record_number(role, t),
    )
    custodian = child(root, "custodian", "assignedCustodian", "representedCustodianOrganization")
    author = child(root, "author", "assignedAuthor", "representedOrganization")
    encounter = child(
        root,
        "componentOf",
        "encompassingEncounter",
        "location",
        "healthCareFacility",
        "serviceProviderOrganization",
    )
    institution = _organisation(custodian) or _organisation(author) or _organisation(encounter)
    language = (attr(child(root, "languageCode"), "code") or "en").split("-")[0].lower()
    return Header(
        title=text_of(child(root, "title")) or code_name,
        code=code,
        code_name=code_name,
        doc_type=spec.type if spec else None,
        split=spec.split if spec else (),
        date=ts_date(attr(child(root, "effectiveTime"), "value")),
        patient=patient,
        sex=_SEX.get((attr(child(person, "administrativeGenderCode"), "code") or "").upper()),
        institution=institution,
        language="zh" if language == "zh" else "en",
    )


def _section_kind(section: etree._Element, title: str, t: CodeTables) -> SectionKind:
    code = attr(child(section, "code"), "code")
    if code in t.sections:
        return t.sections[code]
    low = title.lower()
    for kind, words in t.section_titles.items():
        if any(low == w or low.startswith(w + " ") for w in words):
            return kind
    return "other"


def read_sections(root: etree._Element, t: CodeTables) -> list[Section]:
    body = child(root, "component", "structuredBody")
    out: list[Section] = []
    for comp in children(body, "component"):
        el = child(comp, "section")
        if el is None:
            continue
        title = text_of(child(el, "title")) or attr(child(el, "code"), "displayName") or ""
        parts = [narrative(child(el, "text"))]
        # Subsections (a discharge summary's hospital course by day) read inside their parent.
        for sub in el.iter("section"):
            if sub is not el:
                sub_title = text_of(child(sub, "title"))
                parts.append("\n".join(x for x in (sub_title, narrative(child(sub, "text"))) if x))
        text = "\n".join(p for p in parts if p)
        if sum(ch.isalnum() for ch in text) < _SHORT_NARRATIVE:
            # A narrative that only points at its entries ("see results"): they are the page.
            text = "\n".join(x for x in (text, entry_lines(el)) if x)
        if not text and not title:
            continue
        out.append(Section(_section_kind(el, title, t), title, text, el))
    return out


def _groups(header: Header, sections: list[Section]) -> list[Group]:
    main = Group(header.doc_type)
    split: dict[SectionKind, Group] = {}
    own_type: dict[SectionKind, DocType] = {
        "results": DocType.LAB_RESULTS,
        "medications": DocType.MEDICATION_LIST,
    }
    for s in sections:
        if s.kind in header.split and s.kind in own_type:
            split.setdefault(s.kind, Group(own_type[s.kind], kind=s.kind)).sections.append(s)
        else:
            main.sections.append(s)
    groups = [main] if main.sections or not split else []
    return groups + list(split.values())


def _document(name: str, header: Header, group: Group, first: int, t: CodeTables) -> Document:
    values = [v for s in group.sections for v in section_values(s.element, t)]
    fields: dict[str, object] = newest(values)
    if header.sex:
        fields["sex"] = header.sex
    for s in group.sections:
        if s.kind == "problems" and "diagnosis" not in fields and (dx := diagnosis(s.element, t)):
            fields["diagnosis"] = dx
    if group.doc_type == DocType.IMAGING_REPORT and group.kind is None:
        # The DICOM object catalog names each series' modality (CR, CT, PT ...).
        found = [modality_code(s.element) for s in group.sections]
        if modality := modality_of(m for m in found if m):
            fields.setdefault("modality", modality)
    date = header.date
    if group.kind == "results":
        date = results_date(values, group.sections[0].element) or header.date
    known = group.doc_type is not None
    said = f"{header.code} {header.code_name}".strip() if header.code else header.title
    what = group.sections[0].title if group.kind else said
    return Document(
        file=name,
        pages=(first, first + max(len(group.sections), 1) - 1),
        doc_type=group.doc_type or DocType.OTHER,
        confidence=1.0 if known else 0.0,
        needs_review=not known,
        document_date=date,
        patient=header.patient,
        fields=Fields.model_validate(fields),
        evidence=[Evidence(page=first, text=f"C-CDA: {what}"[:120])],
        language=header.language,
        institution=header.institution,
    )


def _embedded(name: str, body: etree._Element, limits: Limits) -> tuple[str, bytes] | None:
    """The media type and bytes of a nonXMLBody's text, or None when it has none."""
    text_el = child(body, "text")
    if text_el is None:
        return None
    media = (attr(text_el, "mediaType") or "text/plain").lower()
    raw = all_text(text_el)
    if (attr(text_el, "representation") or "").upper() == "B64":
        if len(raw) > limits.max_file_bytes * 4 // 3 + 4:
            raise FileRejected(FileErrorCode.TOO_LARGE, f"{name}: embedded document is too large")
        try:
            return media, base64.b64decode("".join(raw.split()), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise FileRejected(
                FileErrorCode.CORRUPT, f"{name}: embedded document is not valid base64"
            ) from exc
    return media, raw.encode("utf-8")


def _unstructured_jobs(
    name: str, header: Header, body: etree._Element, limits: Limits
) -> list[PageJob]:
    from extractors.pdf import iter_pdf_jobs

    found = _embedded(name, body, limits)
    if found is None:
        return []
    media, payload = found
    if media == "application/pdf":
        return list(iter_pdf_jobs(name, payload, limits))
    if media.startswith("text/"):
        text = payload.decode("utf-8", "replace").strip()
        if not text and (ref := attr(child(body, "text", "reference"), "value")):
            # The document itself is a file beside this one (read on its own if it came too).
            text = f"The document is kept in a separate file: {ref[-200:]}"
        return [PageJob(file=name, number=1, text=f"{header.title}\n{text}")] if text else []
    raise FileRejected(
        FileErrorCode.UNSUPPORTED, f"{name}: C-CDA carries a {media} document, not read"
    )


def ccda_page_jobs(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[PageJob]:
    """The C-CDA's pages (one per section), the first carrying the coded record."""
    t = code_tables()
    root = parse(name, data)
    if root.tag != "ClinicalDocument":
        raise FileRejected(FileErrorCode.UNSUPPORTED, f"{name}: XML that is not a C-CDA document")
    header = read_header(root, t)
    unstructured = child(root, "component", "nonXMLBody")
    if unstructured is not None:
        carried = _unstructured_jobs(name, header, unstructured, limits)
        if not carried:
            raise FileRejected(FileErrorCode.EMPTY, f"{name}: C-CDA holds no document text")
        doc = _document(name, header, Group(header.doc_type), 1, t)
        doc = doc.model_copy(update={"pages": (1, len(carried))})
        record = CodedRecord(source="ccda", documents=[doc])
        return [replace(carried[0], record=record), *carried[1:]]
    sections = read_sections(root, t)
    if len(sections) > limits.max_pages:
        raise FileRejected(
            FileErrorCode.TOO_LARGE, f"{name}: C-CDA has more than {limits.max_pages} sections"
        )
    jobs: list[PageJob] = []
    docs: list[Document] = []
    for group in _groups(header, sections):
        first = len(jobs) + 1
        docs.append(_document(name, header, group, first, t))
        for i, s in enumerate(group.sections):
            # The document's own title heads its first page, as it would a printed copy.
            lead = header.title if i == 0 and group.kind is None and header.title else ""
            text = "\n".join(x for x in (lead, s.title, s.text) if x)
            jobs.append(PageJob(file=name, number=len(jobs) + 1, text=text))
    if not jobs:
        if not header.title:
            raise FileRejected(FileErrorCode.EMPTY, f"{name}: C-CDA holds no sections")
        jobs = [PageJob(file=name, number=1, text=header.title)]
        docs = [_document(name, header, Group(header.doc_type), 1, t)]
    record = CodedRecord(source="ccda", documents=docs)
    return [replace(jobs[0], record=record), *jobs[1:]]
