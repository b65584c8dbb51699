"""The patient is not misled (issue 15), through the real app (AppTest) on real files:
no program is chosen for them, a record they sent is never called missing, a waiver
whose result is still to come is not shown as done, a file the checklist could not
use is not "Read", and sending the same file again says so. In English and Chinese."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from app_helpers import COORD, app, texts
from streamlit.testing.v1 import AppTest

from checklists.patient_words import StatusKey, patient_words
from checklists.report import Status
from checklists.requests import records_requests
from intake.access.audit import AuditLog
from intake.access.auth import CaseLinks, Principal, Role
from intake.casework.service import Backend
from intake.store import FileStatus, Store
from intake.store.db import session_factory
from tests.reading.builders import text_pdf
from tests.understanding.fixtures import TEXTS
from ui.app.theme import esc

COORDINATOR = Principal(COORD[0], Role.COORDINATOR)
# A lab report that names no hepatitis C result: sent, but lacking one value.
LAB_NO_HCV = "\n".join(line for line in TEXTS["lab"][1].splitlines() if "HCV" not in line)


def _backend(home: Path) -> Backend:
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    return Backend(Store(), AuditLog(sessions), CaseLinks(sessions))


def _read_case(home: Path, files: list[tuple[str, bytes]]) -> tuple[str, str]:
    be = _backend(home)
    case, token = be.start_case("cart-lbcl", COORDINATOR)
    for name, data in files:
        be.upload(COORDINATOR, case.id, name, data)
    deadline = time.monotonic() + 120
    while not all(f.status in (FileStatus.DONE, FileStatus.ERROR) for f in be.store.files(case.id)):
        assert time.monotonic() < deadline, "files not read in time"
        time.sleep(0.3)
    return case.id, token


def _patient(token: str, lang: str) -> AppTest:
    at = app()
    at.query_params["case"] = token
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def _card(at: AppTest, title: str) -> str:
    """The HTML of the one card titled `title` (cards are escaped like the page escapes)."""
    title = esc(title)
    cards = [str(m.value) for m in at.markdown if title in str(m.value)]
    assert cards, title
    # Cards are joined into one block per section: take the card that names the title.
    block = next(c for c in cards if "rr-card" in c)
    start = block.rfind('<div class="rr-card', 0, block.index(title))
    return block[start : block.find('<div class="rr-card', block.index(title))]


def test_no_program_is_chosen_for_the_patient_and_start_makes_no_case(home: Path) -> None:
    at = app()
    at.run()
    assert at.radio(key="rr_program").value is None
    assert at.button[0].disabled
    assert "changed later" not in texts(at)
    at.radio(key="rr_program").set_value("cart-mm").run()
    at.button[0].click().run()
    assert "Your records checklist" in [t.value for t in at.title]
    assert not Store().cases() and "case" not in at.query_params
    # The patient can still go back and choose another treatment before sending anything.
    change = [b for b in at.button if b.label == patient_words().say("change_program")]
    change[0].click().run()
    assert at.radio(key="rr_program") is not None and not Store().cases()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_record_sent_without_one_value_is_incomplete_not_missing(home: Path, lang: str) -> None:
    case_id, token = _read_case(home, [("lab.pdf", text_pdf([LAB_NO_HCV.splitlines()]))])
    report = _backend(home).report(COORDINATOR, case_id)
    item = report.item("serology")
    assert item.status is Status.MISSING and item.evidence  # the engine: it lacks a value
    w = patient_words(lang)
    at = _patient(token, lang)
    card = _card(at, w.program_text(item.patient_title))
    assert esc(w.statuses[StatusKey.INCOMPLETE].label) in card
    assert esc(w.statuses[StatusKey.MISSING].label) not in card
    # The letter asks for the complete report; it never says the record is not there.
    letter = next(x for x in records_requests(report, lang) if x.requirement_id == "serology")
    lw = patient_words(letter.language)  # an English lab is written to in English
    assert lw.write("note_missing") not in letter.text
    assert lw.write("note_incomplete", date=item.document_date.isoformat()) in letter.text
    tiles = " ".join(str(m.value) for m in at.markdown if "rr-stat" in str(m.value))
    assert esc(w.say("tile_incomplete")) in tiles


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_waiver_with_the_result_to_follow_is_not_shown_as_done(home: Path, lang: str) -> None:
    case_id, token = _read_case(home, [("lab.pdf", text_pdf([LAB_NO_HCV.splitlines()]))])
    be = _backend(home)
    be.waive(COORDINATOR, case_id, "referral", "result to follow", to_follow=True)
    be.waive(COORDINATOR, case_id, "brain_mri", "not symptomatic")
    w = patient_words(lang)
    at = _patient(token, lang)
    report = be.report(COORDINATOR, case_id)
    follows = _card(at, w.program_text(report.item("referral").patient_title))
    assert esc(w.statuses[StatusKey.TO_FOLLOW].label) in follows
    assert esc(w.statuses[StatusKey.WAIVED].label) not in follows
    headers = [h.value for h in at.header]
    assert w.say("team_will_check") in headers
    # A waiver that means "not needed" still reads as not needed.
    done = _card(at, w.program_text(report.item("brain_mri").patient_title))
    assert esc(w.statuses[StatusKey.WAIVED].label) in done
    # ...and is listed with what we have, apart from the one still to come.
    blocks = [str(m.value) for m in at.markdown if "rr-card" in str(m.value)]
    assert not [b for b in blocks if follows in b and done in b]
    html = be.export(COORDINATOR, case_id, "html", patient_view=True, language=lang)[0]
    assert w.statuses[StatusKey.TO_FOLLOW].next_step in html.decode()


def test_a_file_the_checklist_cannot_use_is_not_read_and_a_resent_file_is_named(
    home: Path,
) -> None:
    blank = text_pdf([[" "]])
    case_id, token = _read_case(home, [("blank.pdf", blank)])
    w = patient_words()
    at = _patient(token, "en")
    rows = [str(m.value) for m in at.markdown if "blank.pdf" in str(m.value)]
    assert rows and all(w.file_states["done"] not in r for r in rows), rows
    # The same file again: the patient is told, and nothing is added twice.
    at.file_uploader[0].set_value([("blank.pdf", blank, "application/pdf")]).run()
    assert any("blank.pdf" in i.value and "already sent" in i.value for i in at.info)
    assert len(Store().files(case_id)) == 1


def test_the_start_button_follows_the_chosen_programs_description(home: Path) -> None:
    at = app()
    at.run()
    descriptions = {p.description.strip() for p in _backend(home).programs.values()}
    assert not [c for c in at.caption if c.value in descriptions]
    at.radio(key="rr_program").set_value("cart-mm").run()
    shown = [c.value for c in at.caption if c.value in descriptions]
    assert shown == [_backend(home).programs["cart-mm"].description.strip()]
    assert not at.button[0].disabled
