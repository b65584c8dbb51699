"""Sign-in and authorization, driven through the real app with AppTest on a real SQLite store."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from app_helpers import ADMIN, COORD, app, page_app, sign_in, texts

from intake.access.audit import AuditLog
from intake.access.auth import Action, CaseLinks
from intake.access.staff_sessions import StaffSession
from intake.store import Store
from intake.store.db import session_factory


def _audit(home: Path) -> AuditLog:
    return AuditLog(session_factory(f"sqlite:///{home / 'recordready.db'}"))


def test_wrong_password_is_refused_and_audited(home: Path, accounts) -> None:
    at = sign_in(app(), COORD[0], "not the password")
    assert not at.exception
    assert "do not match" in texts(at)
    assert "Cases" not in [t.value for t in at.title]
    failed = _audit(home).entries(actions=[Action.SIGN_IN_FAILED])
    assert [e.actor for e in failed] == [COORD[0]]


def test_coordinator_signs_in_to_case_list_but_not_audit(home: Path, accounts) -> None:
    at = sign_in(app(), *COORD)
    assert not at.exception
    assert [t.value for t in at.title] == ["Cases"]
    assert _audit(home).entries(actions=[Action.SIGNED_IN])[0].actor == COORD[0]
    # The audit page is not even registered for coordinators...
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/audit.py")
    # ...and its own code refuses them when run directly.
    page = page_app("audit.py")
    page.session_state["rr_staff"] = COORD[0]
    page.run()
    assert "do not have access" in texts(page)
    assert not page.dataframe


def test_admin_sees_audit_log(home: Path, accounts) -> None:
    at = sign_in(app(), *ADMIN)
    at.switch_page("views/audit.py").run()
    assert not at.exception
    assert "Audit log" in [t.value for t in at.title]
    assert any(Action.SIGNED_IN.value in str(df.value) for df in at.dataframe)


def test_anonymous_and_patients_cannot_open_staff_pages(home: Path, accounts) -> None:
    store = Store()
    case = store.create_case("other case", program="cart-lbcl")
    token = CaseLinks(session_factory(f"sqlite:///{home / 'recordready.db'}")).issue(
        case.id, "test"
    )
    for params in ({}, {"case": token}):
        at = app()
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page("views/cases.py")
        # Even running the staff pages' code directly refuses them and shows no case.
        for name in ("cases.py", "case.py", "audit.py"):
            page = page_app(name)
            for k, v in params.items():
                page.query_params[k] = v
            page.query_params["id"] = case.id
            page.run()
            assert "do not have access" in texts(page), name
            assert "other case" not in texts(page)


def test_patient_link_opens_only_its_case_and_bad_links_are_refused(home: Path, accounts) -> None:
    store = Store()
    mine = store.create_case("mine", program="cart-lbcl")
    links = CaseLinks(session_factory(f"sqlite:///{home / 'recordready.db'}"))
    token = links.issue(mine.id, "test")
    at = app()
    at.query_params["case"] = token
    at.run()
    assert not at.exception
    assert "Your records checklist" in [t.value for t in at.title]

    links.revoke(token)
    at = app()
    at.query_params["case"] = token
    at.run()
    assert "This link does not work any more" in [t.value for t in at.title]
    assert not at.file_uploader  # nothing to upload into
    assert _audit(home).entries(actions=[Action.LINK_REFUSED])


def test_idle_staff_session_signs_out(home: Path, accounts) -> None:
    at = sign_in(app(), *COORD)
    assert [t.value for t in at.title] == ["Cases"]
    # The idle clock is the session's row in the store, shared by every tab of the browser.
    with session_factory(f"sqlite:///{home / 'recordready.db'}").begin() as s:
        row = s.get(StaffSession, at.session_state["rr_staff_session"])
        row.last_seen_at -= dt.timedelta(minutes=31)
    at.run()
    assert "Cases" not in [t.value for t in at.title]
    assert "rr_staff" not in at.session_state


def test_new_case_link_has_the_public_host_and_can_be_made_again(
    home: Path, accounts, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECORDREADY_PUBLIC_URL", "https://records.example.org")
    at = sign_in(app(), *COORD)
    form_button = next(b for b in at.button if b.label == "Create case")
    form_button.click().run()
    assert not at.exception
    links = [c.value for c in at.code]
    assert len(links) == 1 and links[0].startswith("https://records.example.org/patient?case=")
    assert "90 days" in texts(at) and "create a new one" in texts(at)
    token = links[0].split("case=", 1)[1]
    opened = app()
    opened.query_params["case"] = token
    opened.run()
    assert "Your records checklist" in [t.value for t in opened.title]
