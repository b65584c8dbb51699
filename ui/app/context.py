"""Per-process services (store, accounts, audit) and the per-session principal.

Authorization is decided here on the server on every rerun: a patient's link
token is re-resolved each time (so revoking it takes effect at once) and a staff
session is re-checked against the accounts table (so removing a user ends it).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import streamlit as st
from sqlalchemy.orm import sessionmaker

from intake.audit import AuditLog
from intake.auth import Accounts, Action, CaseLinks, Principal, Role, allowed
from intake.db import session_factory
from intake.settings import Settings
from intake.store import Store
from ui.app.backend import Backend

_STAFF_KEY = "rr_staff"
_SEEN_KEY = "rr_staff_seen"
STAFF_IDLE_SECONDS = 30 * 60
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
    return Services(settings, sessions, Accounts(sessions), links, audit, Backend(store, audit, links))


def services() -> Services:
    # Keyed by the resolved home so tests with different RECORDREADY_HOME never share a store.
    return _services_for(str(Settings.from_env().home))


def link_token() -> str | None:
    return st.query_params.get(CASE_PARAM) or None


def staff() -> Principal | None:
    name = st.session_state.get(_STAFF_KEY)
    if not name:
        return None
    now = time.monotonic()
    # A staff screen left open (a shared clinic PC) signs itself out.
    if now - st.session_state.get(_SEEN_KEY, now) > STAFF_IDLE_SECONDS:
        sign_out()
        return None
    info = services().accounts.get(name)
    if info is None or info.role is Role.PATIENT:
        sign_out()
        return None
    st.session_state[_SEEN_KEY] = now
    return Principal(info.username, info.role)


def patient() -> Principal | None:
    """The patient principal a live `?case=` token opens, else None."""
    case_id = services().links.resolve(link_token())
    return Principal("patient", Role.PATIENT, case_id) if case_id else None


def backend() -> Backend:
    return services().backend


def sign_in(username: str, password: str) -> Principal | None:
    svc = services()
    who = svc.accounts.authenticate(username.strip(), password)
    if who is None:
        svc.audit.record(username.strip()[:64] or "(blank)", Action.SIGN_IN_FAILED, role="anonymous")
        return None
    st.session_state[_STAFF_KEY] = who.name
    st.session_state[_SEEN_KEY] = time.monotonic()
    svc.audit.record(who, Action.SIGNED_IN)
    return who


def sign_out() -> None:
    st.session_state.pop(_STAFF_KEY, None)
    st.session_state.pop(_SEEN_KEY, None)


def set_pages(pages: dict[str, st.Page]) -> None:
    st.session_state["rr_pages"] = pages


def page(name: str) -> st.Page:
    return st.session_state["rr_pages"][name]


def guard(who: Principal | None, action: Action, case_id: str | None = None) -> Principal:
    """Stop the page unless `who` may do `action` (on `case_id`). Called by every page."""
    if not allowed(who, action, case_id):
        st.error("You do not have access to this page. Staff: sign in. Patients: use the link you were given.")
        st.stop()
    assert who is not None
    return who
