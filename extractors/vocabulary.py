"""The shared vocabulary of documents: types, page text, facts, evidence.

Defined once here and exported as JSON Schema (`recordready schema`). Every
other layer (checklists, store, UI) speaks these models.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from extractors.errors import FileError


class DocType(StrEnum):
    PATHOLOGY_REPORT = "pathology_report"
    MOLECULAR_REPORT = "molecular_report"
    HLA_TYPING = "hla_typing"
    IMAGING_REPORT = "imaging_report"
    LAB_RESULTS = "lab_results"
    CARDIAC_FUNCTION = "cardiac_function"
    PULMONARY_FUNCTION = "pulmonary_function"
    CLINIC_NOTE = "clinic_note"
    TREATMENT_SUMMARY = "treatment_summary"
    DISCHARGE_SUMMARY = "discharge_summary"
    OPERATIVE_REPORT = "operative_report"
    MEDICATION_LIST = "medication_list"
    REFERRAL_LETTER = "referral_letter"
    ADMINISTRATIVE = "administrative"
    OTHER = "other"


DOC_TYPE_LABELS: dict[DocType, str] = {
    DocType.PATHOLOGY_REPORT: "Pathology report",
    DocType.MOLECULAR_REPORT: "Molecular / genetic test report",
    DocType.HLA_TYPING: "HLA typing report",
    DocType.IMAGING_REPORT: "Imaging report",
    DocType.LAB_RESULTS: "Laboratory results",
    DocType.CARDIAC_FUNCTION: "Heart test (echo, MUGA, ECG)",
    DocType.PULMONARY_FUNCTION: "Lung function test",
    DocType.CLINIC_NOTE: "Clinic note",
    DocType.TREATMENT_SUMMARY: "Treatment summary",
    DocType.DISCHARGE_SUMMARY: "Discharge summary",
    DocType.OPERATIVE_REPORT: "Operative report",
    DocType.MEDICATION_LIST: "Medication list",
    DocType.REFERRAL_LETTER: "Referral letter",
    DocType.ADMINISTRATIVE: "Administrative form",
    DocType.OTHER: "Other document",
}


class PageMethod(StrEnum):
    TEXT_LAYER = "text-layer"
    OCR = "ocr"


class PageText(BaseModel):
    """One page of one file, as text. `number` is 1-based within the file."""

    number: int
    method: PageMethod
    # Degrees clockwise the stored page was turned so that its text reads upright.
    rotation: int = 0
    ocr_confidence: float | None = None
    text: str
    language: str | None = None  # tesseract language used for OCR ("eng", "chi_sim+eng")
    skew_degrees: float | None = None
    # Share (0-1) of the page's text-like ink that lies under words read; below
    # extractors.ocr_ink.REVIEW_BELOW the page is marked for review ("ink_unread").
    ink_accounted: float | None = None
    review_reason: Literal["ink_unread"] | None = None
    # What a structured source states itself (C-CDA, DICOM, a portal zip's index): set on
    # the first page of such a file, so the facts travel with the text to document finding.
    record: CodedRecord | None = None


class FileText(BaseModel):
    """`recordready extract --json` emits one of these per input file or container member."""

    file: str
    status: Literal["ok", "error"]
    error: FileError | None = None
    pages: list[PageText] = Field(default_factory=list)
    sha256: str | None = None


class Patient(BaseModel):
    name: str | None = None
    dob: dt.date | None = None
    mrn: str | None = None


class Fields(BaseModel):
    """Values stated in a document, with units normalised. Absent means not stated."""

    model_config = ConfigDict(extra="forbid")

    sex: Literal["female", "male"] | None = None
    modality: str | None = (
        None  # "PET-CT", "CT", "MRI", "X-ray", "ultrasound", "bone scan", "echo", "MUGA", "ECG"
    )
    body_region: str | None = None  # "brain", "chest", "chest/abdomen/pelvis", "whole body", ...
    lvef_percent: float | None = None
    fev1_percent_predicted: float | None = None
    ecog: int | None = None
    anc_per_uL: float | None = None
    platelets_per_uL: float | None = None
    hemoglobin_g_dL: float | None = None
    creatinine_mg_dL: float | None = None
    crcl_mL_min: float | None = None
    bilirubin_mg_dL: float | None = None
    alt_U_L: float | None = None
    ast_U_L: float | None = None
    hiv: Literal["negative", "positive"] | None = None
    hbsag: Literal["negative", "positive"] | None = None
    hcv_ab: Literal["negative", "positive"] | None = None
    pregnancy: Literal["negative", "positive"] | None = None
    hla_a: list[str] | None = None  # ["A*02:01", "A*24:02"]
    diagnosis: str | None = None
    cd19: Literal["positive", "negative"] | None = None
    bcma: Literal["positive", "negative"] | None = None
    mage_a4: Literal["positive", "negative"] | None = None
    ss18: Literal["positive", "negative"] | None = None  # SS18 (SYT) rearrangement or fusion
    pd_l1: float | None = None  # percent (TPS or CPS as stated)
    prior_lines: int | None = None
    regimens: list[str] | None = None


FIELD_NAMES: tuple[str, ...] = tuple(Fields.model_fields)


class Evidence(BaseModel):
    page: int  # 1-based within the file
    text: str  # the phrase that decided (a title or header, never a whole page)


class DateRole(StrEnum):
    """What a date printed on a document dates, from its label and place on the page."""

    COLLECTION = "collection"  # a specimen collected, drawn, sampled
    PROCEDURE = "procedure"  # a biopsy, surgery or procedure done
    RECEIVED = "received"  # a specimen received or accessioned by the laboratory
    REPORT = "report"  # reported, signed out, verified, issued; a letter's own date
    AMENDMENT = "amendment"  # an amended, corrected, supplementary report or addendum
    VISIT = "visit"  # a visit, encounter, consultation, discharge
    EXAM = "exam"  # an imaging, echo, lung function or other study
    REVIEWED = "reviewed"  # a list last reviewed or updated
    DATED = "dated"  # labelled only "Date"
    ADMISSION = "admission"
    PRINTED = "printed"  # a print stamp or running footer
    FAX_HEADER = "fax_header"  # the transmission line a fax machine prints
    BIRTH = "birth"
    PRIOR_EVENT = "prior_event"  # a diagnosis, an earlier treatment, "since", "previous"
    PLANNED = "planned"  # a next visit, a requested or scheduled date, an expiry
    UNLABELLED = "unlabelled"


class DocumentDate(BaseModel):
    """One date a document prints, with its role."""

    role: DateRole
    date: dt.date
    ambiguous: bool = False  # its day/month order was a guess


class Document(BaseModel):
    """One document found in a file: `recordready classify --json` emits these."""

    id: str | None = None
    file: str
    pages: tuple[int, int]  # first, last; 1-based within the file
    doc_type: DocType
    confidence: float
    needs_review: bool
    # For a specimen-based report (pathology, molecular, HLA, labs) the collection or
    # procedure date when printed (the patient's state the sample shows), else the report's.
    document_date: dt.date | None = None
    date_ambiguous: bool = False
    # Every date the document prints, with its role, in page order (the report date among them).
    dates: list[DocumentDate] = Field(default_factory=list)
    patient: Patient = Field(default_factory=Patient)
    fields: Fields = Field(default_factory=Fields)
    evidence: list[Evidence] = Field(default_factory=list)
    language: str = "en"
    institution: str | None = None  # from the letterhead, for records requests
    sha256: str | None = None  # of the file holding the document
    text_sha256: str | None = None  # of the document's normalised text (duplicate detection)


class ImagingStudy(BaseModel):
    """One imaging study found on a disc or in DICOM files, as the DICOM attributes state it."""

    study_uid: str | None = None
    date: dt.date | None = None
    modality: str | None = None  # the field vocabulary's ("CT", "PET-CT"), else DICOM's code
    body_part: str | None = None  # lower-case, e.g. "chest"
    description: str | None = None
    institution: str | None = None
    accession: str | None = None
    patient: Patient = Field(default_factory=Patient)
    images: int = 0  # image objects of this study seen (or listed, for a DICOMDIR's entry)
    from_index: bool = False  # listed by a DICOMDIR: its count covers the disc's images
    has_report: bool = False  # a structured or encapsulated report of this study was found


class CodedRecord(BaseModel):
    """Facts a structured source states in codes rather than in page text.

    `documents` are complete (a C-CDA's header and entries): document finding takes them,
    reading only what they leave unstated from their pages. `hint` is what a container says
    about a document read from its text (an XDM index entry, the DICOM header around an
    encapsulated PDF): it fills in what the text does not state. `studies` are imaging
    studies, shown to the coordinator and asked for when no report came with them.
    """

    source: Literal["ccda", "dicom", "xdm"]
    documents: list[Document] = Field(default_factory=list)
    hint: Document | None = None
    studies: list[ImagingStudy] = Field(default_factory=list)


PageText.model_rebuild()
FileText.model_rebuild()
