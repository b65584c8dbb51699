"""Letters a records office can act on, and no internal names on the care team's pages
(issue 15), through the real app (AppTest) on a real lab report read by the pipeline."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from app_helpers import COORD, app, sign_in, texts

from checklists.patient_words import patient_words
from extractors.fields_letterhead import institution_of
from intake.access.audit import AuditLog
from intake.access.auth import CaseLinks, Principal, Role
from intake.casework.service import Backend
from intake.store import FileStatus, Store
from intake.store.db import session_factory
from tests.reading.builders import text_pdf
from tests.understanding.fixtures import TEXTS
from ui.app.theme import esc

CONTACT = "Cell Therapy Program, Northside Cancer Center | 1 Main St, Springfield | +1 555 0100"
# The lab's letterhead line as a records system prints it, stamp and all; no HCV result.
LAB = [
    "Mercy Laboratory Services Printed 10/01/2026 07:58" if i == 0 else line
    for i, line in enumerate(TEXTS["lab"][1].splitlines())
    if "HCV" not in line
]


@pytest.mark.parametrize(
    ("header", "office"),
    [
        ("Riverside Clinic Printed 10/01/2026 07:58", "Riverside Clinic"),
        ("St. Mary's Hospital 10/01/2026 07:58", "St. Mary's Hospital"),
        ("Northside Cancer Center Page 2 of 3", "Northside Cancer Center"),
        ("华东医院病理科 打印时间 2026-10-01 07:58", "华东医院病理科"),
        ("Mercy Laboratory Services", "Mercy Laboratory Services"),
    ],
)
def test_letterhead_keeps_the_office_and_drops_the_print_stamp(header: str, office: str) -> None:
    assert institution_of(header + "\nLABORATORY REPORT") == office


@pytest.fixture()
def saved_as(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names the download buttons save as: Streamlit keeps them with the file in its
    media store, or, for a download made when clicked, with the callable it registers;
    AppTest exposes neither, so note each as it is stored or registered."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    names: list[str] = []
    real = MemoryMediaFileStorage.load_and_get_id
    real_deferred = MediaFileManager.add_deferred

    def noting(self, data, mimetype, kind, filename=None):  # noqa: ANN001, ANN202
        names.append(filename or "")
        return real(self, data, mimetype, kind, filename)

    def noting_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kw):  # noqa: ANN001, ANN003, ANN202
        names.append(file_name or "")
        return real_deferred(self, data_callable, mimetype, coordinates, file_name, **kw)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", noting)
    monkeypatch.setattr(MediaFileManager, "add_deferred", noting_deferred)
    return names


def _case(home: Path) -> tuple[str, str]:
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    be = Backend(Store(), AuditLog(sessions), CaseLinks(sessions))
    case, token = be.start_case("cart-lbcl", None)
    f = be.upload(Principal("patient", Role.PATIENT, case.id), case.id, "lab.pdf", text_pdf([LAB]))
    deadline = time.monotonic() + 120
    while be.store.get_file(f.id).status not in (FileStatus.DONE, FileStatus.ERROR):
        assert time.monotonic() < deadline
        time.sleep(0.3)
    return case.id, token


def test_letters_have_a_clean_recipient_a_return_address_a_signature_and_a_copy_button(
    home: Path, monkeypatch: pytest.MonkeyPatch, saved_as: list[str]
) -> None:
    monkeypatch.setenv("RECORDREADY_CARE_TEAM_CONTACT", CONTACT)
    _, token = _case(home)
    at = app()
    at.query_params["case"] = token
    at.run()
    assert not at.exception, at.exception
    w = patient_words()
    letters = [h.proto.body for h in at.get("html") if "rr-letter" in h.proto.body]
    serology = next(x for x in letters if "Mercy Laboratory Services" in x)
    assert "To: Medical Records Department, Mercy Laboratory Services\n" in serology
    assert "Printed" not in serology and "07:58" not in serology
    assert "From: Cell Therapy Program, Northside Cancer Center" in serology
    assert "1 Main St, Springfield" in serology and "+1 555 0100" in serology
    assert w.write("authorise").split(",")[0] in serology
    assert "Signature of the patient" in serology
    assert f">{w.say('copy_letter')}</button>" in serology
    names = saved_as
    assert "records-request-serology-mercy-laboratory-services.html" in names
    assert "recordready-jane-doe-checklist.html" in names


def test_without_a_contact_the_letter_leaves_the_sender_to_fill_in(home: Path) -> None:
    _, token = _case(home)
    at = app()
    at.query_params["case"] = token
    at.run()
    letters = [h.proto.body for h in at.get("html") if "rr-letter" in h.proto.body]
    assert letters and all("From: ____" in x for x in letters)


def test_the_care_team_page_shows_no_internal_names(home: Path, accounts) -> None:
    case_id, _ = _case(home)
    at = sign_in(app(), *COORD)
    at.button(key="rr_open").click().run()
    at.switch_page("views/case.py").run()
    body = texts(at)
    # Values in words ("ANC (/uL): 1200"), not anc_per_uL = 1200.0, in the cards and the
    # programs' hints alike; no source markers that point to no list.
    assert f"{esc('ANC (/uL)')}: <b>" in body
    for internal in ("anc_per_uL", "anc&#95;per&#95;uL", "= 1200.0", "['", "[S", "&#91;S"):
        assert internal not in body, internal
    # The care team's reports are made when clicked (no media file to look at): the name
    # their buttons are given is the backend's.
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    be = Backend(Store(), AuditLog(sessions), CaseLinks(sessions))
    coordinator = Principal(COORD[0], Role.COORDINATOR)
    names = {be.export(coordinator, case_id, f, patient_view=False)[1] for f in ("html", "fhir")}
    assert names == {
        "recordready-jane-doe-care-team-report.html",
        "recordready-jane-doe-care-team-report.fhir.json",
    }
