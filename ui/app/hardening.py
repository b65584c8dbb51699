"""One small ASGI middleware around the app (ui/app/server.py installs it).

Streamlit's own server has no setting for response headers or for refusing a message:

- every HTTP response says it may be framed only by the app itself and sends no referrer
  (a patient's link carries its token in the query string; a page that framed the app
  could trick a coordinator into clicks);
- a `clear_cache` message from a browser is dropped: Streamlit clears the whole server's
  caches on it, for every user (the menu hides the item, a raw websocket client sent it).
"""

from __future__ import annotations

import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from streamlit.proto.BackMsg_pb2 import BackMsg

log = logging.getLogger("recordready.app")

HEADERS = {
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}


def clears_cache(frame: bytes | None) -> bool:
    if not frame:
        return False
    msg = BackMsg()
    try:
        msg.ParseFromString(frame)
    except Exception:  # noqa: BLE001 - not ours to judge: Streamlit refuses a bad frame
        return False
    return msg.WhichOneof("type") == "clear_cache"


class Hardening:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":

            async def send_with_headers(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = MutableHeaders(scope=message)
                    for name, value in HEADERS.items():
                        headers[name] = value
                await send(message)

            await self.app(scope, receive, send_with_headers)
        elif scope["type"] == "websocket":

            async def receive_allowed() -> Message:
                while True:
                    message = await receive()
                    if message["type"] == "websocket.receive" and clears_cache(
                        message.get("bytes")
                    ):
                        log.warning("a browser asked to clear the server's caches: refused")
                        continue
                    return message

            await self.app(scope, receive_allowed, send)
        else:
            await self.app(scope, receive, send)
