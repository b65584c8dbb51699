"""Staff downloads served by a signed-in HTTP route, not at Streamlit's /media URLs.

Streamlit serves a download button's bytes at `/media/<id>` with no sign-in check, to
anyone holding the URL, for as long as a page shows the button (issue 16 row 12). The
coordinator's reports (HTML, JSON, FHIR, PDF), a case's original files and the audit log's
CSV export instead come from here: every request carries the HttpOnly staff cookie
(session_routes.py), is checked against the live session row and the account, and then
against the same permissions as the page (`Backend`, `AuditLog`); the download is audited
when it is served, so the audit log says what actually left the server. A copied URL
without the cookie, or after sign-out, gets 401.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from intake.access.auth import AccessDenied, Principal, Role
from ui.app.session_routes import COOKIE, staff_sessions

DOWNLOAD_PATH = "/api/download"
REPORT_FORMATS = ("html", "json", "fhir", "pdf")


def report_url(case_id: str, fmt: str) -> str:
    return f"{DOWNLOAD_PATH}/report?{urlencode({'case': case_id, 'format': fmt})}"


def original_url(case_id: str, file_id: int) -> str:
    return f"{DOWNLOAD_PATH}/original?{urlencode({'case': case_id, 'file': file_id})}"


def audit_url(case_id: str | None = None) -> str:
    query = f"?{urlencode({'case': case_id})}" if case_id else ""
    return f"{DOWNLOAD_PATH}/audit{query}"


def _services():  # noqa: ANN202 - the pages' own per-process services (one store, one reader)
    from ui.app.context import services

    return services()


def _staff(request: Request) -> Principal | None:
    """The signed-in staff member this request's cookie belongs to, else None."""
    found = staff_sessions().by_token(request.cookies.get(COOKIE))
    if found is None:
        return None
    info = _services().accounts.get(found[1])
    if info is None or info.role is Role.PATIENT:
        return None
    return Principal(info.username, info.role)


def _attachment(data: bytes, name: str, mime: str) -> Response:
    # RFC 6266/5987: an ASCII fallback plus the exact UTF-8 name; the name is ours
    # (download_name) or a stored file's cleaned name, never a header injection.
    fallback = "".join(
        c if c.isascii() and c.isprintable() and c not in '"\\' else "_" for c in name
    )
    return Response(
        data,
        media_type=mime,
        headers={
            "Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}",
            "Cache-Control": "no-store",
        },
    )


def _refused(status: int, why: str) -> Response:
    return Response(
        why, status_code=status, media_type="text/plain", headers={"Cache-Control": "no-store"}
    )


def report(request: Request) -> Response:
    who = _staff(request)
    if who is None:
        return _refused(401, "Sign in to download reports.")
    case_id = request.query_params.get("case", "")
    fmt = request.query_params.get("format", "")
    if fmt not in REPORT_FORMATS:
        return _refused(404, "No such report format.")
    be = _services().backend
    try:
        data, name, mime, _ = be.export(who, case_id, fmt, patient_view=False)
    except AccessDenied:
        return _refused(403, "Not allowed.")
    except ValueError:
        return _refused(404, "No report yet for this case.")
    be.note_download(who, case_id, name.removeprefix("recordready-"))
    return _attachment(data, name, mime)


def original(request: Request) -> Response:
    who = _staff(request)
    if who is None:
        return _refused(401, "Sign in to download files.")
    case_id = request.query_params.get("case", "")
    try:
        file_id = int(request.query_params.get("file", ""))
    except ValueError:
        return _refused(404, "No such file.")
    be = _services().backend
    try:
        stored, data = be.file_bytes(who, case_id, file_id)
    except AccessDenied:
        return _refused(403, "Not allowed.")
    be.note_download(who, case_id, f"original: {stored.name}")
    return _attachment(data, stored.name, "application/octet-stream")


def audit(request: Request) -> Response:
    who = _staff(request)
    if who is None:
        return _refused(401, "Sign in to export the audit log.")
    case_id = request.query_params.get("case") or None
    try:
        csv_text = _services().audit.export_csv(who, case_id=case_id)
    except AccessDenied:
        return _refused(403, "Not allowed.")
    return _attachment(csv_text.encode("utf-8"), "recordready-audit.csv", "text/csv")


def routes() -> list[BaseRoute]:
    return [
        Route(f"{DOWNLOAD_PATH}/report", report, methods=["GET"]),
        Route(f"{DOWNLOAD_PATH}/original", original, methods=["GET"]),
        Route(f"{DOWNLOAD_PATH}/audit", audit, methods=["GET"]),
    ]
