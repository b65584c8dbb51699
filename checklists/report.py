"""The report model: one case checked against one program. Rendered as JSON/Markdown/HTML.

`recordready check --format json` emits exactly `Report.model_dump(mode="json")` (with the
coordinator-only keys dropped in the patient view). Exported as report.schema.json.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, Field

from extractors.vocabulary import DocType, Document, ImagingStudy


class Status(StrEnum):
    MET = "met"
    MISSING = "missing"
    STALE = "stale"
    OUT_OF_RANGE = "out_of_range"
    NEEDS_REVIEW = "needs_review"
    WAIVED = "waived"
    # The requirement does not apply to this patient (e.g. a pregnancy test for a man).
    NOT_APPLICABLE = "not_applicable"


GAP_STATUSES = (Status.MISSING, Status.STALE, Status.OUT_OF_RANGE, Status.NEEDS_REVIEW)


class ProblemKind(StrEnum):
    IDENTITY_MISMATCH = "identity_mismatch"
    DUPLICATE = "duplicate"
    UNREADABLE = "unreadable"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    TOO_LARGE = "too_large"
    # Imaging study images came without their written report (the program needs the report).
    REPORT_NEEDED = "report_needed"


class ProgramRef(BaseModel):
    id: str
    title: str
    version: str


class CasePatient(BaseModel):
    name: str | None = None
    dob: dt.date | None = None
    mrn: str | None = None
    source: Literal["given", "inferred"]
    sex: Literal["female", "male"] | None = None


class EvidenceRef(BaseModel):
    file: str
    pages: tuple[int, int]
    document_id: str | None = None


class Item(BaseModel):
    id: str
    title: str
    status: Status
    required: bool
    accepts: list[DocType]
    evidence: list[EvidenceRef] = Field(default_factory=list)
    detail: str
    patient_message: str
    patient_title: str = ""
    # Coordinator view: the deciding document's facts.
    coordinator_hint: str = ""
    document_date: dt.date | None = None
    age_days: int | None = None
    max_age_days: int | None = None
    values: dict[str, object] = Field(default_factory=dict)
    confidence: float | None = None
    institution: str | None = None
    waiver: str | None = None  # "reason (by, at)" when waived
    waiver_to_follow: bool = False  # waived because the result is still to come
    # Why a needs_review item needs a person: the copy is unreadable (ask for a clearer one),
    # it was read with low confidence, or its date or kind could not be told (check it).
    review_reason: Literal["unreadable", "low_confidence", "unclear"] | None = None


class Problem(BaseModel):
    kind: ProblemKind
    file: str
    detail: str
    document_id: str | None = None
    study: ImagingStudy | None = None  # the study whose report is needed (report_needed)


class Report(BaseModel):
    case_id: str
    program: ProgramRef
    program_description: str = ""
    as_of: dt.date
    patient: CasePatient
    ready: bool
    items: list[Item]
    documents: list[Document]
    problems: list[Problem]
    # Ids of documents judged (or marked) to be another patient's: never counted.
    other_patient_documents: list[str] = Field(default_factory=list)
    # Imaging studies found on discs or in DICOM files (one entry per study), for the coordinator.
    imaging_studies: list[ImagingStudy] = Field(default_factory=list)
    # Where records offices send what a letter asks for (the site's setting), one line each.
    care_team_contact: list[str] = Field(default_factory=list)

    def gaps(self) -> list[Item]:
        return [i for i in self.items if i.status in GAP_STATUSES]

    def item(self, requirement_id: str) -> Item:
        for it in self.items:
            if it.id == requirement_id:
                return it
        raise KeyError(requirement_id)
