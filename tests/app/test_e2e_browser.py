"""End to end in a real browser: `streamlit run` on a free port, headless Chromium via Playwright.

A patient starts a case, uploads a sample text-PDF packet, waits for the checklist and
reads what is missing; then a coordinator signs in, opens the case and waives an item.
Screenshots (desktop and ~390 px phone width) go to tests/artifacts/ for a human to look at.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from intake.access.auth import Accounts, Role
from intake.store.db import session_factory
from tests.app.browser_signin import sign_in
from tests.security.live_server import live_app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_docs"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
USER = ("casey", "coordinator pw 1")


def _packet() -> tuple[str, list[Path], dict]:
    """A sample case made only of text PDFs (fast to read), with its expected gaps."""
    truth_path = SAMPLES / "ground_truth.json"
    if not truth_path.exists():
        pytest.skip("sample_docs/ground_truth.json not generated (make samples)")
    truth = json.loads(truth_path.read_text())
    best: tuple[int, str, list[Path], dict] | None = None
    for folder, case in truth.get("cases", {}).items():
        files = (
            sorted(p for p in (SAMPLES / folder).iterdir() if p.is_file() and p.name != "case.json")
            if (SAMPLES / folder).is_dir()
            else []
        )
        forms = [truth["files"].get(str(p.relative_to(SAMPLES)), {}).get("form") for p in files]
        usable = (
            files
            and all(f in ("text_pdf", "packet") for f in forms)
            and case["expected"].get("gaps")
        )
        if usable and (best is None or len(files) < best[0]):
            best = (len(files), folder, files, case)
    if best is None:
        pytest.skip("no text-PDF sample case with gaps in sample_docs")
    return best[1], best[2], best[3]


@pytest.fixture()
def server(tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "home"
    home.mkdir()
    Accounts(session_factory(f"sqlite:///{home / 'recordready.db'}")).add(*USER, Role.COORDINATOR)
    with live_app(home, tmp_path / "streamlit.log") as url:
        yield url


def _shot(page, name: str, width: int) -> None:  # noqa: ANN001
    """A whole-page screenshot: Streamlit scrolls inside its main block, so grow the viewport."""
    page.set_viewport_size({"width": width, "height": 900})
    page.wait_for_timeout(400)
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], [data-testid=stAppViewContainer], body')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(int(height) + 40, 8000)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": width, "height": 900})


def test_patient_uploads_packet_and_coordinator_waives(server: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    folder, files, case = _packet()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.set_default_timeout(30_000)
            page.goto(server)
            expect(page.get_by_text("Get your records ready")).to_be_visible()
            programs = (
                json.loads((SAMPLES / folder / "case.json").read_text())
                if (SAMPLES / folder / "case.json").exists()
                else {}
            )
            program_id = programs.get("program", case["program"])
            from checklists.loader import get_program

            title = get_program(program_id).title
            page.get_by_text(title, exact=True).click()
            _shot(page, "patient-start-desktop", 1280)
            page.get_by_role("button", name="Start my checklist").click()
            expect(page.get_by_role("heading", name="Your records checklist")).to_be_visible()
            # No case (and no link) until the first file arrives.
            assert "case=" not in page.url

            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
                [str(p) for p in files]
            )
            banner = (
                page.locator(".rr-banner")
                .filter(has_text="still needed")
                .or_(page.locator(".rr-banner").filter(has_text="look complete"))
            )
            expect(banner).to_be_visible(timeout=180_000)
            assert "case=" in page.url
            expect(page.get_by_text("Still reading")).to_have_count(0, timeout=180_000)
            body = page.inner_text("body")
            assert "still needed" in body
            from checklists.patient_words import StatusKey, patient_words

            # A record the patient sent and we used carries the words file's label for it.
            assert patient_words().statuses[StatusKey.RECEIVED].label in body
            # Each expected missing record is named on the patient page.
            from checklists.loader import get_program as _gp

            program = _gp(program_id)
            for gap in case["expected"]["gaps"]:
                if gap["status"] == "missing":
                    wanted = [
                        r.patient_title or r.title
                        for r in program.requirements
                        if gap.get("doc_type") in r.all_accepts()
                    ]
                    assert any(w in body for w in wanted), gap
                if gap["status"] == "stale":
                    from checklists.patient_words import StatusKey, patient_words

                    assert patient_words().statuses[StatusKey.STALE].label in body, gap
            _shot(page, "patient-checklist-desktop", 1280)
            _shot(page, "patient-checklist-phone", 390)
            page.set_viewport_size({"width": 390, "height": 844})
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 400, f"page scrolls sideways at phone width ({width}px)"
            page.set_viewport_size({"width": 1280, "height": 900})
            # The same file again is named, not swallowed; a file sent by mistake can go.
            page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(files[0]))
            expect(page.get_by_text(f'You already sent "{files[0].name}"')).to_be_visible()
            page.get_by_text("Your files").first.click()
            page.get_by_role("button", name="Remove").first.click()
            expect(
                page.get_by_text("from your checklist. Your care team can put it")
            ).to_be_visible()
            _shot(page, "patient-removed-desktop", 1280)

            staff = browser.new_page(viewport={"width": 1280, "height": 900})
            staff.set_default_timeout(30_000)
            _sign_in(staff, server)
            _shot(staff, "coordinator-cases-desktop", 1280)
            staff.get_by_role("button", name="Open case").click()
            expect(staff.get_by_text("All cases")).to_be_visible()
            staff.get_by_role("button", name="Waive").first.click()
            staff.get_by_label("Reason (kept in the record)").fill(
                "Done at the referring centre; copy on file"
            )
            staff.get_by_label("Reason (kept in the record)").press("Enter")
            staff.get_by_role("button", name="Waive this item").click()
            expect(staff.get_by_text("Done at the referring centre").first).to_be_visible()
            _shot(staff, "coordinator-case-desktop", 1280)
            _shot(staff, "coordinator-case-phone", 390)
            staff.get_by_role("tab", name="Documents").click()
            staff.locator("[data-testid=stExpander] summary").first.click()
            expect(staff.get_by_text("Correct this document").first).to_be_visible()
            expect(staff.locator("figure img[alt^='Page ']").first).to_be_visible()
            _shot(staff, "coordinator-document-desktop", 1280)
        finally:
            browser.close()


def _sign_in(page, server: str) -> None:  # noqa: ANN001
    sign_in(page, server, USER[0], USER[1])


def test_staff_session_survives_reload_and_new_tab_and_sign_out_ends_it_everywhere(
    server: str,
) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            ctx = browser.new_context(viewport={"width": 1280, "height": 800})
            ctx.set_default_timeout(30_000)
            first = ctx.new_page()
            _sign_in(first, server)
            cookie = [c for c in ctx.cookies() if c["name"] == "rr_staff"]
            # The browser holds the session only where page scripts cannot read it.
            assert len(cookie) == 1 and cookie[0]["httpOnly"] and cookie[0]["sameSite"] == "Strict"
            assert "rr_staff" not in first.evaluate("document.cookie")
            first.reload()
            expect(first.get_by_role("heading", name="Cases")).to_be_visible()
            second = ctx.new_page()
            second.goto(server)
            expect(second.get_by_role("heading", name="Cases")).to_be_visible()
            assert second.get_by_text("Page not found").count() == 0
            _shot(second, "staff-new-tab-desktop", 1280)

            first.get_by_role("link", name="Sign out").click()
            expect(first.get_by_role("heading", name="Sign in")).to_be_visible()
            assert not [c for c in ctx.cookies() if c["name"] == "rr_staff"]
            # The other tab is signed out at its next step, and a reload does not revive it.
            second.get_by_text("New case and patient link").click()
            second.get_by_role("button", name="Create case").click()
            expect(second.get_by_role("heading", name="Cases")).to_have_count(0)
            assert "Case created" not in second.inner_text("body")
            second.reload()
            expect(second.get_by_role("heading", name="Cases")).to_have_count(0)
            # A copied cookie of the ended session opens nothing in another browser either.
            other = browser.new_context()
            other.add_cookies([{**cookie[0]}])
            stolen = other.new_page()
            stolen.goto(server)
            stolen.wait_for_timeout(3000)
            expect(stolen.get_by_role("heading", name="Cases")).to_have_count(0)
        finally:
            browser.close()
