"""RecordReady web app entry point (`recordready app` runs `streamlit run` on this file).

Which pages exist depends on who is asking, decided on the server on every
rerun: a patient's `?case=<token>` link, a signed-in coordinator or admin, or
nobody yet. Each page checks authorization again itself.
"""

from __future__ import annotations

import streamlit as st

from intake.access.auth import Role
from ui.app import context, staff_session, theme

staff = context.staff()
# Patients read on phones: a centred column. Staff compare documents side by side: wide.
st.set_page_config(
    page_title="RecordReady",
    page_icon="✅",
    layout="wide" if staff else "centered",
    initial_sidebar_state="auto",
)
theme.install()

patient_page = st.Page(
    "views/patient.py", title="My records", icon=":material/folder_shared:", url_path="patient"
)
signin_page = st.Page(
    "views/signin.py", title="Staff sign in", icon=":material/login:", url_path="signin"
)
cases_page = st.Page("views/cases.py", title="Cases", icon=":material/dashboard:", url_path="cases")
case_page = st.Page(
    "views/case.py",
    title="Case",
    icon=":material/assignment:",
    url_path="case",
    visibility="hidden",
)
audit_page = st.Page(
    "views/audit.py", title="Audit log", icon=":material/policy:", url_path="audit"
)
signout_page = st.Page(
    "views/signout.py", title="Sign out", icon=":material/logout:", url_path="signout"
)

if staff is None:
    pages = [patient_page, signin_page]
elif staff.role is Role.ADMIN:
    pages = [cases_page, case_page, patient_page, audit_page, signout_page]
else:
    pages = [cases_page, case_page, patient_page, signout_page]

context.set_pages(
    {
        "patient": patient_page,
        "signin": signin_page,
        "cases": cases_page,
        "case": case_page,
        "audit": audit_page,
    }
)
# Right after a sign-in (or sign-out) the browser fetches its HttpOnly session cookie
# (or drops it), so a reload or a new tab finds the same session.
staff_session.render_handoff("/")
st.navigation(pages, position="sidebar" if staff else "hidden").run()
