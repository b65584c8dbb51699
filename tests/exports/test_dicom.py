"""Imaging CDs and DICOM files: studies listed, reports read, and a request for a missing report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from pydicom.uid import generate_uid
from typer.testing import CliRunner

from checklists.imaging import imaging_studies
from checklists.report import CasePatient
from checklists.wording import patient_problem
from extractors.documents import find_documents
from extractors.limits import Limits
from extractors.pages import read_item
from extractors.sniff import Kind, sniff
from extractors.sources import expand_bytes
from extractors.vocabulary import DocType, Document, FileText
from tests.exports.dicom_builders import (
    dicom_bytes,
    disc_zip,
    encapsulated_pdf,
    image,
    structured_report,
)
from tests.reading.builders import text_pdf, zip_of
from ui.cli.main import app

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def _read(name: str, data: bytes) -> list[tuple[FileText, list[Document]]]:
    out = []
    for item in expand_bytes(name, data):
        ft = read_item(item)
        out.append((ft, find_documents(ft)))
    return out


def test_a_disc_lists_its_studies_from_its_dicomdir_and_reads_its_report(tmp_path: Path) -> None:
    ct, pet, series = generate_uid(), generate_uid(), generate_uid()
    objects = [image(ct, series_uid=series) for _ in range(3)]
    objects.append(image(pet, "PT", StudyDescription="PET CT WHOLE BODY"))
    objects.append(
        image(pet, "CT", StudyDescription="PET CT WHOLE BODY", BodyPartExamined="WHOLEBODY")
    )
    objects.append(structured_report(pet, "FDG PET-CT skull base to thigh.", "Complete response."))
    results = _read("disc.zip", disc_zip(objects, tmp_path))
    texts = [ft for ft, _ in results]
    # The DICOMDIR indexes the images: one of each series is read (three), and the report.
    assert texts[0].file == "disc.zip/DICOMDIR" and len(texts) == 5
    assert all(ft.status == "ok" for ft in texts)
    (report,) = [d for _, docs in results for d in docs]
    assert report.doc_type == DocType.IMAGING_REPORT and report.fields.modality == "PET-CT"
    studies, problems = imaging_studies(texts, [report], CasePatient(source="inferred"))
    assert [(s.modality, s.body_part, s.images, s.has_report) for s in studies] == [
        ("CT", "chest", 3, False),
        ("PET-CT", "whole body", 2, True),
    ]
    ct_study = studies[0]
    assert ct_study.date == dt.date(2026, 10, 3)
    assert ct_study.description == "CT CHEST WITH CONTRAST"
    assert ct_study.institution == "Lakeside University Hospital"  # from the image read
    (problem,) = problems
    assert problem.kind == "report_needed" and problem.study == ct_study
    words = patient_problem(problem)
    assert "We found your CT chest images of 3 October 2026" in words
    assert "written report" in words


def test_a_disc_with_more_images_than_the_member_limit_still_reads(tmp_path: Path) -> None:
    study, series = generate_uid(), generate_uid()
    data = disc_zip([image(study, series_uid=series) for _ in range(6)], tmp_path)
    items = list(expand_bytes("cd.zip", data, Limits(max_members=3)))
    assert [i.error for i in items] == [None, None]  # the DICOMDIR and one image of the series
    assert items[0].name == "cd.zip/DICOMDIR"


def test_loose_image_files_give_their_study_once(tmp_path: Path) -> None:
    study = generate_uid()
    texts = [ft for i in range(3) for ft, _ in _read(f"IM{i}", dicom_bytes(image(study)))]
    (listed,), problems = imaging_studies(texts, [], CasePatient(source="inferred"))
    assert listed.images == 3 and listed.institution == "Lakeside University Hospital"
    assert len(problems) == 1


def test_a_structured_report_is_read_as_the_imaging_report_of_its_study() -> None:
    study = generate_uid()
    sr = structured_report(
        study, "CT of the chest with contrast. Lungs are clear.", "No evidence of disease."
    )
    ((ft, docs),) = _read("report.dcm", dicom_bytes(sr))
    (doc,) = docs
    assert doc.doc_type == DocType.IMAGING_REPORT and not doc.needs_review
    assert doc.document_date == dt.date(2026, 10, 3)
    assert doc.fields.modality == "CT" and doc.fields.body_region == "chest"
    assert doc.patient.name == "Rosa Delgado-Ibarra" and doc.patient.mrn == "MRN-5530071"
    assert "Impression: No evidence of disease." in ft.pages[0].text
    # With its images, the study counts as reported: nothing to ask for.
    images = _read("ct.dcm", dicom_bytes(image(study)))[0][0]
    studies, problems = imaging_studies([ft, images], docs, CasePatient(source="inferred"))
    assert len(studies) == 1 and studies[0].has_report and problems == []


def test_an_encapsulated_pdf_is_the_reports_own_pages() -> None:
    pdf = text_pdf(
        [["PET/CT REPORT", "FDG PET-CT from skull base to mid-thigh.", "IMPRESSION: Deauville 2."]]
    )
    ((ft, docs),) = _read("pet.dcm", dicom_bytes(encapsulated_pdf(generate_uid(), pdf)))
    (doc,) = docs
    assert doc.doc_type == DocType.IMAGING_REPORT and doc.fields.modality == "PET-CT"
    assert doc.document_date == dt.date(2026, 10, 3)  # the study's date: the PDF states none
    assert doc.institution == "Lakeside University Hospital"
    assert "Deauville 2" in ft.pages[0].text


@pytest.mark.parametrize(
    ("date", "modality", "answers"),
    [
        (dt.date(2026, 10, 3), "CT", True),  # the day of the scan
        (dt.date(2026, 10, 5), None, True),  # signed two days later, modality not stated
        (dt.date(2026, 10, 20), "CT", False),  # another scan's report
        (dt.date(2026, 10, 3), "MRI", False),
    ],
)
def test_an_uploaded_report_of_the_scan_answers_for_its_images(
    date: dt.date, modality: str | None, answers: bool
) -> None:
    (images,) = [ft for ft, _ in _read("ct.dcm", dicom_bytes(image(generate_uid())))]
    report = Document(
        file="ct-report.pdf",
        pages=(1, 1),
        doc_type=DocType.IMAGING_REPORT,
        confidence=0.9,
        needs_review=False,
        document_date=date,
    )
    report.fields.modality = modality
    studies, problems = imaging_studies([images], [report], CasePatient(source="inferred"))
    assert studies[0].has_report is answers and len(problems) == (0 if answers else 1)


def test_another_patients_images_are_not_listed() -> None:
    (images,) = [ft for ft, _ in _read("ct.dcm", dicom_bytes(image(generate_uid())))]
    other = CasePatient(name="Walter Okonkwo", dob=dt.date(1949, 2, 2), mrn="Z-1", source="given")
    assert imaging_studies([images], [], other) == ([], [])


def test_dicom_is_sniffed_by_its_magic_and_damaged_files_are_refused_by_name() -> None:
    data = dicom_bytes(image(generate_uid()))
    assert sniff(data) == Kind.DICOM
    ((ft, docs),) = _read("cut.dcm", data[:200])
    assert ft.status == "error" and ft.error is not None and ft.error.code == "corrupt"
    assert ft.error.message.startswith("cut.dcm: ") and docs == []


def test_check_turns_a_disc_without_its_report_into_a_request(tmp_path: Path) -> None:
    case = tmp_path / "case"
    case.mkdir()
    study = generate_uid()
    (case / "cd.zip").write_bytes(disc_zip([image(study), image(study)], tmp_path))
    (case / "labs.zip").write_bytes(zip_of({"readme.txt": b"Imaging CD from Lakeside.\n" * 4}))
    env = {"RECORDREADY_HOME": str(tmp_path / "home")}
    args = ["check", str(case), "--program", "til-melanoma", "--as-of", "2026-10-20"]
    out = CliRunner().invoke(app, [*args, "--format", "json"], env=env)
    assert out.exit_code in (0, 1), out.output
    report = json.loads(out.stdout)
    (listed,) = report["imaging_studies"]
    assert (listed["modality"], listed["body_part"], listed["date"]) == (
        "CT",
        "chest",
        "2026-10-03",
    )
    (needed,) = [p for p in report["problems"] if p["kind"] == "report_needed"]
    assert needed["study"]["institution"] == "Lakeside University Hospital"
    patient = CliRunner().invoke(app, [*args, "--format", "md", "--view", "patient"], env=env)
    assert "We found your CT chest images of 3 October 2026" in patient.stdout
    coordinator = CliRunner().invoke(app, [*args, "--format", "md"], env=env)
    assert "To: Medical Records Department, Lakeside University Hospital" in coordinator.stdout
    assert "Written report of the CT chest study of 3 October 2026" in coordinator.stdout
    assert "Accession number: ACC-77120" in coordinator.stdout
    assert "## Imaging studies" in coordinator.stdout
    assert "| 2026-10-03 | CT | chest | CT CHEST WITH CONTRAST |" in coordinator.stdout
    html = CliRunner().invoke(app, [*args, "--format", "html"], env=env).stdout
    assert "<h2>Imaging studies</h2>" in html and "<td>NEEDED</td>" in html
