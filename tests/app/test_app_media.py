"""Reports are not left at /media URLs (issue 16 row 12).

Streamlit serves a download button's data at a /media URL without any sign-in check for
as long as the page shows it; the coordinator's reports were put there on every view of
a case, downloaded or not. The coordinator's reports, originals and the audit export now
come from a signed-in route; the patient's downloads are made when the button is clicked.
"""

from __future__ import annotations

from pathlib import Path

from app_helpers import ADMIN, COORD, app, sign_in

from intake.access.audit import AuditLog
from intake.access.auth import Action
from intake.store.db import session_factory


def _audit(home: Path) -> AuditLog:
    return AuditLog(session_factory(f"sqlite:///{home / 'recordready.db'}"))


def test_viewing_a_case_puts_no_report_at_a_media_url(home: Path, accounts) -> None:
    at = sign_in(app(), *COORD)
    next(b for b in at.button if b.label == "Create case").click().run()
    at.button(key="rr_open").click().run()
    at.switch_page("views/case.py").run()
    assert not at.exception, at.exception
    # No report is handed to a download button (whose bytes Streamlit serves at /media
    # without sign-in): each is a link to the signed-in route (tests/security/
    # test_download_routes.py checks the route itself).
    assert not [el for el in at.get("download_button") if "Report" in el.proto.label]
    links = " ".join(el.proto.body for el in at.get("html"))
    for fmt in ("html", "json", "pdf", "fhir"):
        assert "/api/download/report?case=" in links and f"format={fmt}" in links, fmt


def test_the_audit_export_is_made_only_when_asked_for(home: Path, accounts) -> None:
    at = sign_in(app(), *ADMIN)
    at.switch_page("views/audit.py").run()
    assert not at.exception, at.exception
    assert not at.get("download_button")
    assert any("/api/download/audit" in el.proto.body for el in at.get("html"))
    # Viewing the page exported nothing, so nothing is audited as exported.
    assert not _audit(home).entries(actions=[Action.AUDIT_EXPORTED])


def test_the_patients_downloads_are_made_only_when_asked_for(home: Path, accounts) -> None:
    at = app()
    at.run()
    at.radio(key="rr_program").set_value("cart-lbcl").run()
    at.button[0].click().run()
    note = b"Clinic note\nPatient: Jane Doe\nNo treatment yet.\n"
    at.file_uploader[0].set_value([("note.txt", note, "text/plain")]).run()
    assert not at.exception, at.exception
    buttons = [el.proto for el in at.get("download_button")]
    assert buttons  # the checklist, and a letter per records request
    for proto in buttons:
        assert proto.url == "" and proto.deferred_file_id, proto.label
