"""Coordinator corrections: waivers of requirements and fixes to how a document was read.

The app and the case store persist these; `evaluate` applies them. Documents are keyed by
a stable id (`document_id`: the first 12 hex digits of the file's sha256 and the page
range), so a correction still finds its document after the case is read again.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from extractors.vocabulary import DocType, Document, Patient


def document_id(file_sha256: str | None, file: str, pages: tuple[int, int]) -> str:
    """Stable id of a document: survives re-processing and renaming of the upload."""
    first, last = pages
    key = (file_sha256 or "")[:12] or f"name:{file}"
    return f"{key}:{first}-{last}"


class Waiver(BaseModel):
    """A coordinator decides a requirement does not apply to this case, and says why."""

    model_config = ConfigDict(extra="forbid")

    requirement_id: str
    reason: str = Field(min_length=1)
    by: str = Field(min_length=1)
    at: dt.datetime
    # The result exists or is coming but is not in yet ("result to follow"): the case may go
    # ahead, but the patient is told it is still awaited, never that it is not needed.
    to_follow: bool = False


class DocumentCorrection(BaseModel):
    """A coordinator's fix to how one document was read. Absent fields change nothing."""

    model_config = ConfigDict(extra="forbid")

    document_id: str
    doc_type: DocType | None = None
    document_date: dt.date | None = None
    patient: Patient | None = None
    # True: this document belongs to someone else (never counts); False: it is the case's
    # patient's even if the name reads differently (e.g. a maiden name).
    other_patient: bool | None = None
    by: str = Field(min_length=1)
    at: dt.datetime


class Corrections(BaseModel):
    model_config = ConfigDict(extra="forbid")

    waivers: list[Waiver] = Field(default_factory=list)
    documents: list[DocumentCorrection] = Field(default_factory=list)


_FIXED_FIELDS = ("doc_type", "document_date", "patient", "other_patient")


def merged_corrections(corrections: list[DocumentCorrection]) -> dict[str, DocumentCorrection]:
    """Each document's corrections laid over each other in the order they were made.

    A later correction changes only the fields it sets, so a second save that sets nothing
    (or something else) never undoes the first.
    """
    out: dict[str, DocumentCorrection] = {}
    for c in corrections:
        prior = out.get(c.document_id)
        if prior is None:
            out[c.document_id] = c
            continue
        kept = {f: getattr(c, f) for f in _FIXED_FIELDS if getattr(c, f) is not None}
        out[c.document_id] = prior.model_copy(update={**kept, "by": c.by, "at": c.at})
    return out


def changed_fields(c: DocumentCorrection) -> list[str]:
    return [f for f in _FIXED_FIELDS if getattr(c, f) is not None]


def apply_correction(doc: Document, fix: DocumentCorrection) -> Document:
    """`doc` as the coordinator corrected it (a confirmed type is no longer a guess)."""
    update: dict[str, object] = {}
    if fix.doc_type is not None:
        update.update(doc_type=fix.doc_type, needs_review=False, confidence=1.0)
    if fix.document_date is not None:
        update.update(document_date=fix.document_date, date_ambiguous=False)
    if fix.patient is not None:
        update["patient"] = fix.patient
    return doc.model_copy(update=update) if update else doc
