"""Staff sign-in (name and password, argon2-checked on the server) and sign-out."""

from __future__ import annotations

import time

import streamlit as st

from ui.app import context, theme

# After this many failures in one browser session, each further try waits longer.
_FREE_TRIES = 3


def render() -> None:
    theme.brand("Care team")
    if context.staff() is not None:
        st.switch_page(context.page("cases"))
    st.title("Sign in")
    st.markdown('<p class="rr-lede">For coordinators and administrators. Patients do not need to sign in: '
                "use the private link you were given.</p>", unsafe_allow_html=True)
    if not context.services().accounts.staff_exists():
        st.info("No staff account exists yet. On the server, run:\n\n"
                "`recordready users add YOUR-NAME --role admin`")
    with st.form("rr_signin", border=True):
        username = st.text_input("User name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary", width="stretch")
    if submitted:
        fails = st.session_state.get("rr_fails", 0)
        if fails >= _FREE_TRIES:
            # Slows password guessing from one session; the audit log records every failure.
            time.sleep(min(2 ** (fails - _FREE_TRIES), 8))
        if context.sign_in(username, password) is None:
            st.session_state["rr_fails"] = fails + 1
            st.error("That user name and password do not match.")
        else:
            st.session_state["rr_fails"] = 0
            st.rerun()


def render_sign_out() -> None:
    context.sign_out()
    st.session_state.pop("rr_pages", None)
    st.rerun()
