"""Per-process services (store, accounts, audit) and the per-session principal.

Authorization is decided here on the server on every rerun: a patient's link
token is re-resolved each time (so revoking it takes effect at once) and a staff
session is re-checked against its row in the store (staff_session.py: signing out,
idling or expiring ends it in every tab) and the accounts table (so removing a user
ends it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st
from sqlalchemy.orm import sessionmaker
from streamlit.errors import StreamlitAuthError, StreamlitMissingAuthlibError

from intake.access.audit import AuditLog
from intake.access.auth import (
    Accounts,
    Action,
    CaseLinks,
    Principal,
    Role,
    allowed,
)
from intake.access.oidc import Refusal, map_identity
from intake.access.rates import CaseStarts
from intake.access.signin import Refused, SignInGuard
from intake.access.signin import sign_in as password_sign_in
from intake.casework.service import Backend
from intake.settings import Settings
from intake.store import Store
from intake.store.db import session_factory
from ui.app import staff_session

_STAFF_KEY = "rr_staff"
# Set when the staff session came from the identity provider, so sign-out also ends that login.
_OIDC_KEY = "rr_staff_oidc"
# The refusal already shown and audited for this browser session's provider identity.
_REFUSED_KEY = "rr_oidc_refused"
# Provider settings Streamlit itself requires; a provider lacking one is not offered.
_PROVIDER_KEYS = ("client_id", "client_secret", "server_metadata_url")
CASE_PARAM = "case"


@dataclass(frozen=True)
class Services:
    settings: Settings
    sessions: sessionmaker
    accounts: Accounts
    links: CaseLinks
    audit: AuditLog
    backend: Backend


@st.cache_resource(show_spinner=False)
def _services_for(home: str) -> Services:
    settings = Settings.from_env(home)
    store = Store(settings)
    sessions = session_factory(settings.database_url)
    links, audit = CaseLinks(sessions), AuditLog(sessions)
    return Services(
        settings, sessions, Accounts(sessions), links, audit, Backend(store, audit, links)
    )


def services() -> Services:
    # Keyed by the resolved home so tests with different RECORDREADY_HOME never share a store.
    return _services_for(str(Settings.from_env().home))


def link_token() -> str | None:
    return st.query_params.get(CASE_PARAM) or None


def oidc_providers() -> list[str]:
    """Identity providers configured in secrets.toml's [auth]; "default" is the unnamed one.

    Empty when single sign-on is not configured, including when there is no
    secrets file at all (reading st.secrets then raises).
    """
    try:
        auth = st.secrets.get("auth")
    except (FileNotFoundError, OSError, ValueError):
        return []
    if not isinstance(auth, Mapping) or "redirect_uri" not in auth or "cookie_secret" not in auth:
        return []
    named = [
        k
        for k, v in auth.items()
        if isinstance(v, Mapping) and "_" not in k and all(key in v for key in _PROVIDER_KEYS)
    ]
    if all(key in auth for key in _PROVIDER_KEYS):
        return ["default", *named]
    return named


def _identity_claims() -> dict[str, Any]:
    # st.user lacks "is_logged_in" where Streamlit sees no [auth]; read it as a plain dict.
    try:
        return dict(st.user.to_dict())
    except Exception:  # noqa: BLE001 - an unreadable identity is simply no identity
        return {}


def oidc_refusal() -> Refusal | None:
    """Why this browser's provider identity was refused, for the sign-in page to explain."""
    reason = st.session_state.get(_REFUSED_KEY)
    return Refusal(reason[0]) if reason else None


def _staff_from_identity() -> Principal | None:
    """Open a staff session for a provider login that maps to an account (once per login)."""
    if not oidc_providers():
        # Without [auth] nothing in st.user was verified by our configuration.
        return None
    claims = _identity_claims()
    if claims.get("is_logged_in") is not True:
        st.session_state.pop(_REFUSED_KEY, None)
        return None
    svc = services()
    who = map_identity(claims, svc.accounts)
    if isinstance(who, Refusal):
        email = str(claims.get("email") or "")[:64] or "(no e-mail)"
        seen = (who.value, email)
        if st.session_state.get(_REFUSED_KEY) != seen:
            # Audited once per browser session and identity, not on every rerun.
            st.session_state[_REFUSED_KEY] = seen
            svc.audit.record(
                email, Action.SIGN_IN_FAILED, detail=f"oidc:{who.value}", role="anonymous"
            )
        return None
    st.session_state.pop(_REFUSED_KEY, None)
    st.session_state[_STAFF_KEY] = who.name
    st.session_state[_OIDC_KEY] = True
    staff_session.begin(who.name)
    svc.accounts.record_sign_in(who.name)
    svc.audit.record(who, Action.SIGNED_IN, detail="oidc")
    return who


def start_oidc(provider: str) -> str | None:
    """Send the browser to the identity provider; a short reason when that is impossible."""
    try:
        st.login() if provider == "default" else st.login(provider)
    except StreamlitAuthError as exc:
        # Streamlit's own message names the missing setting, never a secret's value.
        if isinstance(exc, StreamlitMissingAuthlibError):
            return "Single sign-on needs Authlib on the server: pip install 'recordready[oidc]'."
        return "Single sign-on is not set up correctly on the server. Ask your administrator."
    return None


def staff() -> Principal | None:
    had = st.session_state.get(_STAFF_KEY)
    # The session row, not this tab's memory, decides: a sign-out in another tab, or a
    # screen left idle 30 minutes on a shared clinic PC, ends it here too.
    name = staff_session.current()
    if not name:
        if had:
            sign_out()
        return _staff_from_identity()
    info = services().accounts.get(name)
    if info is None or info.role is Role.PATIENT:
        sign_out()
        return None
    st.session_state[_STAFF_KEY] = info.username
    return Principal(info.username, info.role)


def patient() -> Principal | None:
    """The patient principal a live `?case=` token opens, else None."""
    case_id = services().links.resolve(link_token())
    return Principal("patient", Role.PATIENT, case_id) if case_id else None


def backend() -> Backend:
    return services().backend


@st.cache_resource(show_spinner=False)
def _sign_in_guard(home: str) -> SignInGuard:
    # One per server process and store: counts failures across every browser session.
    return SignInGuard()


@st.cache_resource(show_spinner=False)
def _case_starts(home: str) -> CaseStarts:
    # One per server process and store: counts anonymous starts across every browser session.
    return CaseStarts()


def may_start_case(who: Principal | None) -> bool:
    """Whether this visitor may start another case (staff always may)."""
    if who is not None:
        return True
    return _case_starts(str(services().settings.home)).allow(client_address())


def client_address() -> str | None:
    try:
        address = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context (tests, scripts): no address
        return None
    return address if isinstance(address, str) and address else None


def sign_in(username: str, password: str) -> Principal | Refused:
    svc = services()
    guard = _sign_in_guard(str(svc.settings.home))
    who = password_sign_in(svc.accounts, svc.audit, guard, username, password, client_address())
    if isinstance(who, Refused):
        return who
    st.session_state[_STAFF_KEY] = who.name
    staff_session.begin(who.name)
    return who


def sign_out() -> None:
    """End the staff session and forget everything this browser session held.

    Everything goes, not only the principal: on a shared clinic PC the next person
    signs in on the same tab, and must neither inherit the cases already audited as
    viewed (theirs would go unrecorded) nor see a patient link shown once to the
    previous person, nor a prepared report or audit export. The session row is revoked
    first, so every other tab of the browser is signed out too.
    """
    oidc = bool(st.session_state.get(_OIDC_KEY, False))
    staff_session.end()
    for key in list(st.session_state.keys()):
        del st.session_state[key]
    staff_session.drop_cookie()
    if oidc:
        # Otherwise the provider's cookie would sign the same person straight back in
        # (after an idle timeout too).
        st.logout()


def set_pages(pages: dict[str, st.Page]) -> None:
    st.session_state["rr_pages"] = pages


def page(name: str) -> st.Page:
    return st.session_state["rr_pages"][name]


def guard(who: Principal | None, action: Action, case_id: str | None = None) -> Principal:
    """Stop the page unless `who` may do `action` (on `case_id`). Called by every page."""
    if not allowed(who, action, case_id):
        st.error(
            "You do not have access to this page. Staff: sign in. Patients: use the link you were given."
        )
        st.stop()
    assert who is not None
    return who
