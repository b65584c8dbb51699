"""Look and feel: one stylesheet, status colours and icons, small HTML cards.

Every piece of text that reaches HTML here goes through `esc` and every label through
`md` (checklists.escaping): names, institutions and file names come from uploaded
documents and must never be able to inject markup or Markdown.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

import streamlit as st

from checklists.escaping import html_in_markdown, markdown_text

APP_TITLE = "RecordReady"
_LANG_CODE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class Status:
    label: str
    icon: str
    fg: str
    bg: str


# The colour and icon of every status, and the coordinator's label for it. The patient's
# pages pass their own words (checklists/words/*.yaml) as the label.
STATUSES: dict[str, Status] = {
    "received": Status("Received", "✓", "#0f5132", "#d1e7dd"),
    "waived": Status("Waived", "✓", "#41464b", "#e2e3e5"),
    "missing": Status("Missing", "✗", "#842029", "#f8d7da"),
    "stale": Status("Too old", "↻", "#7a4d00", "#fff3cd"),
    "out_of_range": Status("Needs a look", "!", "#7a4d00", "#fff3cd"),
    "needs_review": Status("Being checked", "?", "#084298", "#cfe2ff"),
    "clearer_copy": Status("Needs a clearer copy", "⚠", "#842029", "#f8d7da"),
    "not_applicable": Status("Not needed", "–", "#41464b", "#e2e3e5"),
    "unreadable": Status("Unreadable", "⚠", "#842029", "#f8d7da"),
    "not_yours": Status("Not yours", "⊘", "#5a2a82", "#eadcf8"),
    "duplicate": Status("Duplicate", "≡", "#41464b", "#e2e3e5"),
    "advisory": Status("Helpful, not required", "ℹ", "#084298", "#cfe2ff"),
    "reading": Status("Reading", "…", "#084298", "#cfe2ff"),
    "ready": Status("Ready for review", "✓", "#0f5132", "#d1e7dd"),
    "not_ready": Status("Not ready yet", "✗", "#842029", "#f8d7da"),
}

_CSS = """
<style>
:root { --rr-ink: #1f2933; --rr-muted: #52606d; --rr-line: #e4e7eb; --rr-brand: #1d4ed8; }
.block-container { padding-top: 2.2rem; max-width: 1100px; }
h1, h2, h3 { color: var(--rr-ink); letter-spacing: -0.01em; }
.rr-brand { display:flex; align-items:center; gap:.55rem; font-weight:700; font-size:1.05rem;
  color: var(--rr-brand); margin-bottom:.25rem; }
.rr-brand .rr-logo { display:inline-flex; width:1.7rem; height:1.7rem; border-radius:.45rem;
  background: var(--rr-brand); color:#fff; align-items:center; justify-content:center; font-size:.95rem; }
.rr-lede { color: var(--rr-muted); font-size: 1.02rem; margin: -.3rem 0 1rem 0; }
.rr-chip { display:inline-flex; align-items:center; gap:.3rem; padding:.12rem .6rem; border-radius:999px;
  font-size:.82rem; font-weight:600; white-space:nowrap; }
.rr-card { border:1px solid var(--rr-line); border-left-width:5px; border-radius:.6rem; padding:.75rem 1rem;
  margin:.45rem 0; background:#fff; }
.rr-card .rr-head { display:flex; justify-content:space-between; gap:.75rem; align-items:flex-start; flex-wrap:wrap; }
.rr-card .rr-title { font-weight:650; color:var(--rr-ink); font-size:1.0rem; }
.rr-card .rr-body { color:var(--rr-muted); font-size:.93rem; margin-top:.3rem; line-height:1.45; }
.rr-card .rr-body b { color: var(--rr-ink); }
.rr-summary { display:flex; gap:.6rem; flex-wrap:wrap; margin:.4rem 0 1rem 0; }
.rr-stat { flex:1 1 7rem; border:1px solid var(--rr-line); border-radius:.6rem; padding:.55rem .8rem; background:#fafbfc; }
.rr-stat .n { font-size:1.5rem; font-weight:700; line-height:1.1; }
.rr-stat .l { font-size:.8rem; color:var(--rr-muted); text-transform:uppercase; letter-spacing:.04em; }
.rr-banner { border-radius:.7rem; padding:.9rem 1.1rem; margin:.3rem 0 1rem 0; font-size:1.02rem; }
.rr-copy { min-height:2.5rem; padding:.4rem .9rem; margin:.5rem 0; border:1px solid var(--rr-brand);
  border-radius:.5rem; background:#fff; color:var(--rr-brand); font:inherit; cursor:pointer; }
.rr-copy:focus-visible { outline:3px solid var(--rr-brand); outline-offset:2px; }
a.rr-dl { display:flex; align-items:center; justify-content:center; min-height:2.5rem; padding:.4rem .9rem;
  margin:.2rem 0; border:1px solid var(--rr-line); border-radius:.5rem; background:#fff; color:var(--rr-ink);
  text-decoration:none; font-weight:500; }
a.rr-dl:hover { border-color: var(--rr-brand); color: var(--rr-brand); }
a.rr-dl:focus-visible { outline:3px solid var(--rr-brand); outline-offset:2px; }
.rr-letter { border:1px solid var(--rr-line); border-radius:.5rem; padding:1rem 1.2rem; background:#fff;
  font-family: Georgia, 'DejaVu Serif', serif; white-space:pre-wrap; font-size:.93rem; color:#111; }
.rr-file { display:flex; justify-content:space-between; gap:.5rem; align-items:center; padding:.35rem 0;
  border-bottom:1px solid var(--rr-line); font-size:.92rem; }
.rr-file .name { overflow-wrap:anywhere; }
.rr-muted { color: var(--rr-muted); }
/* WCAG 2.1 AA. Streamlit greys captions and help text to about 3.9:1 on white; ours are
   4.5:1 or better (#52606d is 6.4:1). */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] p, [data-testid="stMarkdownContainer"] small,
[data-testid="stRadio"] [data-testid="stCaptionContainer"] p { color: var(--rr-muted) !important; opacity: 1 !important; }
/* Keyboard focus always shows, on every control, links and tabs included. */
a:focus-visible, button:focus-visible, [role="tab"]:focus-visible, [role="radio"]:focus-visible,
input:focus-visible, textarea:focus-visible, summary:focus-visible, [tabindex]:focus-visible,
label:focus-within {
  outline: 3px solid var(--rr-brand) !important; outline-offset: 2px !important; border-radius: .25rem; }
/* Targets of at least 24x24 px: the calendar's days and the small icon buttons. */
[data-baseweb="calendar"] [role="gridcell"], [data-baseweb="calendar"] button,
[data-testid="stDateInput"] button, [data-testid="stNumberInput"] button {
  min-width: 24px !important; min-height: 24px !important; }
/* Section headings are h2 (st.header) under the page's h1, sized as sub-headings. */
[data-testid="stHeading"] h2, .stMarkdown h2 { font-size: 1.45rem; font-weight: 650; padding: .6rem 0 .2rem 0; }
/* Text read from a document: selectable and copyable, dark on white. */
.rr-text { white-space: pre-wrap; font-family: 'DejaVu Sans Mono', monospace; font-size: .85rem;
  color: var(--rr-ink); background: #fff; border: 1px solid var(--rr-line); border-radius: .5rem;
  padding: .6rem .8rem; max-height: 28rem; overflow: auto; user-select: text; }
@media (max-width: 640px) {
  .block-container { padding-left: .8rem; padding-right: .8rem; padding-top: 1.2rem; }
  .rr-stat { flex: 1 1 40%; }
  .rr-stat .n { font-size:1.2rem; }
  .rr-card { padding:.65rem .75rem; }
  [data-testid="stHeading"] h2, .stMarkdown h2 { font-size: 1.25rem; }
}
@media print {
  header, [data-testid="stSidebar"], [data-testid="stToolbar"], .stButton, .stDownloadButton { display:none !important; }
}
</style>
"""


def esc(text: object) -> str:
    """Text for HTML given to `st.markdown`: Markdown reads it before the browser does, so
    both HTML and Markdown syntax are defused (a file name `![x](//host/x.png)` must not
    become a remote image)."""
    return html_in_markdown(text)


def md(text: object) -> str:
    """Text for a Streamlit label, caption, title or toast: these read Markdown, not HTML."""
    return markdown_text(text)


def download_link(label: str, url: str, aria_label: str | None = None) -> None:
    """A button-like link to one of our own signed-in download routes (download_routes.py):
    the browser fetches it with the staff cookie, so no bytes wait at a /media URL."""
    named = f' aria-label="{html.escape(aria_label)}"' if aria_label else ""
    st.html(f'<a class="rr-dl" href="{html.escape(url)}"{named} download>{html.escape(label)}</a>')


def install() -> None:
    st.markdown(_CSS, unsafe_allow_html=True)


def set_language(code: str) -> None:
    """Mark the page's language (<html lang>), so screen readers and fonts read it right."""
    if not _LANG_CODE.match(code):
        return
    st.html(
        f"<script>document.documentElement.lang = {json.dumps(code)};</script>",
        unsafe_allow_javascript=True,
    )


def brand(subtitle: str | None = None, language: str = "en") -> None:
    """The app's name at the top of a page, which also marks the page's language."""
    set_language(language)
    st.markdown(
        f'<div class="rr-brand"><span class="rr-logo">✓</span>{APP_TITLE}'
        + (
            f'<span class="rr-muted" style="font-weight:500">· {esc(subtitle)}</span>'
            if subtitle
            else ""
        )
        + "</div>",
        unsafe_allow_html=True,
    )


def chip(status: str, label: str | None = None) -> str:
    s = STATUSES.get(status, STATUSES["needs_review"])
    return (
        f'<span class="rr-chip" style="color:{s.fg};background:{s.bg}">'
        f"{esc(s.icon)} {esc(label or s.label)}</span>"
    )


def card(status: str, title: str, body_html: str = "", chip_label: str | None = None) -> str:
    """A status card. `body_html` must already be escaped by the caller (it may hold <b>)."""
    s = STATUSES.get(status, STATUSES["needs_review"])
    return (
        f'<div class="rr-card" style="border-left-color:{s.fg}">'
        f'<div class="rr-head"><span class="rr-title">{esc(title)}</span>{chip(status, chip_label)}</div>'
        + (f'<div class="rr-body">{body_html}</div>' if body_html else "")
        + "</div>"
    )


def summary(stats: list[tuple[str, int | str, str]]) -> str:
    """Big-number tiles: (label, value, status for the colour)."""
    tiles = "".join(
        f'<div class="rr-stat"><div class="n" style="color:{STATUSES.get(st_, STATUSES["advisory"]).fg}">'
        f'{esc(n)}</div><div class="l">{esc(label)}</div></div>'
        for label, n, st_ in stats
    )
    return f'<div class="rr-summary">{tiles}</div>'


def banner(status: str, text_html: str) -> str:
    s = STATUSES.get(status, STATUSES["advisory"])
    return (
        f'<div class="rr-banner" style="background:{s.bg};color:{s.fg};border:1px solid {s.fg}33">'
        f"{text_html}</div>"
    )
