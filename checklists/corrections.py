"""Coordinator corrections: waivers of requirements and fixes to how a document was read.

The app and the case store persist these; `evaluate` applies them. Documents are keyed by
a stable id (`document_id`: the first 12 hex digits of the file's sha256 and the page
range), so a correction still finds its document after the case is read again.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from extractors.vocabulary import DocType, Patient


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
