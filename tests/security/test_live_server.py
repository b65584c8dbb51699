"""Attacks on a real `streamlit run` over loopback, with a raw websocket client (issue 16).

One server serves the module. Row 8: a closed tab's session could be resumed for 120 s
by anyone holding its session id; it now lives only seconds.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest

from tests.security.live_server import live_app, open_session, session_id
from ui.cli.app import DISCONNECTED_SESSION_TTL_S


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("live")
    home = tmp / "home"
    home.mkdir()
    with live_app(home, tmp / "streamlit.log") as url:
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
