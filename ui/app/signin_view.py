"""Staff sign-in (name and password, argon2-checked on the server; or the organisation's
identity provider when secrets.toml has an [auth] section) and sign-out."""

from __future__ import annotations

import streamlit as st

from intake.access.oidc import Refusal
from intake.access.signin import Refused
from ui.app import context, theme

_REFUSAL_TEXT = {
    Refusal.EMAIL_UNVERIFIED: "Your organisation has not verified the e-mail address of that account, "
    "so it cannot be used here.",
    Refusal.NO_EMAIL: "Your organisation's sign-in did not tell us an e-mail address, so it cannot be used here.",
}
_UNKNOWN_TEXT = (
    "Your organisation signed you in, but that e-mail address has no RecordReady account. "
    "Ask an administrator to add it (`recordready users add EMAIL --role coordinator --oidc-only`)."
)


def _render_refusal() -> None:
    refusal = context.oidc_refusal()
    if refusal is not None:
        st.error(_REFUSAL_TEXT.get(refusal, _UNKNOWN_TEXT))
        # The provider's login persists in a cookie; this lets someone try another account.
        if st.button("Sign out of your organisation account", key="rr_oidc_logout"):
            st.logout()


def _render_oidc(providers: list[str]) -> None:
    st.caption("Or, if your organisation has set it up:")
    for provider in providers:
        label = "Sign in with your organisation"
        if len(providers) > 1:
            label += f" ({provider})"
        if st.button(label, key=f"rr_oidc_{provider}", width="stretch"):
            problem = context.start_oidc(provider)
            if problem:
                st.error(problem)


def render() -> None:
    theme.brand("Care team")
    if context.staff() is not None:
        st.switch_page(context.page("cases"))
    st.title("Sign in")
    st.markdown(
        '<p class="rr-lede">For coordinators and administrators. Patients do not need to sign in: '
        "use the private link you were given.</p>",
        unsafe_allow_html=True,
    )
    if not context.services().accounts.staff_exists():
        st.info(
            "No staff account exists yet. On the server, run:\n\n"
            "`recordready users add YOUR-NAME --role admin`"
        )
    providers = context.oidc_providers()
    if providers:
        _render_refusal()
    with st.form("rr_signin", border=True):
        username = st.text_input("User name", autocomplete="username")
        password = st.text_input("Password", type="password", autocomplete="current-password")
        submitted = st.form_submit_button("Sign in", type="primary", width="stretch")
    if providers:
        _render_oidc(providers)
    if submitted:
        # Failures are counted per account and per address on the server (a new browser
        # session per try changes nothing); the audit log records every one.
        result = context.sign_in(username, password)
        if result is Refused.LOCKED:
            st.error(
                "Too many failed sign-ins for this account or from this computer. "
                "Wait 15 minutes and try again, or ask an administrator."
            )
        elif result is Refused.WRONG:
            st.error("That user name and password do not match.")
        else:
            st.rerun()


def render_sign_out() -> None:
    context.sign_out()
    st.session_state.pop("rr_pages", None)
    st.rerun()
