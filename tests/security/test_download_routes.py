"""Staff downloads come from a signed-in route, never from an open /media URL (issue 16
row 12), against a real `streamlit run` on loopback.

The cookie is the one the app's own sign-in hand-off sets (/api/session/claim); a request
without it, with a forged one, after sign-out, or from a coordinator asking for the audit
export is refused, and each download that is served is audited.
"""

from __future__ import annotations

import http.client
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from intake.access.audit import CSV_COLUMNS, AuditLog
from intake.access.auth import Accounts, Action, CaseLinks, Principal, Role
from intake.access.staff_sessions import StaffSessions
from intake.casework.service import Backend
from intake.store import FileStatus, Store
from intake.store.db import session_factory
from tests.security.live_server import live_app

COORD = ("riley", "coordinator pass 7")
ADMIN = ("morgan", "administrator pass 7")
NOTE = (
    b"Oncology clinic note\nPatient: Ines Varga   DOB: 02/03/1961\nVisit date: 10/11/2026\n"
    b"ECOG performance status 1. Two prior lines: R-CHOP, then R-ICE.\n"
)


def _get(base: str, path: str, cookie: str | None = None) -> tuple[int, dict[str, str], bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=60)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def _cookie(base: str, sessions: StaffSessions, user: str) -> str:
    """What a browser holds after signing in: the claim route's HttpOnly cookie."""
    opened = sessions.open(user)
    status, headers, _ = _get(base, f"/api/session/claim?code={opened.handoff}&next=/")
    assert status == 303
    assert "httponly" in headers["set-cookie"].lower()
    return headers["set-cookie"].split(";", 1)[0]


@pytest.fixture()
def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("RECORDREADY_HOME", str(home))
    monkeypatch.delenv("RECORDREADY_DATABASE_URL", raising=False)
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    accounts = Accounts(sessions)
    accounts.add(*COORD, Role.COORDINATOR)
    accounts.add(*ADMIN, Role.ADMIN)
    be = Backend(Store(), AuditLog(sessions), CaseLinks(sessions))
    coord = Principal(COORD[0], Role.COORDINATOR)
    case, _ = be.start_case("cart-lbcl", coord)
    stored = be.upload(coord, case.id, "clinic-note.txt", NOTE)
    deadline = time.monotonic() + 120
    while any(f.status not in (FileStatus.DONE, FileStatus.ERROR) for f in be.store.files(case.id)):
        assert time.monotonic() < deadline, "the note was not read in time"
        time.sleep(0.3)
    with live_app(home, tmp_path / "streamlit.log") as url:
        yield url, StaffSessions(sessions), AuditLog(sessions), case.id, stored


def test_reports_need_the_staff_cookie(served) -> None:
    url, sessions, audit, case_id, _ = served
    path = f"/api/download/report?case={case_id}&format=html"
    assert _get(url, path)[0] == 401
    assert _get(url, path, "rr_staff=forged-token-value")[0] == 401

    cookie = _cookie(url, sessions, COORD[0])
    for fmt, magic in (("html", b"<html"), ("json", b"{"), ("fhir", b"{"), ("pdf", b"%pdf")):
        status, headers, body = _get(
            url, f"/api/download/report?case={case_id}&format={fmt}", cookie
        )
        assert status == 200, fmt
        assert magic in body[:200].lower(), fmt
        assert headers["content-disposition"].startswith("attachment;"), fmt
        assert headers["cache-control"] == "no-store", fmt
    downloads = audit.entries(case_id=case_id, actions=[Action.DOWNLOADED])
    assert len(downloads) == 4 and {e.actor for e in downloads} == {COORD[0]}

    # Signing out ends the cookie: the same request, replayed, is refused.
    assert _get(url, "/api/session/end", cookie)[0] == 303
    assert _get(url, path, cookie)[0] == 401


def test_originals_and_the_audit_export_keep_their_permissions(served) -> None:
    url, sessions, audit, case_id, stored = served
    coord = _cookie(url, sessions, COORD[0])
    status, headers, body = _get(
        url, f"/api/download/original?case={case_id}&file={stored.id}", coord
    )
    assert status == 200 and body == NOTE
    assert "clinic-note.txt" in headers["content-disposition"]
    # A file id of another case, or none, is not served through this case.
    assert _get(url, f"/api/download/original?case=nope&file={stored.id}", coord)[0] == 403
    assert _get(url, f"/api/download/original?case={case_id}&file=x", coord)[0] == 404

    assert _get(url, "/api/download/audit", coord)[0] == 403  # admins only
    assert _get(url, "/api/download/audit")[0] == 401
    admin = _cookie(url, sessions, ADMIN[0])
    status, headers, body = _get(url, f"/api/download/audit?case={case_id}", admin)
    assert status == 200 and headers["content-type"].startswith("text/csv")
    assert body.decode().splitlines()[0] == ",".join(CSV_COLUMNS)
    assert audit.entries(actions=[Action.AUDIT_EXPORTED])
