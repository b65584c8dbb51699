"""Staff sessions that survive a reload and a new tab: the session table in a real SQLite
store, the cookie routes served by Starlette (the same routes `recordready app` mounts),
and the real app through AppTest. The browser side (cookie flags, reload, a second tab,
sign-out in every tab) is tests/app/test_e2e_browser.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_helpers import COORD, app, sign_in
from starlette.applications import Starlette
from starlette.testclient import TestClient

from intake.access.staff_sessions import StaffSession, StaffSessions
from intake.store.db import session_factory
from ui.app import session_routes


def _db(home: Path):  # noqa: ANN202
    return session_factory(f"sqlite:///{home / 'recordready.db'}")


def _client() -> TestClient:
    return TestClient(Starlette(routes=session_routes.routes()), follow_redirects=False)


def test_code_is_spent_once_and_only_hashes_are_stored(home: Path) -> None:
    sessions = StaffSessions(_db(home))
    opened = sessions.open("casey")
    token = sessions.claim(opened.handoff)
    assert token and sessions.claim(opened.handoff) is None
    assert sessions.by_token(token) == (opened.session_id, "casey")
    assert sessions.by_id(opened.session_id) == "casey"
    stored = b"".join(p.read_bytes() for p in home.glob("recordready.db*"))
    assert token.encode() not in stored and opened.handoff.encode() not in stored
    assert sessions.by_token("x" * 43) is None and sessions.by_token(None) is None


def test_late_code_idle_expired_and_revoked_sessions_open_nothing(home: Path) -> None:
    db = _db(home)
    sessions = StaffSessions(db)
    late, idle, old, ended = (sessions.open("casey") for _ in range(4))
    tokens = {o.session_id: sessions.claim(o.handoff) for o in (idle, old, ended)}
    with db.begin() as s:
        s.get(StaffSession, late.session_id).handoff_expires_at -= dt.timedelta(seconds=61)
        s.get(StaffSession, idle.session_id).last_seen_at -= dt.timedelta(minutes=31)
        s.get(StaffSession, old.session_id).expires_at = dt.datetime(2020, 1, 1)
    assert sessions.claim(late.handoff) is None
    assert sessions.revoke(ended.session_id)
    for o in (idle, old, ended):
        assert sessions.by_token(tokens[o.session_id]) is None
        assert sessions.by_id(o.session_id) is None
    fresh = sessions.open("casey")
    assert sessions.revoke_user("casey") == 4  # every row not revoked yet, live or not
    assert sessions.claim(fresh.handoff) is None


def test_claim_sets_an_httponly_strict_cookie_and_end_revokes_it(home: Path) -> None:
    sessions = session_routes.staff_sessions()
    opened = sessions.open("casey")
    client = _client()
    r = client.get(
        session_routes.CLAIM_PATH, params={"code": opened.handoff, "next": "/case?id=abc"}
    )
    assert r.status_code == 303 and r.headers["location"] == "/case?id=abc"
    cookie = r.headers["set-cookie"]
    assert cookie.startswith("rr_staff=") and "HttpOnly" in cookie
    assert "SameSite=strict" in cookie and "Path=/" in cookie and "Max-Age=43200" in cookie
    token = r.cookies["rr_staff"]
    assert sessions.by_token(token) == (opened.session_id, "casey")
    # A spent code sets nothing; it is sent to the sign-in page.
    again = client.get(session_routes.CLAIM_PATH, params={"code": opened.handoff})
    assert again.headers["location"] == "/signin" and "set-cookie" not in again.headers
    client.cookies.set("rr_staff", token)
    r = client.get(session_routes.END_PATH)
    assert r.headers["location"] == "/signin" and 'rr_staff=""' in r.headers["set-cookie"]
    assert sessions.by_token(token) is None


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/case", "/\\evil", "/_stcore/x", None]
)
def test_claim_goes_only_to_our_own_staff_pages(home: Path, target: str | None) -> None:
    opened = session_routes.staff_sessions().open("casey")
    params = {"code": opened.handoff} | ({"next": target} if target else {})
    r = _client().get(session_routes.CLAIM_PATH, params=params)
    assert r.headers["location"] == "/"


def test_https_deployment_marks_the_cookie_secure(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECORDREADY_PUBLIC_URL", "https://records.example.org")
    opened = session_routes.staff_sessions().open("casey")
    r = _client().get(session_routes.CLAIM_PATH, params={"code": opened.handoff})
    assert "Secure" in r.headers["set-cookie"]


def test_sign_in_opens_a_session_and_hands_the_browser_its_code(home: Path, accounts) -> None:
    at = sign_in(app(), *COORD)
    assert [t.value for t in at.title] == ["Cases"]
    sid = at.session_state["rr_staff_session"]
    assert StaffSessions(_db(home)).by_id(sid) == COORD[0]
    # The page sends the browser to the cookie route with a code that route accepts.
    handoff = [h.proto.body for h in at.get("html") if session_routes.CLAIM_PATH in h.proto.body]
    assert len(handoff) == 1
    code = handoff[0].split("code=", 1)[1].split("&", 1)[0]
    assert StaffSessions(_db(home)).claim(code)
    at.run()
    assert not [h for h in at.get("html") if session_routes.CLAIM_PATH in h.proto.body]


def test_sign_out_ends_the_session_for_every_tab(home: Path, accounts) -> None:
    at = sign_in(app(), *COORD)
    sid = at.session_state["rr_staff_session"]
    at.switch_page("views/signout.py").run()
    assert "Cases" not in [t.value for t in at.title]
    assert StaffSessions(_db(home)).by_id(sid) is None


def test_a_session_ended_elsewhere_signs_this_tab_out(home: Path, accounts) -> None:
    at = sign_in(app(), *COORD)
    assert [t.value for t in at.title] == ["Cases"]
    # Another tab's sign-out (or an account removal) revokes the row this tab uses.
    StaffSessions(_db(home)).revoke(at.session_state["rr_staff_session"])
    at.run()
    assert "Cases" not in [t.value for t in at.title]
    assert "rr_staff" not in at.session_state
