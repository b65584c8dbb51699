"""Ready-to-send records requests for each missing, outdated or unreadable record.

Each request is addressed to the institution that holds the record when an uploaded
document of a related type names one (its letterhead), names the record and the dates
wanted, and says why it is needed.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from checklists.imaging import when
from checklists.report import Item, ProblemKind, Report, Status
from extractors.dicom_studies import study_words
from extractors.vocabulary import DOC_TYPE_LABELS, DocType, Document, ImagingStudy

_REQUESTED = (Status.MISSING, Status.STALE, Status.NEEDS_REVIEW)
# Who else tends to hold a record when no document of its own type names an institution:
# the treating team's letters and notes come from the place that ordered the tests.
_RELATED: dict[DocType, tuple[DocType, ...]] = {
    DocType.PATHOLOGY_REPORT: (DocType.MOLECULAR_REPORT,),
    DocType.MOLECULAR_REPORT: (DocType.PATHOLOGY_REPORT,),
    DocType.TREATMENT_SUMMARY: (
        DocType.CLINIC_NOTE,
        DocType.REFERRAL_LETTER,
        DocType.DISCHARGE_SUMMARY,
    ),
    DocType.CLINIC_NOTE: (DocType.REFERRAL_LETTER, DocType.TREATMENT_SUMMARY),
    DocType.MEDICATION_LIST: (DocType.CLINIC_NOTE, DocType.DISCHARGE_SUMMARY),
}


class RecordsRequest(BaseModel):
    requirement_id: str
    record: str  # what is asked for, in words
    institution: str | None  # None: not known from the uploads
    dates_wanted: str
    reason: str
    subject: str
    text: str  # the whole letter, ready to send
    # The imaging study whose report is asked for (images that came without it), else None.
    study: ImagingStudy | None = None


def _holder(item: Item, docs: list[Document]) -> str | None:
    accepts = set(item.accepts)
    related = {r for t in item.accepts for r in _RELATED.get(t, ())}
    for pool in (accepts, related):
        found = sorted(
            (d for d in docs if d.doc_type in pool and d.institution),
            key=lambda d: d.document_date or dt.date.min,
            reverse=True,
        )
        if found:
            return found[0].institution
    return None


def _dates(item: Item, as_of: dt.date) -> str:
    if item.max_age_days is None:
        return "the most recent report (any date)"
    since = as_of - dt.timedelta(days=item.max_age_days)
    return f"dated on or after {since:%B} {since.day}, {since.year} (within {item.max_age_days} days of {as_of:%B} {as_of.day}, {as_of.year})"


def _kinds(item: Item) -> str:
    return " or ".join(
        DOC_TYPE_LABELS[t][:1].lower() + DOC_TYPE_LABELS[t][1:] for t in item.accepts
    )


def records_requests(report: Report) -> list[RecordsRequest]:
    own = [d for d in report.documents if d.id not in set(report.other_patient_documents)]
    out: list[RecordsRequest] = []
    p = report.patient
    who = p.name or "the patient"
    ids = ", ".join(
        x
        for x in (
            f"date of birth {p.dob.isoformat()}" if p.dob else "",
            f"MRN {p.mrn}" if p.mrn else "",
        )
        if x
    )
    for item in report.items:
        if item.status not in _REQUESTED:
            continue
        if item.status == Status.NEEDS_REVIEW and item.review_reason != "unreadable":
            continue  # a person checks the copy on file; nothing to ask the holder for
        institution = _holder(item, own)
        dates = _dates(item, report.as_of)
        reason = (
            f"It is needed for an eligibility review for {report.program.title}"
            f"{'' if item.required else ' (helpful, not required)'}."
        )
        note = {
            Status.MISSING: "We do not have this record.",
            Status.STALE: (
                f"The copy we have is dated {item.document_date.isoformat()}, which is too old for "
                "this review; a newer one is needed."
            )
            if item.document_date
            else "The copy we have is too old for this review; a newer one is needed.",
            Status.NEEDS_REVIEW: "The copy we have cannot be read clearly; please send a clear copy.",
        }[item.status]
        to = (
            f"Medical Records Department, {institution}"
            if institution
            else "Medical Records Department (the hospital, clinic or lab that did this test)"
        )
        subject = f"Records request: {item.title} for {who}"
        text = "\n".join(
            [
                f"To: {to}",
                f"Date: {report.as_of:%B} {report.as_of.day}, {report.as_of.year}",
                f"Re: {who}" + (f" ({ids})" if ids else ""),
                "",
                "Please send a copy of the following record:",
                f"  {item.title}",
                f"  Kind of record: {_kinds(item)}",
                f"  Dates wanted: {dates}",
                "",
                note,
                reason,
                "",
                "Please send it to the patient, or to the care coordinator who asked for it.",
                "Thank you.",
            ]
        )
        out.append(
            RecordsRequest(
                requirement_id=item.id,
                record=item.title,
                institution=institution,
                dates_wanted=dates,
                reason=reason,
                subject=subject,
                text=text,
            )
        )
    for problem in report.problems:
        if problem.kind == ProblemKind.REPORT_NEEDED and problem.study is not None:
            out.append(_study_request(report, problem.study, who, ids))
    return out


def _study_request(report: Report, study: ImagingStudy, who: str, ids: str) -> RecordsRequest:
    """The written report of one imaging study whose images came without it."""
    imaging = [
        i for i in report.items if DocType.IMAGING_REPORT in i.accepts and i.status in _REQUESTED
    ]
    record = f"Written report of the {study_words(study)} study of {when(study)}"
    to = (
        f"Medical Records Department, {study.institution}"
        if study.institution
        else ("Imaging / Radiology Department (the place that did this scan)")
    )
    details = [
        f"  Study: {study.description}" if study.description else "",
        f"  Study date: {study.date.isoformat()}" if study.date else "",
        f"  Accession number: {study.accession}" if study.accession else "",
    ]
    reason = f"It is needed for an eligibility review for {report.program.title}."
    text = "\n".join(
        [
            f"To: {to}",
            f"Date: {report.as_of:%B} {report.as_of.day}, {report.as_of.year}",
            f"Re: {who}" + (f" ({ids})" if ids else ""),
            "",
            "Please send the written (radiologist's) report of the following imaging study:",
            f"  {record}",
            *(d for d in details if d),
            "",
            "We have the images of this study but not its report.",
            reason,
            "",
            "Please send it to the patient, or to the care coordinator who asked for it.",
            "Thank you.",
        ]
    )
    return RecordsRequest(
        requirement_id=imaging[0].id if imaging else "imaging_report",
        record=record,
        institution=study.institution,
        dates_wanted=f"the report of the study of {study.date.isoformat()}"
        if study.date
        else "the report of this study",
        reason=reason,
        subject=f"Records request: {record} for {who}",
        text=text,
        study=study,
    )
