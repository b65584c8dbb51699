"""Ready-to-send records requests for each missing, outdated or unreadable record.

Each request is addressed to the institution that holds the record when an uploaded
document of a related type names one (its letterhead), names the record and the dates
wanted, and says why it is needed.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from checklists.imaging import when
from checklists.patient_words import (
    DEFAULT_LANGUAGE,
    PatientWords,
    letter_language,
    patient_words,
)
from checklists.report import Item, ProblemKind, Report, Status
from extractors.dicom_studies import study_words
from extractors.vocabulary import DocType, Document, ImagingStudy

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
    language: str = DEFAULT_LANGUAGE  # what it is written in (the office's language)


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


def _dates(item: Item, as_of: dt.date, w: PatientWords) -> str:
    if item.max_age_days is None:
        return w.write("any_date")
    since = as_of - dt.timedelta(days=item.max_age_days)
    return w.write(
        "dated_since",
        since=w.long_date(since),
        days=item.max_age_days,
        as_of=w.long_date(as_of),
    )


def _kinds(item: Item, w: PatientWords) -> str:
    names = [w.doc_type(t) for t in item.accepts]
    if w.language == DEFAULT_LANGUAGE:
        # One phrase in a sentence: "pathology report or molecular / genetic test report".
        names = [n[:1].lower() + n[1:] for n in names]
    return w.write("kinds_or").join(names)


def _note(item: Item, w: PatientWords) -> str:
    if item.status is Status.STALE:
        if item.document_date:
            return w.write("note_stale", date=item.document_date.isoformat())
        return w.write("note_stale_undated")
    if item.status is Status.MISSING and item.evidence:
        # The patient sent it, but it lacks a value: the office is asked for the full report.
        if item.document_date:
            return w.write("note_incomplete", date=item.document_date.isoformat())
        return w.write("note_incomplete_undated")
    return w.write("note_missing" if item.status is Status.MISSING else "note_unclear")


def records_requests(report: Report, language: str = DEFAULT_LANGUAGE) -> list[RecordsRequest]:
    """One letter per record to ask for, each in the language of the office it goes to.

    An office named in Chinese (or in a Chinese city) gets Chinese; one we know nothing
    about gets `language`, the patient's, since the patient passes it on.
    """
    own = [d for d in report.documents if d.id not in set(report.other_patient_documents)]
    out: list[RecordsRequest] = []
    for item in report.items:
        if item.status not in _REQUESTED:
            continue
        if item.status == Status.NEEDS_REVIEW and item.review_reason != "unreadable":
            continue  # a person checks the copy on file; nothing to ask the holder for
        institution = _holder(item, own)
        lang = letter_language(institution, language)
        out.append(_letter(report, item, institution, patient_words(lang)))
    # Imaging offices are written to in English for now (their letter is not in the words).
    who, ids = _who(report, patient_words(DEFAULT_LANGUAGE))
    for problem in report.problems:
        if problem.kind == ProblemKind.REPORT_NEEDED and problem.study is not None:
            out.append(_study_request(report, problem.study, who, ids))
    return out


def _who(report: Report, w: PatientWords) -> tuple[str, str]:
    """The patient's name (or "the patient") and identifiers, as a letter names them."""
    p = report.patient
    ids = w.write("list_and").join(
        x
        for x in (
            w.write("dob", dob=p.dob.isoformat()) if p.dob else "",
            w.write("mrn", mrn=p.mrn) if p.mrn else "",
        )
        if x
    )
    return p.name or w.write("the_patient"), ids


def _sender(report: Report, w: PatientWords) -> list[str]:
    """The return address: the care team's contact (a site setting), else a line to fill in."""
    if not report.care_team_contact:
        return [w.write("from_blank"), ""]
    first, *rest = report.care_team_contact
    return [w.write("from", sender=first), *(f"      {line}" for line in rest), ""]


def _authorisation(w: PatientWords) -> list[str]:
    """Records offices release records on the patient's signed authorisation."""
    return ["", w.write("authorise"), "", w.write("signature"), w.write("printed_name")]


def _letter(report: Report, item: Item, institution: str | None, w: PatientWords) -> RecordsRequest:
    who, ids = _who(report, w)
    record = w.program_text(item.title)
    program = w.program_text(report.program.title)
    dates = _dates(item, report.as_of, w)
    reason = w.write("reason" if item.required else "reason_helpful", program=program)
    text = "\n".join(
        [
            *_sender(report, w),
            w.write("to", institution=institution) if institution else w.write("to_unknown"),
            w.write("date", date=w.long_date(report.as_of)),
            w.write("re_ids", who=who, ids=ids) if ids else w.write("re", who=who),
            "",
            w.write("please_send"),
            f"  {record}",
            w.write("kind", kinds=_kinds(item, w)),
            w.write("dates_wanted", dates=dates),
            "",
            _note(item, w),
            reason,
            "",
            w.write("send_to_contact") if report.care_team_contact else w.write("send_to"),
            w.write("thanks"),
            *_authorisation(w),
        ]
    )
    return RecordsRequest(
        requirement_id=item.id,
        record=record,
        institution=institution,
        dates_wanted=dates,
        reason=reason,
        subject=w.write("subject", record=record, who=who),
        text=text,
        language=w.language,
    )


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
    en = patient_words(DEFAULT_LANGUAGE)
    text = "\n".join(
        [
            *_sender(report, en),
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
            en.write("send_to_contact") if report.care_team_contact else en.write("send_to"),
            "Thank you.",
            *_authorisation(en),
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
