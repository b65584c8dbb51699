"""A real `streamlit run` of the app on loopback, and a raw websocket client for it.

The probe spoke Streamlit's protocol directly, as an attacker would, rather than through a
browser: a BackMsg protobuf per frame, the session id to resume passed as the third entry
of the Sec-WebSocket-Protocol header, as the browser does after a reconnect.
"""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect

from ui.cli.app import streamlit_command


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_app(home: Path, log_path: Path) -> Iterator[str]:
    """The app as `recordready app` starts it; yields its base URL."""
    port = _free_port()
    env = dict(os.environ, RECORDREADY_HOME=str(home))
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            streamlit_command("127.0.0.1", port, 50),
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    time.sleep(0.3)
            else:
                raise RuntimeError("streamlit did not start: " + log_path.read_text()[-2000:])
            yield url
        finally:
            os.killpg(proc.pid, 15)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)


def open_session(url: str, resume: str | None = None) -> ClientConnection:
    protocols = ["streamlit", "no-xsrf-token", resume] if resume else ["streamlit"]
    ws = url.replace("http://", "ws://") + "/_stcore/stream"
    # The entries are not real subprotocol names; the server echoes only the first.
    return connect(ws, subprotocols=protocols, open_timeout=30)  # type: ignore[arg-type]


def send(conn: ClientConnection, msg: BackMsg) -> None:
    conn.send(msg.SerializeToString())


def rerun(conn: ClientConnection, query: str = "") -> None:
    msg = BackMsg()
    msg.rerun_script.query_string = query
    send(conn, msg)


def read_until(conn: ClientConnection, kind: str, timeout: float = 60) -> ForwardMsg:
    """Forward messages until one of `kind` (e.g. "new_session", "script_finished")."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(kind)
        raw = conn.recv(timeout=left)
        msg = ForwardMsg()
        msg.ParseFromString(raw if isinstance(raw, bytes) else raw.encode())
        if msg.WhichOneof("type") == kind:
            return msg


def session_id(conn: ClientConnection) -> str:
    rerun(conn)
    return str(read_until(conn, "new_session").new_session.initialize.session_id)
