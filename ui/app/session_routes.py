"""HTTP routes beside the Streamlit app that set and clear the staff session cookie.

A Streamlit page talks to the browser over a websocket, which cannot set cookies,
and a cookie set by page JavaScript could not be HttpOnly. So after a sign-in the
page sends the browser here with a one-time code (intake/access/staff_sessions.py);
this answers with the HttpOnly, SameSite=Strict cookie and sends it on to the page
it came from. Every later page load carries the cookie on its websocket request,
where st.context.cookies reads it.
"""

from __future__ import annotations

from functools import lru_cache

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from intake.access.staff_sessions import LIFETIME_SECONDS, StaffSessions
from intake.settings import Settings
from intake.store.db import session_factory

COOKIE = "rr_staff"
CLAIM_PATH = "/api/session/claim"
END_PATH = "/api/session/end"
# Only the app's own staff pages may be the target, so the route is no open redirect.
# The case list is the staff's default page, whose address is "/" (Streamlit gives the
# default page no path of its own; "/cases" would be "page not found").
_PAGES = ("", "/case", "/audit", "/signin")


@lru_cache(maxsize=4)
def _sessions_for(home: str) -> StaffSessions:
    return StaffSessions(session_factory(Settings.from_env(home).database_url))


def staff_sessions() -> StaffSessions:
    return _sessions_for(str(Settings.from_env().home))


def safe_next(target: str | None, default: str = "/") -> str:
    """`target` when it is one of our staff pages (with its query), else `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    path = target.split("?", 1)[0].rstrip("/")
    return target if path in _PAGES else default


def _secure(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "")
    public = Settings.from_env().public_url or ""
    return request.url.scheme == "https" or forwarded == "https" or public.startswith("https:")


async def claim(request: Request) -> Response:
    token = staff_sessions().claim(request.query_params.get("code"))
    if token is None:
        # Spent, expired or unknown: the sign-in page says what to do.
        return RedirectResponse("/signin", status_code=303)
    response = RedirectResponse(safe_next(request.query_params.get("next")), status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=LIFETIME_SECONDS,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


async def end(request: Request) -> Response:
    # SameSite=Strict: a link on another site arrives without the cookie and ends nothing.
    staff_sessions().revoke_token(request.cookies.get(COOKIE))
    response = RedirectResponse("/signin", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict")
    response.headers["Cache-Control"] = "no-store"
    return response


def routes() -> list[BaseRoute]:
    return [Route(CLAIM_PATH, claim, methods=["GET"]), Route(END_PATH, end, methods=["GET"])]
