"""The app backend on a real store: downloads in four formats (HTML, JSON, FHIR, PDF), authorization on every
case-revealing call, page images and text, and case deletion that keeps the audit facts."""

from __future__ import annotations

import datetime as dt
import json
import time
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from checklists.render import render_download
from checklists.render_pdf import pdf_engine
from intake.access.audit import AuditLog
from intake.access.auth import AccessDenied, Action, CaseLinks, Principal, Role
from intake.casework.previews import page_text
from intake.casework.service import Backend
from intake.store import FileStatus, Store
from intake.store.db import session_factory

FORMATS = Path(__file__).resolve().parents[2] / "sample_docs" / "formats"
LAB = "text_lab_results_si_units.pdf"
COORD = Principal("casey", Role.COORDINATOR)
ADMIN = Principal("ada", Role.ADMIN)


@pytest.fixture()
def be(home: Path) -> Backend:
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    return Backend(Store(), AuditLog(sessions), CaseLinks(sessions))


def _read_case(be: Backend) -> str:
    case, _ = be.start_case("cart-lbcl", COORD)
    be.store.update_case(case.id, as_of=dt.date(2026, 11, 20))
    be.upload(COORD, case.id, LAB, (FORMATS / LAB).read_bytes())
    deadline = time.monotonic() + 120
    while any(f.status not in (FileStatus.DONE, FileStatus.ERROR) for f in be.store.files(case.id)):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    return case.id


def test_exports_page_image_text_and_authorization(be: Backend) -> None:
    case_id = _read_case(be)
    other, _ = be.start_case("cart-lbcl", COORD)
    patient = Principal("patient", Role.PATIENT, case_id)
    stranger = Principal("patient", Role.PATIENT, other.id)

    html, name, mime, _ = be.export(patient, case_id, "html", patient_view=True)
    assert mime == "text/html" and b"<html" in html.lower()
    # Named by the patient and the kind, not all "recordready-report".
    assert name == "recordready-david-whitfield-checklist.html"
    data, _, mime, _ = be.export(COORD, case_id, "json", patient_view=False)
    report = json.loads(data)
    assert mime == "application/json" and report["program"]["id"] == "cart-lbcl"
    assert {i["id"]: i["status"] for i in report["items"]}["cbc"] == "met"
    fhir, name, mime, _ = be.export(COORD, case_id, "fhir", patient_view=False)
    bundle = Bundle.model_validate_json(fhir)
    assert (
        mime == "application/fhir+json"
        and name == "recordready-david-whitfield-care-team-report.fhir.json"
    )
    checklist = next(e.resource for e in bundle.entry if e.resource.get_resource_type() == "List")
    flags = {e.item.identifier.value: e.flag.coding[0].code for e in checklist.entry}
    assert flags["cbc"] == "met"
    pdf, _, mime, engine = be.export(COORD, case_id, "pdf", patient_view=False)
    assert mime == "application/pdf" and pdf.startswith(b"%PDF") and engine
    be.note_download(COORD, case_id, "report.pdf")
    assert be.audit.entries(case_id=case_id, actions=[Action.DOWNLOADED])[0].detail == "report.pdf"

    for call in (
        lambda: be.export(stranger, case_id, "html", patient_view=True),
        lambda: be.report(stranger, case_id),
        lambda: be.files(stranger, case_id),
        lambda: be.waive(patient, case_id, "cbc", "patients cannot waive"),
        lambda: be.case_list(patient),
        lambda: be.delete_case(COORD, case_id),
    ):
        with pytest.raises(AccessDenied):
            call()

    f = be.files(patient, case_id)[0]
    with pytest.raises(AccessDenied):  # a file id from another case is refused
        be.file_bytes(stranger, other.id, f.id)
    png = be.page_image(COORD, case_id, f.id, "", 1)
    assert png is not None and png.startswith(b"\x89PNG")
    text = page_text(be.store, f, "", 1)
    assert text and "Whitfield" in text.title()


def test_admin_deletes_case_files_go_audit_stays(be: Backend) -> None:
    case_id = _read_case(be)
    token = be.issue_link(COORD, case_id)
    be.waive(COORD, case_id, "pathology", "outside review")
    be.delete_case(ADMIN, case_id)
    assert be.store.get_case(case_id) is None and be.store.files(case_id) == []
    assert be.store.notes(case_id) == []
    assert be.links.resolve(token) is None
    actions = [e.action for e in be.audit.entries(case_id=case_id)]
    assert actions.count("deleted") == 2 and "uploaded" in actions and "waived" in actions


def test_pdf_falls_back_to_reportlab_without_chromium(
    be: Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = _read_case(be)
    report = be.report(COORD, case_id)
    assert report is not None
    monkeypatch.setenv("PATH", "/nonexistent")
    assert pdf_engine("/nonexistent/chromium") == "ReportLab"
    got = render_download(report, "pdf", "patient", chromium="/nonexistent/chromium")
    assert got.data.startswith(b"%PDF") and got.engine.startswith("ReportLab")
    assert got.mime == "application/pdf"
