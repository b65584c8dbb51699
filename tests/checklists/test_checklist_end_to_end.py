"""`recordready check` on real files: every status and every problem kind, end to end.

The files are real (reportlab PDFs, an image tesseract reads, an encrypted PDF, a truncated
PDF, an empty file, audio bytes) and go through the real reading pipeline.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from checklist_files import build_case, echo, labs, write_pdf
from fhir_roundtrip import assert_bundle_holds_report
from typer.testing import CliRunner

from checklists.corrections import Corrections, Waiver
from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import get_program
from checklists.render import render
from checklists.report import Report
from checklists.requests import records_requests
from extractors.vocabulary import Patient
from intake.pipeline.casecheck import Given, check_case
from intake.pipeline.flow import Naming, read_paths
from ui.cli.main import app

AS_OF = "2026-11-20"


@pytest.fixture(scope="module")
def case_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_case(tmp_path_factory.mktemp("cases") / "hargreave")


@pytest.fixture(scope="module")
def report(case_dir: Path) -> Report:
    result = CliRunner().invoke(
        app,
        ["check", str(case_dir), "--program", "cart-lbcl", "--as-of", AS_OF, "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    data.pop("records_requests")
    return Report.model_validate(data)


def test_every_status_on_real_files(report: Report) -> None:
    statuses = {i.id: i.status.value for i in report.items}
    assert statuses == {
        "pathology": "met",
        "pet_ct": "stale",
        "brain_mri": "needs_review",
        "serology": "met",
        "pregnancy": "met",
        "performance_status": "met",
        "cbc": "met",
        "cmp": "met",
        "cardiac": "out_of_range",
        "treatment_history": "met",
        "medication_list": "missing",
        "referral": "missing",
    }
    assert report.item("pet_ct").detail == (
        "PET-CT whole body report dated 2026-05-02 is 202 days old; this program accepts 42."
    )
    assert report.item("cardiac").evidence[0].file == "echo.pdf"
    assert "41" in report.item("cardiac").detail
    # the text-layer original is the evidence, not its OCR'd re-scan
    assert report.item("cbc").evidence[0].file == "labs.pdf"
    assert not report.ready


def test_every_problem_kind_on_real_files(report: Report) -> None:
    assert sorted((p.kind.value, p.file) for p in report.problems) == [
        ("corrupt", "referral_upload.pdf"),
        ("duplicate", "labs_scan.png"),
        ("duplicate", "pathology (1).pdf"),
        ("empty", "scan0002.pdf"),
        ("encrypted", "outside_records.pdf"),
        ("identity_mismatch", "labs_other_patient.pdf"),
        ("unreadable", "IMG_0412.jpg"),
        ("unsupported", "voicemail.wav"),
    ]
    for p in report.problems:  # no identifiers of either patient in problem details
        assert not any(
            s in p.detail
            for s in ("Hargreave", "HARGREAVE", "Bolton", "BOLTON", "1971", "1949", "NVH-")
        )


def test_other_patients_record_never_counts(report: Report) -> None:
    assert report.patient.source == "inferred" and report.patient.name == "Eleanor Hargreave"
    used = {e.file for i in report.items for e in i.evidence}
    assert "labs_other_patient.pdf" not in used
    other = [d.id for d in report.documents if d.file == "labs_other_patient.pdf"]
    assert other and set(other) <= set(report.other_patient_documents)


def test_renders_from_real_case(report: Report) -> None:
    md = render(report, "md", "patient")
    assert "Ask the hospital or imaging center that did your scan" in md
    todo = md.split("## What to do next")[1].split("## ")[0]
    assert "Brain MRI report" not in todo  # advisory: listed under "Also helpful"
    helpful = md.split("## Also helpful (not required)")[1].split("## ")[0]
    assert (
        "**Brain MRI report**: We could not read this record clearly. Please send a clearer copy"
        in helpful
    )
    assert report.item("brain_mri").review_reason == "unreadable"
    assert {r.requirement_id for r in records_requests(report)} == {
        "pet_ct",
        "brain_mri",
        "medication_list",
        "referral",
    }
    html = render(report, "html", "coordinator")
    assert "labs_other_patient.pdf" in html and "@media print" in html


def test_fhir_bundle_holds_the_whole_report(case_dir: Path, report: Report) -> None:
    """`check --format fhir` on the same files: a valid R4 Bundle with every requirement,
    document, value and records request, the same bytes each time."""
    args = ["check", str(case_dir), "--program", "cart-lbcl", "--as-of", AS_OF, "-f", "fhir"]
    runs = [CliRunner().invoke(app, args) for _ in range(2)]
    assert all(r.exit_code == 0 for r in runs), runs[0].output
    assert runs[0].stdout == runs[1].stdout
    bundle = assert_bundle_holds_report(runs[0].stdout, report)
    refs = {
        e.resource.content[0].attachment.title: e.resource
        for e in bundle.entry or []
        if e.resource.get_resource_type() == "DocumentReference"
    }
    stranger = refs["labs_other_patient.pdf"]
    assert stranger.status == "entered-in-error" and stranger.subject is None
    tasks = {
        t.focus.display: t
        for e in bundle.entry or []
        if (t := e.resource).get_resource_type() == "Task"
    }
    pet = next(d for d in report.documents if d.file == "pet_ct_2026-05-02.pdf")
    assert pet.institution and tasks[report.item("pet_ct").title].owner.display == pet.institution


@pytest.fixture
def small_case(tmp_path: Path) -> Path:
    folder = tmp_path / "small"
    folder.mkdir()
    write_pdf(folder / "echo.pdf", echo(62, "10/28/2026"))
    write_pdf(folder / "labs.pdf", labs())
    (folder / "case.json").write_text(
        json.dumps(
            {
                "program": "til-melanoma",
                "as_of": AS_OF,
                "patient": {"name": "Eleanor Hargreave", "dob": "1971-04-22", "mrn": "NVH-7730215"},
            }
        )
    )
    return folder


def test_case_json_supplies_program_date_and_patient(small_case: Path) -> None:
    report = check_case([small_case])
    assert report.program.id == "til-melanoma" and report.as_of == dt.date(2026, 11, 20)
    assert report.patient.source == "given" and report.patient.mrn == "NVH-7730215"
    assert report.case_id == "small" and report.item("cardiac").status.value == "met"
    # options win over case.json; a given patient who is someone else makes every file a mismatch
    other = check_case(
        [small_case],
        Given(
            program_id="cart-lbcl",
            patient_name="Francis Bolton",
            patient_dob=dt.date(1949, 9, 30),
        ),
    )
    assert other.program.id == "cart-lbcl"
    assert {p.file for p in other.problems if p.kind.value == "identity_mismatch"} == {
        "echo.pdf",
        "labs.pdf",
    }
    assert other.item("cardiac").status.value == "missing"


def test_waiver_from_corrections_file(small_case: Path, tmp_path: Path) -> None:
    fixes = Corrections(
        waivers=[
            Waiver(
                requirement_id="pft",
                reason="PFT not required by site SOP",
                by="coordinator@site",
                at=dt.datetime(2026, 11, 19, 9, 0),
            )
        ]
    )
    path = tmp_path / "fixes.json"
    path.write_text(fixes.model_dump_json())
    result = CliRunner().invoke(
        app, ["check", str(small_case), "--corrections", str(path), "-f", "md"]
    )
    assert result.exit_code == 0, result.output
    assert "| Waived | Lung function test (PFT) (`pft`, required)" in result.stdout
    assert "PFT not required by site SOP (by coordinator@site, 2026-11-19)" in result.stdout


def test_too_large_file_is_a_problem_not_a_crash(small_case: Path) -> None:
    reading = read_paths([small_case], Naming.CASE, workers=1, max_file_bytes=1500)
    texts, docs = reading.file_texts, reading.documents
    program = get_program("til-melanoma")
    info = CaseInfo(
        case_id="small",
        as_of=dt.date(2026, 11, 20),
        patient=Patient(name="Eleanor Hargreave", dob=dt.date(1971, 4, 22)),
    )
    report = evaluate(program, docs, texts, info)
    assert {(p.kind.value, p.file) for p in report.problems} == {
        ("too_large", "echo.pdf"),
        ("too_large", "labs.pdf"),
    }
    assert "1500" not in report.problems[0].detail and report.problems[0].detail.startswith(
        "echo.pdf"
    )


def test_unknown_program_and_bad_options(small_case: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["check", str(small_case), "--program", "nope"])
    assert result.exit_code == 2 and "unknown program 'nope'" in result.stderr
    result = runner.invoke(app, ["check", str(small_case), "--as-of", "20/11/2026"])
    assert result.exit_code != 0 and "YYYY-MM-DD" in result.output


def test_html_output_file(small_case: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    shutil.rmtree(tmp_path / "unused", ignore_errors=True)
    result = CliRunner().invoke(
        app, ["check", str(small_case), "-f", "html", "--view", "patient", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert html.startswith("<!DOCTYPE html>") and "Your records for:" in html


def test_two_reports_of_one_day_are_not_duplicates(tmp_path: Path) -> None:
    folder = tmp_path / "sameday"
    folder.mkdir()
    morning = labs(serology=False)
    write_pdf(folder / "labs_morning.pdf", morning)
    evening = [
        line.replace("5.1      K/uL", "6.3      K/uL")
        .replace("182      K/uL", "141      K/uL")
        .replace("3.2      K/uL", "4.4      K/uL")
        .replace("11.9     g/dL", "10.8     g/dL")
        for line in morning
    ]
    write_pdf(folder / "labs_evening.pdf", evening)
    reading = read_paths([folder], Naming.CASE, workers=1)
    texts, docs = reading.file_texts, reading.documents
    assert len(docs) == 2 and docs[0].document_date == docs[1].document_date
    report = evaluate(
        get_program("cart-lbcl"), docs, texts, CaseInfo(case_id="d", as_of=dt.date(2026, 11, 20))
    )
    assert report.problems == []
