"""Reports are not left at /media URLs (issue 16 row 12).

Streamlit serves a download button's data at a /media URL without any sign-in check for
as long as the page shows it; the coordinator's reports were put there on every view of
a case, downloaded or not. They are now made when the button is clicked (and the download
is audited then), so viewing a case leaves no report behind a URL.
"""

from __future__ import annotations

from pathlib import Path

from app_helpers import COORD, app, sign_in


def test_viewing_a_case_puts_no_report_at_a_media_url(home: Path, accounts) -> None:
    at = sign_in(app(), *COORD)
    next(b for b in at.button if b.label == "Create case").click().run()
    at.button(key="rr_open").click().run()
    at.switch_page("views/case.py").run()
    assert not at.exception, at.exception
    reports = {
        el.proto.label: el.proto
        for el in at.get("download_button")
        if el.proto.label in ("Report (HTML)", "Report (JSON)", "FHIR R4 Bundle")
    }
    assert len(reports) == 3
    for label, proto in reports.items():
        assert proto.url == "", label  # nothing served until someone asks for it
        assert proto.deferred_file_id, label
