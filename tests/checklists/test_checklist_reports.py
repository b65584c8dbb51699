"""Renderers (JSON contract, Markdown, self-contained printable HTML) and records requests."""

from __future__ import annotations

import json
import re
import shutil
from html import escape
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from checklist_helpers import AS_OF, OTHER, complete_lbcl, doc

from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import BUILTIN_DIR, get_program
from checklists.patient_words import WORDS_DIR, StatusKey, load_words, patient_words
from checklists.render import render
from checklists.render_letter import letter_html
from checklists.render_pdf import reportlab_pdf
from checklists.report import Problem, ProblemKind, Report, Status
from checklists.requests import records_requests
from checklists.wording import patient_next_step, patient_problem, patient_status
from extractors.vocabulary import Document

# Words a patient should never need to know.
JARGON = re.compile(
    r"\b(LVEF|ECOG|ANC|CrCl|HBsAg|bilirubin_mg_dL|out_of_range|needs_review|stale|lvef_percent|"
    r"modality|evidence|advisory|max_age_days|PET-CT report dated)\b"
)


def _gappy() -> Report:
    docs = [
        d for d in complete_lbcl() if d.file not in ("pet.pdf", "note.pdf", "echo.pdf", "meds.pdf")
    ]
    docs += [
        doc(
            "pet.pdf",
            "imaging_report",
            190,
            modality="PET-CT",
            institution="Northside Imaging Center",
        ),
        doc(
            "echo.pdf",
            "cardiac_function",
            20,
            modality="echo",
            lvef_percent=44,
            institution="Heart Clinic",
        ),
        doc("note.pdf", "clinic_note", 3, confidence=0.4, needs_review=True, ecog=1),
        doc("other.pdf", "clinic_note", 3, OTHER, ecog=0),
    ]
    info = CaseInfo(case_id="case-7", as_of=AS_OF, patient=complete_lbcl()[0].patient)
    return evaluate(get_program("cart-lbcl", [BUILTIN_DIR]), docs, [], info)


def test_json_follows_the_contract() -> None:
    data = json.loads(render(_gappy(), "json", "coordinator"))
    assert {
        "case_id",
        "program",
        "as_of",
        "patient",
        "ready",
        "items",
        "documents",
        "problems",
    } <= set(data)
    assert set(data["program"]) == {"id", "title", "version"}
    assert data["as_of"] == "2026-11-20" and data["ready"] is False
    assert {"name", "dob", "mrn", "source"} <= set(data["patient"]) and data["patient"][
        "source"
    ] == "given"
    for item in data["items"]:
        assert {
            "id",
            "title",
            "status",
            "required",
            "accepts",
            "evidence",
            "detail",
            "patient_message",
        } <= set(item)
        for ev in item["evidence"]:
            assert isinstance(ev["file"], str) and len(ev["pages"]) == 2
    assert all(d["id"] for d in data["documents"])
    assert {(p["kind"], p["file"]) for p in data["problems"]} == {
        ("identity_mismatch", "other.pdf")
    }
    statuses = {i["id"]: i["status"] for i in data["items"]}
    assert statuses["pet_ct"] == "stale" and statuses["cardiac"] == "out_of_range"
    assert (
        statuses["performance_status"] == "needs_review"
        and statuses["medication_list"] == "missing"
    )
    Report.model_validate({k: v for k, v in data.items() if k != "records_requests"})
    patient = json.loads(render(_gappy(), "json", "patient"))
    assert "coordinator_hint" not in patient["items"][0] and "values" not in patient["items"][0]


def test_patient_view_is_plain_and_says_what_to_do() -> None:
    report = _gappy()
    for fmt in ("md", "html"):
        text = render(report, fmt, "patient")
        body = re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", text, flags=re.S))
        body = body.split("Records request letters")[0]
        assert not JARGON.search(body), JARGON.search(body)
        assert "What to do next" in body
        assert "Ask the hospital or imaging center that did your scan" in body
        assert "too old" in body and "Your care team will check it" in body
        assert "another person" in body
        assert (
            "A heart ultrasound (echo)"
            not in body.split("What to do next")[1].split("Your care team will")[0]
        )


def test_coordinator_view_shows_evidence_values_windows() -> None:
    md = render(_gappy(), "md", "coordinator")
    assert "| Too old | PET-CT scan report (`pet_ct`, required) | pet.pdf p.1 |" in md
    # Values in words, never the field names.
    assert "190 d old / window 42 d" in md and "LVEF (%): 44" in md and "lvef_percent" not in md
    assert "identity_mismatch" in md and "OTHER PATIENT" in md


def test_html_is_self_contained_and_printable() -> None:
    for view in ("patient", "coordinator"):
        html = render(_gappy(), "html", view)
        assert (
            html.startswith("<!DOCTYPE html>")
            and "@media print" in html
            and "break-inside: avoid" in html
        )
        assert not re.search(r"(src|href)\s*=\s*['\"]?(https?:|//)", html)
        assert "<script" not in html and "<link" not in html and "@import" not in html


def test_html_escapes_document_values() -> None:
    report = _gappy()
    docs = [
        *report.documents,
        Document.model_validate(
            {
                **report.documents[0].model_dump(),
                "id": "x:1-1",
                "file": "<img src=x onerror=alert(1)>.pdf",
            }
        ),
    ]
    html = render(report.model_copy(update={"documents": docs}), "html", "coordinator")
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_records_requests_name_holder_dates_and_reason() -> None:
    reqs = {r.requirement_id: r for r in records_requests(_gappy())}
    # the low-confidence clinic note is for a person to check, not a request to its holder
    assert set(reqs) == {"pet_ct", "medication_list"}
    pet = reqs["pet_ct"]
    assert pet.institution == "Northside Imaging Center"
    assert "To: Medical Records Department, Northside Imaging Center" in pet.text
    assert "on or after October 9, 2026" in pet.dates_wanted
    assert "Margaret O'Neill" in pet.text and "1961-03-14" in pet.text
    assert "CD19 CAR-T cell therapy for large B-cell lymphoma" in pet.reason
    assert "dated 2026-05-14" in pet.text  # the copy on file is too old
    meds = reqs["medication_list"]
    assert meds.institution is None and "hospital, clinic or lab" in meds.text
    # out-of-range results are for the care team, not a records request
    assert "cardiac" not in reqs


def test_a_new_language_file_is_picked_up_and_falls_back_to_english_per_key(
    tmp_path: Path,
) -> None:
    shutil.copy(WORDS_DIR / "en.yaml", tmp_path / "en.yaml")
    (tmp_path / "es.yaml").write_text(
        "statuses:\n"
        "  stale:\n"
        "    label: Necesitamos una copia más reciente\n"
        "problems:\n"
        "  duplicate:\n"
        '    text: Nos envió "{file}" más de una vez. Está bien; usamos una copia.\n',
        encoding="utf-8",
    )
    es = load_words("es", tmp_path)
    en = load_words("en", tmp_path)
    assert es.language == "es" and load_words("fr", tmp_path).language == "en"
    report = _gappy()
    stale = report.item("pet_ct")
    assert patient_status(stale, es) == "Necesitamos una copia más reciente"
    # keys the file leaves out are said in English, also inside a translated section
    assert patient_next_step(stale, es) == patient_next_step(stale, en)
    assert patient_next_step(stale, en).startswith("The copy you sent is from May 14, 2026")
    assert es.statuses[StatusKey.STALE].next_step == en.statuses[StatusKey.STALE].next_step
    dup = Problem(kind=ProblemKind.DUPLICATE, file="lab.pdf", detail="")
    assert (
        patient_problem(dup, es)
        == 'Nos envió "lab.pdf" más de una vez. Está bien; usamos una copia.'
    )
    other = report.problems[0]
    assert patient_problem(other, es) == patient_problem(other, en)


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("statuses:\n  stale:\n    next_step: Desde {fecha}\n", "unknown placeholder {fecha}"),
        ("statuses:\n  mising:\n    label: Falta\n", "mising"),
        ("problems:\n  empty:\n    txt: Vacío\n", "txt"),
        ("problems:\n  empty:\n    text: 'Vacío {file'\n", "problems.empty.text"),
    ],
)
def test_a_words_file_with_a_typo_fails_at_load(tmp_path: Path, text: str, complaint: str) -> None:
    shutil.copy(WORDS_DIR / "en.yaml", tmp_path / "en.yaml")
    (tmp_path / "es.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(complaint)):
        load_words("es", tmp_path)
    with pytest.raises(ValueError, match="not a language code"):
        load_words("../en", tmp_path)


def test_every_report_renderer_speaks_with_the_words_file() -> None:
    report = _gappy()
    words = patient_words()
    pdf = reportlab_pdf(report, "patient")
    doc = pdfium.PdfDocument(pdf)
    try:
        pdf_text = " ".join(
            p.get_textpage().get_text_range().replace("\r\n", " ").replace("\n", " ") for p in doc
        )
    finally:
        doc.close()
    html = render(report, "html", "patient")
    md = render(report, "md", "patient")
    stale_label = words.statuses[StatusKey.STALE].label
    assert stale_label in html and stale_label in pdf_text
    mismatch = patient_problem(report.problems[0])
    assert mismatch.startswith('The file "other.pdf" seems to be about another person')
    assert mismatch in md and escape(mismatch) in html
    assert "identity_mismatch" not in pdf_text and "out_of_range" not in pdf_text
    assert " ".join(words.summary.team_looks.split()) in " ".join(pdf_text.split())
    # an optional record that is missing is helpful, not "still needed"
    optional = next(i for i in report.items if i.status is Status.MISSING and not i.required)
    assert patient_status(optional) == words.statuses[StatusKey.ADVISORY].label


def test_coordinator_pdf_and_letter_page() -> None:
    report = _gappy()
    pdf = reportlab_pdf(report, "coordinator")
    assert pdf.startswith(b"%PDF")
    req = records_requests(report)[0]
    page = letter_html(req.model_copy(update={"text": "<b>Dear</b> records team"}))
    assert page.startswith("<!doctype html>") and "&lt;b&gt;Dear&lt;/b&gt;" in page
    assert "<b>Dear" not in page
