"""Admins only: the audit log (who did what to which case and when), filterable, as CSV."""

from __future__ import annotations

import streamlit as st

from intake.access.auth import Action
from ui.app import context, theme
from ui.app.download_routes import audit_url


def render() -> None:
    context.guard(context.staff(), Action.AUDIT_VIEWED)
    theme.brand("Care team")
    st.title("Audit log")
    st.markdown(
        '<p class="rr-lede">Every sign-in, upload, view, correction, waiver, download and deletion. '
        "Entries stay after a case is deleted.</p>",
        unsafe_allow_html=True,
    )
    log = context.services().audit
    c1, c2, c3 = st.columns([2, 2, 1])
    case_id = c1.text_input("Case id", placeholder="all cases").strip() or None
    actions = c2.multiselect("Actions", [a.value for a in Action], placeholder="all actions")
    limit = c3.number_input("Show", min_value=50, max_value=10000, value=500, step=50)
    rows = log.entries(case_id=case_id, actions=actions or None, limit=int(limit))
    st.dataframe(
        [
            {
                "When (UTC)": r.at.strftime("%Y-%m-%d %H:%M:%S"),
                "Who": r.actor,
                "Role": r.role,
                "Action": r.action,
                "Case": r.case_id or "",
                "File": r.file or "",
                "Detail": r.detail or "",
            }
            for r in rows
        ],
        width="stretch",
        hide_index=True,
    )
    # A signed-in route makes (and audits) the export when the link is followed: bytes
    # given to a download button would wait at a /media URL, served without sign-in.
    theme.download_link("Download audit log (CSV)", audit_url(case_id))
