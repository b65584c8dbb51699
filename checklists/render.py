"""Pick a renderer by format name: json, md, html or fhir as text; any of them or pdf as a download."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from checklists.patient_words import DEFAULT_LANGUAGE
from checklists.render_fhir import render_fhir
from checklists.render_html import render_html
from checklists.render_json import render_json
from checklists.render_markdown import render_markdown
from checklists.render_pdf import CHROMIUM, render_pdf
from checklists.report import Report
from checklists.wording import View

Format = Literal["json", "md", "html", "fhir"]

RENDERERS: dict[str, Callable[[Report, View, str], str]] = {
    "json": render_json,
    "md": render_markdown,
    "html": render_html,
    # FHIR carries codes, not patient sentences: one language.
    "fhir": lambda report, view, _language: render_fhir(report, view),
}
MIME = {
    "json": "application/json",
    "md": "text/markdown",
    "html": "text/html",
    "fhir": "application/fhir+json",
}
# The download's file name ending for each format.
SUFFIX = {"json": "json", "md": "md", "html": "html", "fhir": "fhir.json", "pdf": "pdf"}


def render(
    report: Report,
    fmt: Format = "json",
    view: View = "coordinator",
    language: str = DEFAULT_LANGUAGE,
) -> str:
    """The report as text; the patient view's words (and its letters) in `language`."""
    return RENDERERS[fmt](report, view, language)


@dataclass(frozen=True)
class Download:
    data: bytes
    mime: str
    engine: str  # what made a PDF; "" for the text formats


def render_download(
    report: Report,
    fmt: str,
    view: View = "coordinator",
    chromium: str = CHROMIUM,
    language: str = DEFAULT_LANGUAGE,
) -> Download:
    """The report as a file to download: json, md, html, fhir or pdf (Chromium, else ReportLab)."""
    if fmt == "pdf":
        data, engine = render_pdf(report, view, chromium, language)
        return Download(data, "application/pdf", engine)
    if fmt not in RENDERERS:
        raise ValueError(f"unknown format {fmt!r}")
    return Download(RENDERERS[fmt](report, view, language).encode("utf-8"), MIME[fmt], "")
