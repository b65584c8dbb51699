"""The address of a patient's private link, as the patient's browser must open it.

A deployment behind a proxy names its public address (RECORDREADY_PUBLIC_URL); otherwise
the link starts with the scheme and host this browser used to reach the app, never a bare
path (a link without its host is a dead link in an e-mail).
"""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

from intake.access.auth import DEFAULT_LINK_DAYS
from ui.app import context


def app_base() -> str:
    """scheme://host[:port][/base path] of the app, without a trailing slash."""
    configured = context.services().settings.public_url
    if configured:
        return configured
    parts = urlsplit(st.context.url or "")
    host = parts.netloc or st.context.headers.get("Host", "") or "localhost:8501"
    scheme = parts.scheme or "http"
    base_path = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{scheme}://{host}" + (f"/{base_path}" if base_path else "")


def patient_link(token: str) -> str:
    return f"{app_base()}/patient?{context.CASE_PARAM}={token}"


def show_link(token: str, intro: str) -> None:
    """A fresh link with its copy button and what to tell the patient about it."""
    st.success(intro)
    st.code(patient_link(token), language=None, wrap_lines=True)
    st.caption(
        f"The link works for {DEFAULT_LINK_DAYS} days. Only its holder can open the case, so we keep no "
        "copy of it: if it is lost, create a new one under the case's Share & download tab."
    )
