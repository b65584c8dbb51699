"""Imaging studies of a case: the list the coordinator sees, and the reports still to ask for.

A disc or a zip of DICOM files says which studies were done, but a program needs the written
report. A study counts as reported when a report of it came with the images (a Structured
Report or an encapsulated PDF of the same study) or when an imaging report of the same date
and modality was uploaded on its own; otherwise the patient is told what was found and the
institution named in the study is asked for that study's report. An uploaded report counts
for a study when it is of the study's modality (or states none) and dated the day of the
scan or within a week after it.
"""

from __future__ import annotations

from collections.abc import Iterable

from checklists.identity import same
from checklists.report import CasePatient, Problem, ProblemKind
from extractors.dicom_studies import merge_studies, study_key, study_words
from extractors.vocabulary import DocType, Document, FileText, ImagingStudy, Patient

# Days after a scan within which an uploaded imaging report is taken to be that scan's.
REPORT_WITHIN_DAYS = 7


def _found(file_results: Iterable[FileText]) -> list[tuple[str, ImagingStudy]]:
    return [
        (ft.file, s)
        for ft in file_results
        for p in ft.pages
        if p.record is not None
        for s in p.record.studies
    ]


def _reported(study: ImagingStudy, documents: list[Document]) -> bool:
    if study.has_report:
        return True
    if study.date is None:
        return False
    for d in documents:
        if d.doc_type != DocType.IMAGING_REPORT or d.document_date is None:
            continue
        # A report is dated the day of the scan or signed within days of it.
        if 0 <= (d.document_date - study.date).days <= REPORT_WITHIN_DAYS and (
            d.fields.modality in (None, study.modality)
        ):
            return True
    return False


def _own(study: ImagingStudy, patient: CasePatient) -> bool:
    case = Patient(name=patient.name, dob=patient.dob, mrn=patient.mrn)
    return same(study.patient, case) is not False


def when(study: ImagingStudy) -> str:
    """'3 October 2026', as the patient's message says it."""
    return f"{study.date.day} {study.date:%B %Y}" if study.date else "an unknown date"


def imaging_studies(
    file_results: list[FileText], documents: list[Document], patient: CasePatient
) -> tuple[list[ImagingStudy], list[Problem]]:
    """The case's studies (the patient's own, merged) and a problem for each without a report."""
    found = [(f, s) for f, s in _found(file_results) if _own(s, patient)]
    studies = [
        s.model_copy(update={"has_report": _reported(s, documents)})
        for s in merge_studies(s for _, s in found)
    ]
    problems = []
    for s in studies:
        if s.has_report:
            continue
        file = next((f for f, x in found if study_key(x) == study_key(s)), found[0][0])
        where = f" at {s.institution}" if s.institution else ""
        problems.append(
            Problem(
                kind=ProblemKind.REPORT_NEEDED,
                file=file,
                detail=f"{file}: images of the {study_words(s)} study of {when(s)}{where} came "
                "without the written report; the report of that study is needed.",
                study=s,
            )
        )
    return studies, problems


STUDY_COLUMNS = ("Date", "Modality", "Body part", "Description", "Institution", "Images", "Report")


def study_row(s: ImagingStudy) -> tuple[str, ...]:
    """One study as the coordinator's table shows it (STUDY_COLUMNS)."""
    return (
        s.date.isoformat() if s.date else "",
        s.modality or "",
        s.body_part or "",
        s.description or "",
        s.institution or "",
        str(s.images),
        "received" if s.has_report else "NEEDED",
    )
