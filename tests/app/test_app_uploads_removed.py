"""Removing an upload and naming cases (issue 15), through the real app (AppTest) on a
real store: a patient takes out a file sent by mistake (it leaves the checklist, is kept
and audited), the care team sees it and puts it back; the case list and the case page
carry the patient's name read from their documents."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from app_helpers import COORD, app, sign_in, texts

from intake.access.audit import AuditLog
from intake.access.auth import AccessDenied, Action, CaseLinks, Principal, Role
from intake.casework.service import Backend
from intake.store import FileStatus, Store
from intake.store.db import session_factory
from tests.reading.builders import text_pdf
from tests.understanding.fixtures import TEXTS

COORDINATOR = Principal(COORD[0], Role.COORDINATOR)


def _backend(home: Path) -> tuple[Backend, AuditLog]:
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    audit = AuditLog(sessions)
    return Backend(Store(), audit, CaseLinks(sessions)), audit


def _case_with_lab(home: Path) -> tuple[str, str, int]:
    be, _ = _backend(home)
    case, token = be.start_case("cart-lbcl", None)
    patient = Principal("patient", Role.PATIENT, case.id)
    f = be.upload(patient, case.id, "lab.pdf", text_pdf([TEXTS["lab"][1].splitlines()]))
    deadline = time.monotonic() + 120
    while be.store.get_file(f.id).status not in (FileStatus.DONE, FileStatus.ERROR):
        assert time.monotonic() < deadline, "not read in time"
        time.sleep(0.3)
    return case.id, token, f.id


def test_patient_removes_an_upload_and_the_care_team_restores_it(home: Path, accounts) -> None:
    case_id, token, file_id = _case_with_lab(home)
    be, audit = _backend(home)
    assert be.report(COORDINATOR, case_id).item("cbc").evidence
    at = app()
    at.query_params["case"] = token
    at.run()
    at.button(key=f"rr_rm_{file_id}").click().run()
    assert not at.exception, at.exception
    assert any("lab.pdf" in s.value for s in at.success)
    # Out of the checklist, but kept: its row, its bytes and the audit entry.
    assert be.files(COORDINATOR, case_id) == []
    assert be.report(COORDINATOR, case_id).item("cbc").evidence == []
    assert [f.name for f in be.removed_files(COORDINATOR, case_id)] == ["lab.pdf"]
    assert be.store.file_bytes(be.store.get_file(file_id))
    removed = audit.entries(actions=[Action.REMOVED])
    assert [(e.actor, e.file) for e in removed] == [(f"patient-link:{case_id}", "lab.pdf")]

    staff = sign_in(app(), *COORD)
    staff.button(key="rr_open").click().run()
    staff.switch_page("views/case.py").run()
    assert "Removed from the checklist" in texts(staff)
    staff.button(key=f"rr_restore_{file_id}").click().run()
    assert [f.name for f in be.files(COORDINATOR, case_id)] == ["lab.pdf"]
    assert be.report(COORDINATOR, case_id).item("cbc").evidence
    assert [e.actor for e in audit.entries(actions=[Action.RESTORED])] == [COORD[0]]


def test_a_patient_cannot_remove_another_cases_file(home: Path) -> None:
    case_id, _, file_id = _case_with_lab(home)
    be, _ = _backend(home)
    other, _ = be.start_case("cart-lbcl", None)
    intruder = Principal("patient", Role.PATIENT, other.id)
    with pytest.raises(AccessDenied):
        be.set_removed(intruder, other.id, file_id, True)
    with pytest.raises(AccessDenied):  # and patients never restore
        be.set_removed(Principal("patient", Role.PATIENT, case_id), case_id, file_id, False)
    assert be.files(COORDINATOR, case_id)


def test_cases_carry_the_patients_name_from_their_documents(home: Path, accounts) -> None:
    case_id, _, _ = _case_with_lab(home)
    at = sign_in(app(), *COORD)
    table = at.dataframe[0].value
    assert list(table["Patient"]) == ["Jane Doe"]
    at.button(key="rr_open").click().run()
    at.switch_page("views/case.py").run()
    assert at.title[0].value.startswith("Jane Doe · ")
