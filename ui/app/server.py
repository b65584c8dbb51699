"""What `recordready app` serves: the Streamlit pages (main.py) plus the small HTTP routes
that set the staff session cookie (session_routes.py) and serve staff downloads after
checking it (download_routes.py), behind the middleware that adds the
security headers and drops cache-clearing messages (hardening.py). `streamlit run` finds
`app`."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware

from ui.app import download_routes, session_routes
from ui.app.hardening import Hardening

app = st.App(
    str(Path(__file__).resolve().parent / "main.py"),
    routes=session_routes.routes() + download_routes.routes(),
    middleware=[Middleware(Hardening)],
)
