"""Every page in a real browser, in English and in Chinese, checked by axe-core (WCAG 2.1 AA).

One `streamlit run` serves the whole module. A patient whose browser asks for Chinese
gets Chinese, one whose browser asks for English gets English, and either can switch with
the visible language switch. A records request to a hospital named in Chinese is written
in Chinese whatever the patient reads. Each page (patient start, patient checklist,
sign-in, cases, case view, audit log) and the downloaded HTML reports must have no
serious or critical axe violation. Screenshots at 1280x800 and 390x844 of every page go
to tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checklists.patient_words import patient_words
from intake.access.auth import Accounts, Role
from intake.store.db import session_factory
from tests.app.browser_signin import sign_in
from tests.reading.builders import eml_with, text_pdf
from tests.security.live_server import live_app
from tests.understanding.fixtures import TEXTS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROME_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
ADMIN = ("ada", "admin pw 12345")
PROGRAM = "cart-mm"
# The patient's browser's own language.
LOCALE = {"en": "en-US", "zh": "zh-CN"}
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
# wcag22aa brings in target-size (24x24 px), which the issue asks for as well.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _serve(tmp_path_factory.mktemp("a11y"))


@pytest.fixture
def staff_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of its own, so the one case on the Cases page is the one this test made."""
    yield from _serve(tmp_path_factory.mktemp("a11y-staff"))


def _serve(tmp: Path) -> Iterator[str]:
    home = tmp / "home"
    home.mkdir()
    Accounts(session_factory(f"sqlite:///{home / 'recordready.db'}")).add(*ADMIN, Role.ADMIN)
    with live_app(home, tmp / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from playwright.sync_api import expect, sync_playwright

    # A first render on a busy 2-core machine takes seconds, not Playwright's default 5.
    expect.set_options(timeout=30_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROME_ARGS)
        try:
            yield b
        finally:
            b.close()


def _settle(page: Any) -> None:
    """Wait until Streamlit has finished running the script (no spinner, no stale elements)."""
    page.wait_for_load_state("networkidle")
    page.locator("[data-testid=stStatusWidget]").wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(300)


def axe_serious(page: Any) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the page, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    out = []
    for v in result.response["violations"]:
        if v.get("impact") in ("serious", "critical"):
            targets = [", ".join(map(str, n.get("target", []))) for n in v["nodes"][:3]]
            out.append(f"{v['impact']} {v['id']}: {v['help']} at {targets}")
    return out


def _check_page(page: Any, name: str) -> None:
    """axe at both widths (the phone layout is its own page), and a screenshot of each."""
    problems: list[str] = []
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)
        page.screenshot(path=str(ARTIFACTS / f"a11y-{name}-{label}.png"))
        problems += [f"{label}: {p}" for p in axe_serious(page)]
        _full_shot(page, f"a11y-{name}-{label}-full", width, height)
        if label == "phone":
            scroll = page.evaluate("document.documentElement.scrollWidth")
            assert scroll <= width + 10, (
                f"{name}: page scrolls sideways at phone width ({scroll}px)"
            )
    width, height = WIDTHS["desktop"]
    page.set_viewport_size({"width": width, "height": height})
    assert not problems, f"{name}: axe found\n" + "\n".join(problems)


def _full_shot(page: Any, name: str, width: int, height: int) -> None:
    """The whole page: Streamlit scrolls inside its main block, so grow the viewport to it."""
    tall = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], body')]"
        ".map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(int(tall), height), 6000)})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size({"width": width, "height": height})


def _files() -> list[tuple[str, bytes]]:
    """A Chinese hospital's pathology report, forwarded by e-mail (read without OCR: fast)."""
    return [("outside-records.eml", eml_with(TEXTS["zh_pathology"][1], {}))]


def _upload(page: Any, files: list[tuple[str, bytes]]) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(
        [{"name": n, "mimeType": "application/octet-stream", "buffer": b} for n, b in files]
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_patient_pages_in_the_browsers_language_pass_axe(
    server: str, browser: Any, lang: str
) -> None:
    from playwright.sync_api import expect

    w = patient_words(lang)
    ctx = browser.new_context(
        viewport={"width": 1280, "height": 800},
        locale=LOCALE[lang],  # what the browser sends as Accept-Language
        accept_downloads=True,
    )
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(server)
        expect(page.get_by_role("heading", name=w.say("start_title"))).to_be_visible()
        expect(page.locator("html")).to_have_attribute("lang", lang)
        # The program's own words are in the patient's language too.
        from checklists.loader import get_program

        program = get_program(PROGRAM)
        expect(page.get_by_text(w.program_text(program.title), exact=True)).to_be_visible()
        _settle(page)
        _check_page(page, f"patient-start-{lang}")

        page.get_by_text(w.program_text(program.title), exact=True).click()
        page.get_by_role("button", name=w.say("start_button")).click()
        expect(page.get_by_role("heading", name=w.say("checklist_title"))).to_be_visible()
        _upload(page, _files())
        needed = page.locator(".rr-banner").filter(has_text=w.say("banner_needed_rest"))
        expect(needed).to_be_visible(timeout=120_000)
        expect(page.get_by_text(w.say("banner_reading"))).to_have_count(0, timeout=120_000)
        body = page.inner_text("body")
        assert w.say("still_needed") in body
        assert w.program_text(program.requirements[-1].patient_title or "") in body
        # The letter to the Chinese hospital is in Chinese, whatever the patient reads.
        zh = patient_words("zh")
        page.get_by_text("华东医院病理科").first.click()
        letter = page.locator(".rr-letter[lang=zh]").first
        expect(letter).to_be_visible()
        assert zh.write("please_send") in letter.inner_text()
        _settle(page)
        _check_page(page, f"patient-checklist-{lang}")

        # The patient's report, downloaded, in the patient's language and clean for axe.
        with page.expect_download() as got:
            page.get_by_role("button", name=w.say("download_checklist")).click()
        report_html = Path(got.value.path()).read_text(encoding="utf-8")
        assert f"<html lang='{lang}'>" in report_html and "<main>" in report_html
        assert w.say("what_to_do") in report_html
        report = ctx.new_page()
        report.set_content(report_html)
        _check_page(report, f"patient-report-{lang}")
        report.close()

        # The visible switch changes the language on the spot, and a reload keeps it.
        other = "en" if lang == "zh" else "zh"
        ow = patient_words(other)
        page.get_by_text(ow.name, exact=True).click()
        expect(page.get_by_role("heading", name=ow.say("checklist_title"))).to_be_visible()
        page.reload()
        expect(page.get_by_role("heading", name=ow.say("checklist_title"))).to_be_visible()
    finally:
        ctx.close()


def test_patient_pdf_report_is_in_chinese(server: str) -> None:
    """The PDF a Chinese-reading patient downloads holds Chinese text (a CJK font embedded)."""
    import datetime as dt

    import pdfplumber

    from checklists.evaluate import CaseInfo, evaluate
    from checklists.loader import get_program
    from checklists.render_html import render_html
    from checklists.render_pdf import chromium_pdf, reportlab_pdf
    from extractors.documents import find_documents
    from extractors.pages import read_item
    from extractors.sources import expand_bytes

    docs, texts = [], []
    for name, data in _files():
        for item in expand_bytes(name, data):
            ft = read_item(item)
            texts.append(ft)
            docs += find_documents(ft)
    report = evaluate(
        get_program(PROGRAM), docs, texts, CaseInfo(case_id="c1", as_of=dt.date(2026, 11, 20))
    )
    zh = patient_words("zh")
    wanted = zh.say("what_to_do")
    printed = chromium_pdf(render_html(report, "patient", "zh"), CHROMIUM)
    assert printed is not None
    for pdf in (printed, reportlab_pdf(report, "patient", "zh")):
        with pdfplumber.open(io.BytesIO(pdf)) as doc:
            text = "".join(p.extract_text() or "" for p in doc.pages)
        assert zh.program_text(report.program.title)[:8] in text.replace(" ", "")
    assert wanted in "".join(
        p.extract_text() or "" for p in pdfplumber.open(io.BytesIO(printed)).pages
    ).replace(" ", "")


def test_staff_pages_pass_axe(staff_server: str, browser: Any) -> None:
    from playwright.sync_api import expect

    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    try:
        # A case with a document, so the case view has a checklist, a page image and text.
        page.goto(staff_server)
        page.get_by_text(patient_words().program_text(_title()), exact=True).click()
        page.get_by_role("button", name=patient_words().say("start_button")).click()
        pdf = text_pdf([TEXTS["pathology_us"][1].splitlines()])
        _upload(page, [("pathology.pdf", pdf)])
        expect(page.locator(".rr-banner")).to_be_visible(timeout=120_000)
        # Read, not only received: the case view below needs its document.
        expect(page.get_by_text(patient_words().say("banner_reading"))).to_have_count(
            0, timeout=120_000
        )
        expect(page.get_by_text("pathology.pdf").first).to_be_visible()

        page.goto(f"{staff_server}/signin")
        _settle(page)
        _check_page(page, "staff-signin")
        sign_in(page, staff_server, ADMIN[0], ADMIN[1])
        _settle(page)
        _check_page(page, "staff-cases")
        page.get_by_role("button", name="Open case").first.click()
        expect(page.get_by_text("All cases")).to_be_visible()
        _settle(page)
        _check_page(page, "staff-case")
        # The report comes from a signed-in route when its link is followed (issue 16
        # row 12: it sat at an open /media URL on every view).
        page.get_by_role("tab", name="Share & download").click()
        with page.expect_download() as got:
            page.get_by_role("link", name="Report (HTML)").click()
        assert "<html" in Path(got.value.path()).read_text(encoding="utf-8")[:2000].lower()
        # The originals come the same way, through the browser's own cookie.
        page.get_by_role("tab", name="Files").click()
        with page.expect_download() as got:
            page.get_by_role("link", name="Original of pathology.pdf").click()
        assert Path(got.value.path()).read_bytes()[:5] == b"%PDF-"
        assert got.value.suggested_filename == "pathology.pdf"
        page.get_by_role("tab", name="Documents").click()
        page.locator("[data-testid=stExpander] summary").first.click()
        expect(page.locator("figure img[alt^='Page ']").first).to_be_visible()
        _settle(page)
        _check_page(page, "staff-case-documents")
        page.get_by_role("link", name="Audit log").click()
        expect(page.get_by_role("heading", name="Audit log")).to_be_visible()
        _settle(page)
        _check_page(page, "staff-audit")
    finally:
        ctx.close()


def _title() -> str:
    from checklists.loader import get_program

    return get_program(PROGRAM).title
