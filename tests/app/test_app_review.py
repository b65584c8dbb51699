"""Coordinator review through the real app (AppTest): corrections, waivers, re-evaluation,
persistence across a fresh store and re-processing; and a patient upload to checklist."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from app_helpers import COORD, app, sign_in, texts
from streamlit.testing.v1 import AppTest

from checklists.report import Status
from intake.access.audit import AuditLog
from intake.access.auth import Action, CaseLinks, Principal, Role
from intake.casework.service import Backend
from intake.store import FileStatus, Store
from intake.store.db import session_factory

FORMATS = Path(__file__).resolve().parents[2] / "sample_docs" / "formats"
LAB = "text_lab_results_si_units.pdf"  # David Whitfield, labs of 2026-11-15 incl. serology
NOTE = "text_clinic_note_two_pages.pdf"  # another person's clinic note (ECOG 2)
AS_OF = dt.date(2026, 11, 20)


def _backend(home: Path) -> Backend:
    """A fresh backend on the same files: what a restarted app would see."""
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    return Backend(Store(), AuditLog(sessions), CaseLinks(sessions))


def _wait_read(store: Store, case_id: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = store.files(case_id)
        if files and all(f.status in (FileStatus.DONE, FileStatus.ERROR) for f in files):
            return
        time.sleep(0.3)
    raise AssertionError("files were not read in time")


def _case(home: Path) -> str:
    be = _backend(home)
    coord = Principal(COORD[0], Role.COORDINATOR)
    case, _ = be.start_case("cart-lbcl", coord)
    be.store.update_case(
        case.id,
        name="Whitfield review",
        as_of=AS_OF,
        patient={"name": "David Whitfield", "dob": "1968-05-30"},
    )
    for name in (LAB, NOTE):
        be.upload(coord, case.id, name, (FORMATS / name).read_bytes())
    _wait_read(be.store, case.id)
    return case.id


def _open_case(at: AppTest) -> AppTest:
    assert [t.value for t in at.title] == ["Cases"]
    at.button(key="rr_open").click().run()
    assert not at.exception, at.exception
    assert "All cases" in [p.label for p in at.get("page_link")]
    # AppTest reruns its own current page, not the one st.switch_page moved to: pin it
    # (the query parameter naming the case stays as the app set it).
    at.switch_page("views/case.py")
    return at


def _status(home: Path, case_id: str, req: str) -> Status:
    report = _backend(home).report(Principal("x", Role.COORDINATOR), case_id)
    assert report is not None
    return report.item(req).status


def test_corrections_and_waivers_reevaluate_and_persist(home: Path, accounts) -> None:
    case_id = _case(home)
    assert _status(home, case_id, "cbc") is Status.MET
    assert (
        _status(home, case_id, "performance_status") is Status.MISSING
    )  # the note is someone else's
    assert _status(home, case_id, "pathology") is Status.MISSING

    at = _open_case(sign_in(app(), *COORD))
    assert at.title[0].value == "David Whitfield · Whitfield review"
    assert "belongs to a different patient" in texts(at)
    # Documents tab: each document with its page image (with alternative text) and its
    # extracted text as selectable text, not a disabled box.
    images = [h.proto.body for h in at.get("html") if "<img" in h.proto.body]
    assert len(images) >= 2 and all('alt="Page ' in b for b in images)
    assert any('class="rr-text"' in m.value and "Whitfield" in m.value.title() for m in at.markdown)

    # 1. The clinic note is this patient's after all: its ECOG 2 now counts (and is out of range).
    same = [b for b in at.button if b.label.startswith("It is this patient")]
    assert len(same) == 1
    same[0].click().run()
    assert _status(home, case_id, "performance_status") is Status.OUT_OF_RANGE
    assert "belongs to a different patient" not in texts(at)

    # 2. Waive the pathology report with a reason.
    at.text_input(key="rr_wr_pathology").input("Reviewed at tumour board; slides on file").run()
    at.button(key="rr_w_pathology").click().run()
    assert not at.exception
    assert _status(home, case_id, "pathology") is Status.WAIVED
    assert "slides on file" in texts(at)

    # 3. Correct the lab report's date: six weeks older makes the blood counts too old.
    report = _backend(home).report(Principal("x", Role.COORDINATOR), case_id)
    n = next(i for i, d in enumerate(report.documents) if d.file == LAB)
    at.date_input(key=f"rr_fd_{n}").set_value(dt.date(2026, 10, 1))
    next(
        b for b in at.button if b.label == "Save correction" and b.form_id == f"rr_fix_{n}"
    ).click().run()
    assert not at.exception
    assert _status(home, case_id, "cbc") is Status.STALE
    assert "Too old" in texts(at)
    # Saving the same form again changes nothing: no empty correction undoes the first.
    notes = len(Store().notes(case_id))
    next(
        b for b in at.button if b.label == "Save correction" and b.form_id == f"rr_fix_{n}"
    ).click().run()
    assert not at.exception
    assert "Nothing was changed" in texts(at)
    assert len(Store().notes(case_id)) == notes
    assert _status(home, case_id, "cbc") is Status.STALE

    # Re-processing (the bytes read again) keeps every correction and waiver.
    store = Store()
    for f in store.files(case_id):
        at.button(key=f"rr_reread_{f.id}").click().run()
    _wait_read(store, case_id)
    assert len(_backend(home).audit.entries(case_id=case_id, actions=[Action.UPLOADED])) == 4
    assert _status(home, case_id, "cbc") is Status.STALE
    assert _status(home, case_id, "pathology") is Status.WAIVED
    assert _status(home, case_id, "performance_status") is Status.OUT_OF_RANGE

    log = _backend(home).audit
    acts = [(e.actor, e.action) for e in log.entries(case_id=case_id)]
    assert (COORD[0], Action.CORRECTED.value) in acts and (COORD[0], Action.WAIVED.value) in acts
    notes = Store().notes(case_id)
    assert {n.author for n in notes} == {COORD[0]} and all(n.created_at for n in notes)


def test_withdrawn_waiver_restores_the_gap(home: Path, accounts) -> None:
    case_id = _case(home)
    at = _open_case(sign_in(app(), *COORD))
    # Share & download: the report in each format, the FHIR R4 Bundle beside the others
    links = " ".join(el.proto.body for el in at.get("html"))
    assert all(
        f">{label}</a>" in links for label in ("Report (HTML)", "Report (JSON)", "FHIR R4 Bundle")
    )
    at.text_input(key="rr_wr_referral").input("Self-referred").run()
    at.button(key="rr_w_referral").click().run()
    assert _status(home, case_id, "referral") is Status.WAIVED
    at.button(key="rr_uw_referral").click().run()
    assert _status(home, case_id, "referral") is Status.MISSING


def test_patient_uploads_and_reads_checklist(home: Path) -> None:
    at = app()
    at.run()
    at.radio(key="rr_program").set_value("cart-lbcl").run()
    at.button[0].click().run()
    # Start makes no case: the first upload does, with its link.
    assert "case" not in at.query_params and not Store().cases()
    at.file_uploader[0].set_value([(LAB, (FORMATS / LAB).read_bytes(), "application/pdf")])
    at.run()
    assert "case" in at.query_params and len(Store().cases()) == 1
    deadline = time.monotonic() + 120
    while "Still reading" in texts(at) or "still needed" not in texts(at):
        assert time.monotonic() < deadline, texts(at)[-500:]
        time.sleep(0.5)
        at.run()
    body = texts(at)
    assert not at.exception
    assert "Pathology report" in body and "Still needed" in body
    assert "Ready-to-send requests" in body
    # The lab names its hospital: the CBC request is not needed, but requests name an addressee.
    letters = " ".join(h.proto.body for h in at.get("html"))  # letters carry a copy button
    assert "Medical Records Department" in letters
    assert any(e.label.startswith("Request:") for e in at.expander)


def test_a_later_correction_keeps_what_an_earlier_one_set() -> None:
    from checklists.corrections import DocumentCorrection, merged_corrections
    from extractors.vocabulary import DocType

    at = dt.datetime(2026, 11, 20, 9, 0)
    first = DocumentCorrection(
        document_id="abc:1-1", doc_type=DocType.LAB_RESULTS, by="casey", at=at
    )
    later = DocumentCorrection(
        document_id="abc:1-1",
        document_date=dt.date(2026, 10, 1),
        by="ada",
        at=at + dt.timedelta(hours=1),
    )
    got = merged_corrections([first, later])["abc:1-1"]
    assert got.doc_type is DocType.LAB_RESULTS and got.document_date == dt.date(2026, 10, 1)
    assert got.by == "ada"
