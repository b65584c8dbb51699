"""Optional single sign-on (issue 7): provider identities map only to existing accounts.

No identity provider is reachable here, so the mapping is tested on its own over a
real SQLite accounts table, and the app is driven with AppTest, which can seed
`st.secrets` ([auth]) and `st.user` (the claims Streamlit would have verified).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_helpers import app, texts
from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from intake.access.audit import AuditLog
from intake.access.auth import (
    OIDC_ONLY_HASH,
    Accounts,
    Action,
    AuthError,
    Principal,
    Role,
    UserAccount,
)
from intake.access.oidc import Refusal, map_identity
from intake.store.db import session_factory

SSO_COORD = "Dana.Reyes@Clinic.example"
SSO_BUTTON = "Sign in with your organisation"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-that-is-long-enough",
    "client_id": "recordready",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://idp.clinic.example/.well-known/openid-configuration",
}


def _claims(email: object = SSO_COORD, **extra: object) -> dict[str, Any]:
    return {"is_logged_in": True, "email": email, **extra}


@pytest.fixture()
def acc(tmp_path: Path) -> Accounts:
    return Accounts(session_factory(f"sqlite:///{tmp_path / 'rr.db'}"))


# ---- the mapping: claims -> Principal or Refusal -------------------------------------------


def test_known_email_gets_its_accounts_role_case_insensitively(acc: Accounts) -> None:
    acc.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    acc.add("ann@clinic.example", "a long password", Role.ADMIN)
    assert map_identity(_claims(), acc) == Principal(SSO_COORD, Role.COORDINATOR)
    # Providers do not preserve the case the administrator typed; the stored name is what sessions carry.
    assert map_identity(_claims("  dana.reyes@CLINIC.example "), acc) == Principal(
        SSO_COORD, Role.COORDINATOR
    )
    assert map_identity(_claims("ANN@clinic.example", email_verified=True), acc) == Principal(
        "ann@clinic.example", Role.ADMIN
    )
    # Mapping is read-only: the sign-in time is written by the app once the session opens.
    assert all(u.last_sign_in is None for u in acc.list())


def test_unknown_email_is_refused_and_nothing_is_created(acc: Accounts) -> None:
    acc.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    assert map_identity(_claims("someone.else@clinic.example"), acc) is Refusal.UNKNOWN_ACCOUNT
    # A local part alone, or the same name at another domain, is a different person.
    assert map_identity(_claims("dana.reyes@other.example"), acc) is Refusal.UNKNOWN_ACCOUNT
    assert [u.username for u in acc.list()] == [SSO_COORD]


def test_email_verification_is_required_when_the_provider_states_it(acc: Accounts) -> None:
    acc.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    assert map_identity(_claims(email_verified=False), acc) is Refusal.EMAIL_UNVERIFIED
    assert map_identity(_claims(email_verified="false"), acc) is Refusal.EMAIL_UNVERIFIED
    assert map_identity(_claims(email_verified=None), acc) is Refusal.EMAIL_UNVERIFIED
    # Cognito sends the claim as a string; Entra ID omits it (it only issues its own addresses).
    assert isinstance(map_identity(_claims(email_verified="true"), acc), Principal)
    assert isinstance(map_identity(_claims(), acc), Principal)


def test_no_login_or_no_usable_email_is_refused(acc: Accounts) -> None:
    acc.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    assert map_identity({}, acc) is Refusal.NOT_SIGNED_IN
    assert map_identity({"is_logged_in": False, "email": SSO_COORD}, acc) is Refusal.NOT_SIGNED_IN
    for bad in (None, "", "   ", "dana.reyes", 42):
        assert map_identity(_claims(bad), acc) is Refusal.NO_EMAIL
    assert map_identity({"is_logged_in": True, "name": "Dana Reyes"}, acc) is Refusal.NO_EMAIL


def test_removed_disabled_or_patient_accounts_are_refused(acc: Accounts, tmp_path: Path) -> None:
    acc.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    acc.add("off@clinic.example", "a long password", Role.ADMIN)
    acc.add("pat@clinic.example", "a long password", Role.PATIENT)
    assert acc.remove(SSO_COORD)
    assert map_identity(_claims(), acc) is Refusal.UNKNOWN_ACCOUNT
    sessions = session_factory(f"sqlite:///{tmp_path / 'rr.db'}")
    with sessions.begin() as s:
        s.execute(
            update(UserAccount)
            .where(UserAccount.username == "off@clinic.example")
            .values(active=False)
        )
    assert map_identity(_claims("off@clinic.example"), acc) is Refusal.UNKNOWN_ACCOUNT
    assert map_identity(_claims("pat@clinic.example"), acc) is Refusal.UNKNOWN_ACCOUNT


def test_accounts_differing_only_in_case_are_ambiguous(acc: Accounts) -> None:
    acc.add("lee@clinic.example", "a long password", Role.COORDINATOR)
    acc.add("Lee@clinic.example", "another long password", Role.ADMIN)
    assert map_identity(_claims("lee@clinic.example"), acc) is Refusal.AMBIGUOUS_ACCOUNT


def test_oidc_only_account_cannot_sign_in_with_a_password(acc: Accounts, tmp_path: Path) -> None:
    info = acc.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    assert info.oidc_only and acc.get(SSO_COORD).oidc_only
    for guess in ("", OIDC_ONLY_HASH, "a long password", "!oidc-only "):
        assert acc.authenticate(SSO_COORD, guess) is None
    with session_factory(f"sqlite:///{tmp_path / 'rr.db'}")() as s:
        stored = s.scalar(
            select(UserAccount.password_hash).where(UserAccount.username == SSO_COORD)
        )
    assert stored == OIDC_ONLY_HASH
    # Password accounts keep working beside it.
    acc.add("casey", "coordinator pw 1", Role.COORDINATOR)
    assert acc.authenticate("casey", "coordinator pw 1") == Principal("casey", Role.COORDINATOR)
    assert not acc.get("casey").oidc_only


def test_oidc_only_accounts_must_be_new_emails_for_staff(acc: Accounts) -> None:
    acc.add_oidc_only(SSO_COORD, Role.ADMIN)
    for bad in ("dana", "dana@", "@clinic.example", "a@b@c.example", "has space@clinic.example"):
        with pytest.raises(AuthError):
            acc.add_oidc_only(bad, Role.COORDINATOR)
    with pytest.raises(AuthError, match="already exists"):
        acc.add_oidc_only(SSO_COORD.upper(), Role.COORDINATOR)
    with pytest.raises(AuthError):
        acc.add_oidc_only("pat@clinic.example", Role.PATIENT)


def test_users_cli_adds_oidc_only_accounts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from ui.cli.main import app as cli

    monkeypatch.setenv("RECORDREADY_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    added = runner.invoke(cli, ["users", "add", SSO_COORD, "--role", "coordinator", "--oidc-only"])
    assert added.exit_code == 0 and "single sign-on only" in added.output
    both = runner.invoke(
        cli, ["users", "add", "x@clinic.example", "--oidc-only", "--password-stdin"], input="pw\n"
    )
    assert both.exit_code == 2
    assert runner.invoke(cli, ["users", "add", "not-an-email", "--oidc-only"]).exit_code == 1
    listed = runner.invoke(cli, ["users", "list"]).output
    assert SSO_COORD in listed and "single sign-on only" in listed
    acc = Accounts(session_factory(f"sqlite:///{tmp_path / 'home' / 'recordready.db'}"))
    assert acc.authenticate(SSO_COORD, "") is None
    assert map_identity(_claims(), acc) == Principal(SSO_COORD, Role.COORDINATOR)


# ---- the app ---------------------------------------------------------------------------------


def _signin_page(at: AppTest) -> AppTest:
    at.run()
    at.switch_page("views/signin.py")
    return at.run()


def _labels(at: AppTest) -> list[str]:
    return [b.label for b in at.button]


def _audit(home: Path) -> AuditLog:
    return AuditLog(session_factory(f"sqlite:///{home / 'recordready.db'}"))


def test_no_auth_section_means_no_button_and_identity_is_ignored(
    home: Path, accounts: Accounts
) -> None:
    accounts.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    at = app()
    # Even a logged-in st.user is not trusted while this deployment has no [auth] of its own.
    at.user = _claims()
    _signin_page(at)
    assert not at.exception
    assert "Sign in" in [t.value for t in at.title]
    assert not any(SSO_BUTTON in label for label in _labels(at))
    assert "rr_staff" not in at.session_state


def test_auth_section_shows_the_button_beside_the_password_form(
    home: Path, accounts: Accounts
) -> None:
    at = app()
    at.secrets["auth"] = dict(AUTH)
    _signin_page(at)
    assert not at.exception
    assert _labels(at)[0] == "Sign in" and SSO_BUTTON in _labels(at)
    # No IdP is reachable and the real secrets.toml has no [auth], so Streamlit refuses to
    # redirect: the page must say so rather than crash.
    next(b for b in at.button if b.label == SSO_BUTTON).click()
    at.run()
    assert not at.exception
    assert "Single sign-on" in texts(at)


def test_named_providers_get_one_button_each(home: Path, accounts: Accounts) -> None:
    at = app()
    provider = {k: AUTH[k] for k in ("client_id", "client_secret", "server_metadata_url")}
    at.secrets["auth"] = {
        "redirect_uri": AUTH["redirect_uri"],
        "cookie_secret": AUTH["cookie_secret"],
        "entra": dict(provider),
        "okta": dict(provider),
        "broken": {"client_id": "x"},
    }
    _signin_page(at)
    sso = [label for label in _labels(at) if SSO_BUTTON in label]
    assert sso == [f"{SSO_BUTTON} (entra)", f"{SSO_BUTTON} (okta)"]


def test_provider_login_opens_the_matching_account_and_sign_out_ends_it(
    home: Path, accounts: Accounts
) -> None:
    accounts.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    at = app()
    at.secrets["auth"] = dict(AUTH)
    at.user = _claims("dana.reyes@clinic.example", email_verified=True)
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Cases"]
    assert at.session_state["rr_staff"] == SSO_COORD
    signed = _audit(home).entries(actions=[Action.SIGNED_IN])
    assert [(e.actor, e.role, e.detail) for e in signed] == [(SSO_COORD, "coordinator", "oidc")]
    assert accounts.get(SSO_COORD).last_sign_in is not None
    # The audit page stays admin-only: the role comes from the account, not the provider.
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/audit.py")
    at.switch_page("views/signout.py").run()
    assert not at.exception
    assert "rr_staff" not in at.session_state
    # st.logout() cleared the provider identity, so the next run does not sign straight back in.
    assert at.user.get("is_logged_in") is False
    at.run()
    assert "Cases" not in [t.value for t in at.title]
    assert len(_audit(home).entries(actions=[Action.SIGNED_IN])) == 1


def test_unknown_email_is_refused_with_a_message_and_audited_once(
    home: Path, accounts: Accounts
) -> None:
    at = app()
    at.secrets["auth"] = dict(AUTH)
    at.user = _claims("stranger@elsewhere.example")
    _signin_page(at)
    at.run()
    assert not at.exception
    assert "Cases" not in [t.value for t in at.title]
    assert "no RecordReady account" in texts(at)
    failed = _audit(home).entries(actions=[Action.SIGN_IN_FAILED])
    assert [(e.actor, e.detail) for e in failed] == [
        ("stranger@elsewhere.example", "oidc:unknown_account")
    ]
    assert [u.username for u in accounts.list()] == ["ada", "casey"]


def test_unverified_email_is_refused_even_for_a_known_account(
    home: Path, accounts: Accounts
) -> None:
    accounts.add_oidc_only(SSO_COORD, Role.ADMIN)
    at = app()
    at.secrets["auth"] = dict(AUTH)
    at.user = _claims(email_verified=False)
    _signin_page(at)
    assert "rr_staff" not in at.session_state
    assert "not verified" in texts(at)
    failed = _audit(home).entries(actions=[Action.SIGN_IN_FAILED])
    assert [e.detail for e in failed] == ["oidc:email_unverified"]


def test_removing_the_account_ends_a_provider_session(home: Path, accounts: Accounts) -> None:
    accounts.add_oidc_only(SSO_COORD, Role.COORDINATOR)
    at = app()
    at.secrets["auth"] = dict(AUTH)
    at.user = _claims()
    at.run()
    assert [t.value for t in at.title] == ["Cases"]
    accounts.remove(SSO_COORD)
    at.run()
    assert "Cases" not in [t.value for t in at.title]
    assert "rr_staff" not in at.session_state
