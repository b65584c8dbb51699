"""The staff session of this browser: a row in the store, found from this tab's state or,
after a reload or in a new tab, from the HttpOnly cookie (session_routes.py sets it).

Every rerun checks the row, so a sign-out in one tab ends the session in every tab
of the browser, and an idle or expired session ends everywhere at once.
"""

from __future__ import annotations

import json

import streamlit as st

from ui.app.session_routes import CLAIM_PATH, COOKIE, END_PATH, safe_next, staff_sessions

SESSION_KEY = "rr_staff_session"
# The one-time code this tab must take to the cookie route, and the cookie to clear.
_HANDOFF_KEY = "rr_staff_handoff"
_CLEAR_KEY = "rr_staff_clear"


def begin(username: str) -> None:
    """Open a session for a staff member who just signed in, in this tab and (through the
    cookie route, on the next render) for the browser."""
    opened = staff_sessions().open(username)
    st.session_state[SESSION_KEY] = opened.session_id
    st.session_state[_HANDOFF_KEY] = opened.handoff
    st.session_state.pop(_CLEAR_KEY, None)


def _cookie() -> str | None:
    try:
        value = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser request (scripts, AppTest): no cookie
        return None
    return value if isinstance(value, str) and value else None


def current() -> str | None:
    """The user name of this browser's live staff session, else None."""
    sid = st.session_state.get(SESSION_KEY)
    if sid is not None:
        name = staff_sessions().by_id(int(sid))
        if name is None:
            st.session_state.pop(SESSION_KEY, None)
            st.session_state.pop(_HANDOFF_KEY, None)
        return name
    if st.session_state.get(_CLEAR_KEY):
        # Signed out in this tab: the page still holds the old cookie until it reloads.
        return None
    found = staff_sessions().by_token(_cookie())
    if found is None:
        return None
    st.session_state[SESSION_KEY] = found[0]
    return found[1]


def end() -> None:
    """End the session in every tab."""
    sid = st.session_state.pop(SESSION_KEY, None)
    if sid is not None:
        staff_sessions().revoke(int(sid))
    st.session_state.pop(_HANDOFF_KEY, None)


def drop_cookie() -> None:
    """Have this browser drop the cookie of the ended session (on the next render)."""
    st.session_state[_CLEAR_KEY] = True


def _go(url: str) -> None:
    # json.dumps gives a JavaScript string literal; the URL holds only our own path and a
    # URL-safe code, never page content.
    st.html(
        f"<script>window.location.replace({json.dumps(url)});</script>",
        unsafe_allow_javascript=True,
    )


def render_handoff(path: str) -> None:
    """Send the browser to the cookie route once, right after a sign-in or a sign-out."""
    code = st.session_state.pop(_HANDOFF_KEY, None)
    if code:
        from urllib.parse import urlencode

        _go(f"{CLAIM_PATH}?{urlencode({'code': code, 'next': safe_next(path)})}")
    elif st.session_state.get(_CLEAR_KEY) and _cookie():
        st.session_state.pop(_CLEAR_KEY, None)
        _go(END_PATH)
