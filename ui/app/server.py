"""What `recordready app` serves: the Streamlit pages (main.py) plus the small HTTP routes
that set the staff session cookie (session_routes.py), behind the middleware that adds the
security headers and drops cache-clearing messages (hardening.py). `streamlit run` finds
`app`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ui.app.hardening import Hardening
from ui.app.session_routes import routes

app = st.App(
    str(Path(__file__).resolve().parent / "main.py"),
    routes=routes(),
    middleware=[Middleware(Hardening)],
)
