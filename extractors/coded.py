"""Documents of files whose source states its facts in codes (C-CDA, DICOM, a portal index).

What the codes state wins: the type from a document code, the date, the patient, coded
values, the institution. The pages' text is still read, for what the codes leave unstated
(an ECOG score or an LVEF written only in a note's narrative) and for what the text alone
carries (the text hash that finds duplicates). A `hint` (an XDM index entry, the DICOM
header around a PDF) only fills in what the text reading left empty.
"""

from __future__ import annotations

from extractors.vocabulary import CodedRecord, DocType, Document, Fields, FileText, Patient


def _patient(coded: Patient, read: Patient) -> Patient:
    return Patient(
        name=coded.name or read.name, dob=coded.dob or read.dob, mrn=coded.mrn or read.mrn
    )


def _fields(under: Fields, over: Fields) -> Fields:
    merged = under.model_dump(exclude_none=True)
    merged.update(over.model_dump(exclude_none=True))
    return Fields.model_validate(merged)


def with_codes(coded: Document, read: Document | None) -> Document:
    """The coded document, with what reading its pages found where the codes are silent."""
    if read is None:
        return coded
    update: dict[str, object] = {
        "patient": _patient(coded.patient, read.patient),
        "fields": _fields(read.fields, coded.fields),
        "document_date": coded.document_date or read.document_date,
        "date_ambiguous": read.date_ambiguous if coded.document_date is None else False,
        "institution": coded.institution or read.institution,
        "text_sha256": read.text_sha256,
        "sha256": coded.sha256 or read.sha256,
    }
    if coded.confidence == 0.0:  # the codes did not name the kind: the text decides
        update.update(
            doc_type=read.doc_type,
            confidence=read.confidence,
            needs_review=read.needs_review,
            evidence=[*read.evidence, *coded.evidence],
        )
    return coded.model_copy(update=update)


def with_hint(read: Document, hint: Document) -> Document:
    """A document read from its text, completed by what its container says of it."""
    update: dict[str, object] = {
        "patient": _patient(read.patient, hint.patient),
        "fields": _fields(hint.fields, read.fields),
        "document_date": read.document_date or hint.document_date,
        "institution": read.institution or hint.institution,
    }
    if hint.doc_type != DocType.OTHER and (read.doc_type == DocType.OTHER or read.needs_review):
        update.update(
            doc_type=hint.doc_type,
            confidence=max(read.confidence, hint.confidence),
            needs_review=False,
            evidence=[*hint.evidence, *read.evidence],
        )
    if read.document_date is None and hint.document_date is not None:
        update["date_ambiguous"] = False
    return read.model_copy(update=update)


def record_of(file_text: FileText) -> CodedRecord | None:
    """The coded record a structured source put on its file's first page, if any."""
    return next((p.record for p in file_text.pages if p.record is not None), None)
