"""One records-request letter as a printable HTML page (the patient prints or e-mails it)."""

from __future__ import annotations

import re
from html import escape

from checklists.requests import RecordsRequest


def letter_html(req: RecordsRequest) -> str:
    """A self-contained page holding the letter's text as written, in a serif letter face.

    Marked with the letter's language (a screen reader reads Chinese as Chinese) and held
    in a <main> landmark.
    """
    return (
        f"<!doctype html><html lang='{escape(req.language)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>"
        f"{escape(req.subject)}</title><style>body{{font-family:'DejaVu Serif',Georgia,"
        "'WenQuanYi Micro Hei','Noto Serif CJK SC',serif;max-width:40rem;margin:2rem auto;"
        "padding:0 1rem;line-height:1.5;color:#111;background:#fff}}main{{white-space:pre-wrap}}"
        "</style></head><body><main>"
        f"{escape(req.text)}</main></body></html>"
    )


def _slug(text: str | None) -> str:
    return re.sub(r"[^a-z0-9]+", "-", (text or "").lower()).strip("-")[:40].strip("-")


def letter_file_name(req: RecordsRequest, index: int) -> str:
    """records-request-<record>-<office>.html, so a folder of them says which is which
    (names in other scripts fall back to the letter's number)."""
    parts = [p for p in (_slug(req.requirement_id), _slug(req.institution)) if p]
    return "records-request-" + "-".join(parts or [str(index + 1)]) + ".html"
