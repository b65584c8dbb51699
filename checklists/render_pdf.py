"""The report as a PDF: the HTML report printed by headless Chromium, else a plain ReportLab one.

Chromium prints exactly the page the HTML download shows. Where no Chromium is installed
(a slim server), ReportLab makes a simpler PDF with the same words, so a download never
fails for want of a browser.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from html import escape
from pathlib import Path

from checklists.patient_words import DEFAULT_LANGUAGE, patient_words
from checklists.render_html import render_html
from checklists.report import Report
from checklists.wording import (
    STATUS_LABEL,
    View,
    patient_next_step,
    patient_problem,
    patient_status,
    patient_summary,
    patient_title,
)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ENGINE = "headless Chromium (print to PDF)"
REPORTLAB_ENGINE = "ReportLab"
# Chinese reports need a CJK font at run time (Debian: fonts-wqy-microhei).
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
# A report prints in a few seconds; a browser stuck longer than this is not going to finish.
PRINT_TIMEOUT_S = 90


def find_chromium(chromium: str = CHROMIUM) -> str | None:
    """`chromium` if it runs here, else a `chromium` on PATH, else None."""
    return shutil.which(chromium) or shutil.which("chromium")


def pdf_engine(chromium: str = CHROMIUM) -> str:
    """What a PDF made now would be made with (shown next to the download button)."""
    return CHROMIUM_ENGINE if find_chromium(chromium) else REPORTLAB_ENGINE


def chromium_pdf(page_html: str, chromium: str = CHROMIUM) -> bytes | None:
    """`page_html` printed to PDF by headless Chromium; None without one or when it fails."""
    exe = find_chromium(chromium)
    if not exe:
        return None
    with tempfile.TemporaryDirectory(prefix="rr-pdf-") as tmp:
        src, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        src.write_text(page_html, encoding="utf-8")
        cmd = [
            exe,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={tmp}/profile",
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        try:
            subprocess.run(cmd, capture_output=True, timeout=PRINT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            return None
        return out.read_bytes() if out.exists() and out.stat().st_size > 0 else None


def _unicode_font() -> str:
    """A font ReportLab can set Chinese (and Latin) in: WenQuanYi Micro Hei when installed
    (embedded in the PDF), else ReportLab's built-in CID font for Simplified Chinese."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if "RRUnicode" in pdfmetrics.getRegisteredFontNames():
        return "RRUnicode"
    if Path(CJK_FONT).is_file():
        pdfmetrics.registerFont(TTFont("RRUnicode", CJK_FONT, subfontIndex=0))
        return "RRUnicode"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


def reportlab_pdf(
    report: Report, view: View = "coordinator", language: str = DEFAULT_LANGUAGE
) -> bytes:
    """A plain PDF of the report: items, their status and what to do, the file problems."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    patient = view == "patient"
    w = patient_words(language if patient else DEFAULT_LANGUAGE)
    if w.language != DEFAULT_LANGUAGE:
        font = _unicode_font()
        for style in styles.byName.values():
            style.fontName = font
            style.wordWrap = "CJK"
    program = w.program_text(report.program.title)
    story: list[Flowable] = [
        Paragraph(escape(f"RecordReady: {program}"), styles["Title"]),
        Paragraph(
            escape(patient_summary(report, w))
            if patient
            else ("Ready for review" if report.ready else "Not ready yet"),
            styles["Heading2"],
        ),
    ]
    for item in report.items:
        if patient:
            title, status, text = (
                patient_title(item, w),
                patient_status(item, w),
                patient_next_step(item, w),
            )
        else:
            title, status, text = item.title, STATUS_LABEL[item.status], item.detail
        story.append(Paragraph(f"<b>{escape(title)}</b> — {escape(status)}", styles["Normal"]))
        if text:
            story.append(Paragraph(escape(text), styles["Normal"]))
        story.append(Spacer(1, 6))
    for p in report.problems:
        line = patient_problem(p, w) if patient else f"{p.file}: {p.kind.value}"
        story.append(Paragraph(escape(line), styles["Normal"]))
    buf = io.BytesIO()
    title = w.say("report_doc_title", program=program) if patient else "RecordReady report"
    SimpleDocTemplate(buf, pagesize=A4, title=title, lang=w.language).build(story)
    return buf.getvalue()


def render_pdf(
    report: Report,
    view: View = "coordinator",
    chromium: str = CHROMIUM,
    language: str = DEFAULT_LANGUAGE,
) -> tuple[bytes, str]:
    """(PDF bytes, what made them): Chromium's print of the HTML report, else ReportLab's."""
    pdf = chromium_pdf(render_html(report, view, language), chromium)
    if pdf is not None:
        return pdf, CHROMIUM_ENGINE
    return reportlab_pdf(report, view, language), f"{REPORTLAB_ENGINE} (Chromium not available)"
