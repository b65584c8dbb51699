"""Renderers (JSON contract, Markdown, self-contained printable HTML) and records requests."""

from __future__ import annotations

import json
import re

from checklist_helpers import AS_OF, OTHER, complete_lbcl, doc

from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import BUILTIN_DIR, get_program
from checklists.render import render
from checklists.report import Report
from checklists.requests import records_requests
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
    assert "190 d old / window 42 d" in md and "lvef_percent=44" in md
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
