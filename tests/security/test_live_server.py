"""Attacks on a real `streamlit run` over loopback, with a raw websocket client (issue 16).

One server serves the module. Row 8: a closed tab's session could be resumed for 120 s
by anyone holding its session id; it now lives only seconds. Row 18: responses did not
forbid framing or referrers. Row 15: any visitor could clear the server's shared caches.
"""

from __future__ import annotations

import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from tests.security.live_server import live_app, open_session, read_until, rerun, send, session_id
from ui.cli.app import DISCONNECTED_SESSION_TTL_S


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("live")


@pytest.fixture(scope="module")
def log_path(tmp: Path) -> Path:
    return tmp / "streamlit.log"


@pytest.fixture(scope="module")
def server(tmp: Path, log_path: Path) -> Iterator[str]:
    home = tmp / "home"
    home.mkdir()
    with live_app(home, log_path) as url:
        yield url


def test_a_closed_tab_cannot_be_resumed_after_a_few_seconds(server: str) -> None:
    with open_session(server) as conn:
        first = session_id(conn)
    # A reconnect straight away (the browser's own, after a blip) keeps the session...
    with open_session(server, resume=first) as conn:
        assert session_id(conn) == first
    # ...but once the tab has been closed a little longer, its id opens a new session.
    time.sleep(DISCONNECTED_SESSION_TTL_S + 3)
    with open_session(server, resume=first) as conn:
        assert session_id(conn) != first


def test_responses_forbid_framing_and_referrers(server: str) -> None:
    # Row 18: no frame-ancestors / X-Frame-Options or Referrer-Policy were sent.
    for path in ("/", "/patient?case=x", "/_stcore/health"):
        with urllib.request.urlopen(server + path, timeout=30) as r:
            assert r.headers["Content-Security-Policy"] == "frame-ancestors 'self'", path
            assert r.headers["X-Frame-Options"] == "SAMEORIGIN", path
            assert r.headers["Referrer-Policy"] == "no-referrer", path


def test_a_browser_cannot_clear_the_servers_caches(server: str, log_path: Path) -> None:
    # Row 15: Streamlit clears every user's caches (the sign-in lockout counts among them)
    # on a clear_cache message, which the hidden menu item was only one way to send.
    msg = BackMsg()
    msg.clear_cache = True
    with open_session(server) as conn:
        session_id(conn)
        send(conn, msg)
        rerun(conn)
        read_until(conn, "script_finished")
    assert "clear the server's caches: refused" in log_path.read_text()
