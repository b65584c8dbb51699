"""From a file's pages to the documents in it: split, classify, read the facts.

`find_documents(file_text)` is the one entry point the batch runner, the store and the
commands use. Document ids are left to the caller.
"""

from __future__ import annotations

import hashlib
import logging
import unicodedata

from extractors.classify import classify_text, is_chinese, prepare
from extractors.coded import record_of, with_codes, with_hint
from extractors.date_roles import document_dates
from extractors.fields import extract_fields
from extractors.fields_letterhead import institution_of
from extractors.identity import extract_patient
from extractors.split import split_pages
from extractors.vocabulary import Document, Fields, FileText

# Bump when splitting, classification or fact rules change, so stored results can be redone.
CLASSIFIER_VERSION = "rules-2026.12.02-1"

log = logging.getLogger(__name__)


def normalised_text_sha256(text: str) -> str:
    """Hash of the text with case, spacing and punctuation removed, so re-typed or re-scanned
    copies with identical wording hash alike."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return hashlib.sha256("".join(ch for ch in folded if ch.isalnum()).encode()).hexdigest()


def build_document(file: str, pages: list[tuple[int, str]], sha256: str | None = None) -> Document:
    """One document from its pages: type, confidence, evidence, date, patient and fields."""
    doc_type, confidence, needs_review, evidence = classify_text(pages)
    text = "\n".join(prepare(t) for _, t in pages)
    patient = extract_patient(text)
    date, ambiguous, dates = document_dates(text, doc_type.value, patient.dob)
    try:
        fields = extract_fields(text, doc_type, patient.name)
    except Exception as exc:  # a faulty rule must cost this document its facts, not the run
        log.warning(
            "fact extraction failed on pages %d-%d (%s)",
            pages[0][0],
            pages[-1][0],
            type(exc).__name__,
        )
        fields = Fields()
    return Document(
        file=file,
        pages=(pages[0][0], pages[-1][0]),
        doc_type=doc_type,
        confidence=confidence,
        needs_review=needs_review,
        document_date=date,
        date_ambiguous=ambiguous,
        dates=dates,
        patient=patient,
        fields=fields,
        evidence=evidence,
        language="zh" if is_chinese(text) else "en",
        institution=institution_of(pages[0][1]),
        sha256=sha256,
        text_sha256=normalised_text_sha256(text),
    )


def _coded(file: str, pages: list[tuple[int, str]], coded: Document, sha: str | None) -> Document:
    """A document a structured source states, completed from its own pages' text."""
    first, last = coded.pages
    part = [(n, t) for n, t in pages if first <= n <= last]
    read = build_document(file, part, sha) if part else None
    return with_codes(coded.model_copy(update={"file": file, "sha256": sha}), read)


def find_documents(file_text: FileText) -> list[Document]:
    """Every document in a file that was read (`status == "ok"`); none for a file that was not."""
    if file_text.status != "ok":
        return []
    pages = [(p.number, p.text) for p in file_text.pages if p.text.strip()]
    record = record_of(file_text)
    if record is not None and record.documents:
        return [_coded(file_text.file, pages, d, file_text.sha256) for d in record.documents]
    if not pages or (record is not None and record.studies and record.hint is None):
        return []  # no text, or a DICOM image's attributes: a study, not a document
    documents = []
    for first, last in split_pages(pages):
        part = [(n, t) for n, t in pages if first <= n <= last]
        document = build_document(file_text.file, part, file_text.sha256)
        if record is not None and record.hint is not None:
            document = with_hint(document, record.hint)
        # Type and confidence only: never text or identifiers in logs.
        log.debug("pages %d-%d: %s (%.2f)", first, last, document.doc_type, document.confidence)
        documents.append(document)
    return documents
