"""One records-request letter as a printable HTML page (the patient prints or e-mails it)."""

from __future__ import annotations

from html import escape

from checklists.requests import RecordsRequest


def letter_html(req: RecordsRequest) -> str:
    """A self-contained page holding the letter's text as written, in a serif letter face."""
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>"
        f"{escape(req.subject)}</title><style>body{{font-family:'DejaVu Serif',Georgia,serif;max-width:40rem;"
        "margin:2rem auto;padding:0 1rem;line-height:1.5;white-space:pre-wrap}}</style></head><body>"
        f"{escape(req.text)}</body></html>"
    )
