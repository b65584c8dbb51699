"""DICOM files (imaging CDs, a zip of a disc, loose files) as studies and imaging reports.

Only attributes are read, never pixels. A DICOMDIR gives the disc's list of studies; an
image gives its study; a Structured Report is read as the imaging report it is (its content
tree as lines of text, the study's attributes as its facts); an encapsulated PDF is the
report's own pages, an encapsulated CDA a C-CDA. Studies travel on the first page's coded
record, so the checklist can list them and ask for the report of a study that came without.
"""

from __future__ import annotations

import dataclasses
import io
import warnings

from pydicom import config, dcmread
from pydicom.dataset import Dataset
from pydicom.sequence import Sequence

from extractors.dicom_studies import (
    DICOMDIR_CLASS,
    da_date,
    dicom_tables,
    dicomdir_studies,
    patient_of,
    study_of,
    study_words,
    text,
)
from extractors.errors import FileErrorCode, FileRejected
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.page_job import PageJob
from extractors.quiet import pin_content_loggers
from extractors.vocabulary import CodedRecord, DocType, Document, Evidence, Fields, ImagingStudy

_SR_PREFIX = "1.2.840.10008.5.1.4.1.1.88."
_PDF_CLASS = "1.2.840.10008.5.1.4.1.1.104.1"
_CDA_CLASS = "1.2.840.10008.5.1.4.1.1.104.2"
# Content items read from an SR: deeper trees are measurement detail, not the report's words.
_MAX_SR_DEPTH = 8
_MAX_SR_ITEMS = 5000


def _read(name: str, data: bytes) -> Dataset:
    pin_content_loggers()
    # Values are read as written; a malformed one is simply not used (and never logged).
    config.settings.reading_validation_mode = config.IGNORE
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return dcmread(io.BytesIO(data), stop_before_pixels=True)
    except Exception as exc:  # pydicom raises many types for damaged files
        raise FileRejected(
            FileErrorCode.CORRUPT, f"{name}: DICOM file is damaged ({type(exc).__name__})"
        ) from exc


def _sop_class(ds: Dataset) -> str:
    meta = getattr(ds, "file_meta", None)
    media = text(meta, "MediaStorageSOPClassUID") if meta is not None else None
    return text(ds, "SOPClassUID") or media or ""


def _study_page(name: str, studies: list[ImagingStudy], heading: str) -> PageJob:
    lines = [heading]
    for s in studies:
        when = s.date.isoformat() if s.date else "date not stated"
        parts = [f"{study_words(s)} study of {when}"]
        parts += [x for x in (s.description, s.institution) if x]
        count = f"{s.images} image{'s' if s.images != 1 else ''}"
        lines.append(
            f"{'; '.join(parts)} ({count}{', report on the disc' if s.has_report else ''})"
        )
    record = CodedRecord(source="dicom", studies=studies)
    return PageJob(file=name, number=1, text="\n".join(lines), record=record)


def _sr_lines(items: Sequence | None, depth: int, out: list[str]) -> None:
    """The content tree's items as 'Concept: value' lines, in document order."""
    if depth > _MAX_SR_DEPTH or not items:
        return
    for item in items:
        if len(out) >= _MAX_SR_ITEMS:
            return
        concept = item.get("ConceptNameCodeSequence")
        name = text(concept[0], "CodeMeaning") if concept else None
        kind = text(item, "ValueType") or ""
        value = None
        if kind == "TEXT":
            value = text(item, "TextValue")
        elif kind == "CODE" and item.get("ConceptCodeSequence"):
            value = text(item.ConceptCodeSequence[0], "CodeMeaning")
        elif kind == "NUM" and item.get("MeasuredValueSequence"):
            measured = item.MeasuredValueSequence[0]
            units = measured.get("MeasurementUnitsCodeSequence")
            unit = text(units[0], "CodeValue") if units else ""
            value = " ".join(x for x in (text(measured, "NumericValue"), unit) if x)
        elif kind in ("DATE", "DATETIME"):
            value = text(item, "Date") or text(item, "DateTime")
        if kind == "CONTAINER" and name:
            out.append(name)
        elif value:
            out.append(f"{name}: {value}" if name else value)
        _sr_lines(item.get("ContentSequence"), depth + 1, out)


def _report_document(name: str, ds: Dataset, study: ImagingStudy, pages: int) -> Document:
    return Document(
        file=name,
        pages=(1, pages),
        doc_type=DocType.IMAGING_REPORT,
        confidence=1.0,
        needs_review=False,
        document_date=study.date or da_date(text(ds, "ContentDate")),
        patient=patient_of(ds),
        fields=Fields(modality=study.modality, body_region=study.body_part),
        evidence=[Evidence(page=1, text=f"DICOM report: {study_words(study)}"[:120])],
        institution=study.institution,
    )


def _sr_jobs(name: str, ds: Dataset) -> list[PageJob]:
    study = study_of(ds, images=0, has_report=True)
    concept = ds.get("ConceptNameCodeSequence")
    title = (text(concept[0], "CodeMeaning") if concept else None) or "Imaging report"
    lines = [title, *(x for x in (study.description, study.institution) if x)]
    _sr_lines(ds.get("ContentSequence"), 0, lines)
    doc = _report_document(name, ds, study, 1)
    record = CodedRecord(source="dicom", documents=[doc], studies=[study])
    return [PageJob(file=name, number=1, text="\n".join(lines), record=record)]


def _encapsulated(name: str, ds: Dataset, limits: Limits) -> list[PageJob]:
    from extractors.ccda import ccda_page_jobs
    from extractors.pdf import iter_pdf_jobs

    payload = ds.get("EncapsulatedDocument")
    if not payload:
        raise FileRejected(FileErrorCode.EMPTY, f"{name}: DICOM document holds no document")
    data = bytes(payload)
    study = study_of(ds, images=0, has_report=True)
    if _sop_class(ds) == _CDA_CLASS:
        return ccda_page_jobs(name, data.rstrip(b"\x00"), limits)
    jobs = list(iter_pdf_jobs(name, data, limits))
    if not jobs:
        raise FileRejected(FileErrorCode.EMPTY, f"{name}: encapsulated PDF has no pages")
    hint = _report_document(name, ds, study, len(jobs)).model_copy(update={"confidence": 0.8})
    record = CodedRecord(source="dicom", hint=hint, studies=[study])
    return [dataclasses.replace(jobs[0], record=record), *jobs[1:]]


def dicom_page_jobs(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[PageJob]:
    ds = _read(name, data)
    sop = _sop_class(ds)
    if not text(ds, "SOPClassUID") and "DirectoryRecordSequence" not in ds:
        # Only the file header survived (a cut copy): there is no object to read.
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: DICOM file is damaged or truncated")
    if sop == DICOMDIR_CLASS or "DirectoryRecordSequence" in ds:
        studies = dicomdir_studies(ds, limits.max_dicom_records)
        if not studies:
            raise FileRejected(FileErrorCode.EMPTY, f"{name}: DICOMDIR lists no studies")
        return [_study_page(name, studies, "Imaging disc index (DICOMDIR)")]
    if sop.startswith(_SR_PREFIX):
        return _sr_jobs(name, ds)
    if sop in (_PDF_CLASS, _CDA_CLASS) or sop in dicom_tables().report_classes:
        return _encapsulated(name, ds, limits)
    return [_study_page(name, [study_of(ds)], "Imaging study images (DICOM)")]
