"""The coordinator's case page and the patient's page with hostile names (issue 16 row 4).

Uploads named like Markdown images, links and HTML, and a letterhead that is a Markdown
image: every piece of text the pages give Streamlit (Markdown with and without HTML, titles,
captions, labels of expanders, buttons and tabs) is rendered with a real CommonMark parser
and must hold no image, link or element that the uploader chose.
"""

from __future__ import annotations

import sys
import time
from html.parser import HTMLParser
from pathlib import Path

from app_helpers import COORD, app, sign_in
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from intake.access.audit import AuditLog
from intake.access.auth import CaseLinks, Principal, Role
from intake.casework.service import Backend
from intake.store import FileStatus, Store
from intake.store.db import session_factory

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from batch.inbox_builder import clinic, text_pdf  # noqa: E402

PATIENT = {"name": "Nora Hostile", "dob": "02/03/1970", "mrn": "MRN778899"}
NAMES = [
    "![x](//evil.example/beacon.png).pdf",
    "[open me](javascript:alert(1)).pdf",
    "<img src=//evil.example/i.png>.pdf",
]
LETTERHEAD = "![seen](//evil.example/letterhead.png) Clinic"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("img", "a", "script", "iframe") or any(k in ("href", "src") for k, _ in attrs):
            self.bad.append(tag)


def _bad(markdown: str) -> list[str]:
    parser = _Elements()
    parser.feed(MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(markdown))
    return parser.bad


def _shown(at: AppTest) -> list[str]:
    """Every string the page handed Streamlit to render as Markdown."""
    out = [
        str(e.value) for kind in ("markdown", "title", "caption", "subheader") for e in at.get(kind)
    ]
    out += [
        str(e.label) for kind in ("expander", "button", "tab", "checkbox") for e in at.get(kind)
    ]
    return out


def _case(home: Path) -> tuple[str, str]:
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    be = Backend(Store(), AuditLog(sessions), CaseLinks(sessions))
    coord = Principal(COORD[0], Role.COORDINATOR)
    case, token = be.start_case("cart-lbcl", coord)
    for n, name in enumerate(NAMES):
        page = [LETTERHEAD, *clinic(PATIENT, f"0{n + 1}/05/2026")]
        be.upload(coord, case.id, name, text_pdf([page]))
    deadline = time.monotonic() + 120
    while any(f.status not in (FileStatus.DONE, FileStatus.ERROR) for f in be.store.files(case.id)):
        assert time.monotonic() < deadline, "files were not read in time"
        time.sleep(0.3)
    return case.id, token


def test_hostile_names_are_text_on_every_page(home: Path, accounts) -> None:
    _, token = _case(home)
    at = sign_in(app(), *COORD)
    at.button(key="rr_open").click().run()
    at.switch_page("views/case.py").run()
    assert not at.exception, at.exception
    staff = _shown(at)
    assert any("beacon" in s for s in staff), "the file names are not on the case page"
    patient = app()
    patient.query_params["case"] = token
    patient.run()
    assert not patient.exception, patient.exception
    shown = staff + _shown(patient)
    assert [s for s in shown if _bad(s)] == []
