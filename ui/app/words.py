"""The app's side of the patient's words: colours for them, and escaping for Streamlit markdown.

What a patient is told about an item, a problem file or an upload's state comes from
`checklists.wording` (checklists/words/<language>.yaml), the same words the downloaded
reports use; this module only picks each one's colour (a `theme.STATUSES` key) and escapes
it into the cards' HTML. Coordinator-only words (dates, pages, evidence) live here too.
"""

from __future__ import annotations

import datetime as dt

from checklists.patient_words import PatientWords, patient_words
from checklists.report import Item, Problem, ProblemKind, Status
from checklists.wording import (
    file_state,
    patient_key,
    patient_next_step,
    patient_problem,
    patient_status,
    patient_title,
    problem_label,
)
from extractors.vocabulary import DOC_TYPE_LABELS, DocType
from ui.app import theme
from ui.app.theme import esc

# The colour of a file problem's card; every other problem is a file we could not read.
_PROBLEM_COLOUR = {ProblemKind.IDENTITY_MISMATCH: "not_yours", ProblemKind.DUPLICATE: "duplicate"}
_FILE_STATE_COLOUR = {
    "queued": "reading",
    "processing": "reading",
    "done": "received",
    "error": "unreadable",
}


def file_chip(state: str, words: PatientWords | None = None) -> str:
    """The chip of one upload's state ("Reading"), for the patient and the care team alike."""
    return theme.chip(_FILE_STATE_COLOUR.get(state, "reading"), file_state(state, words))


def item_status_key(item: Item) -> str:
    """The coordinator's colour and label of an item (a `theme.STATUSES` key)."""
    if item.status is Status.MISSING and not item.required:
        return "advisory"
    return {
        Status.MET: "received",
        Status.WAIVED: "waived",
        Status.MISSING: "missing",
        Status.STALE: "stale",
        Status.OUT_OF_RANGE: "out_of_range",
    }.get(item.status, "needs_review")


def doc_label(doc_type: DocType | str | None) -> str:
    if doc_type is None:
        return "Document"
    try:
        return DOC_TYPE_LABELS[DocType(doc_type)]
    except ValueError:
        return str(doc_type)


def date_words(d: dt.date | None) -> str:
    return d.strftime("%-d %b %Y") if d else "no date found"


def pages_words(pages: tuple[int, int]) -> str:
    a, b = pages
    return f"page {a}" if a == b else f"pages {a}–{b}"


def evidence_html(item: Item, words: PatientWords | None = None) -> str:
    """Which document satisfied (or came closest to) an item, escaped.

    In the patient's words when given `words`; the care team's pages say it in English.
    """
    if not item.evidence:
        return ""
    if words is None:
        parts = [f"<b>{esc(e.file)}</b>, {esc(pages_words(e.pages))}" for e in item.evidence[:3]]
        extra = f" and {len(item.evidence) - 3} more" if len(item.evidence) > 3 else ""
        return "From " + "; ".join(parts) + extra
    w = words

    def where(pages: tuple[int, int]) -> str:
        a, b = pages
        return w.say("page_one", page=a) if a == b else w.say("page_range", first=a, last=b)

    parts = [f"<b>{esc(e.file)}</b>, {esc(where(e.pages))}" for e in item.evidence[:3]]
    if len(item.evidence) > 3:
        parts.append(esc(w.say("and_more", n=len(item.evidence) - 3)))
    return esc(w.say("from_files", files="\x00")).replace("\x00", "; ".join(parts))


def patient_item_card(item: Item, words: PatientWords | None = None) -> str:
    """One checklist item on the patient's page: where it stands and what to do next."""
    w = words or patient_words()
    found = evidence_html(item, w)
    step = esc(patient_next_step(item, w))
    if item.status is Status.MET:
        body = found
    elif found and item.status in (Status.OUT_OF_RANGE, Status.NEEDS_REVIEW):
        body = f"{found}<br>{step}"
    else:
        body = step
    return theme.card(patient_key(item), patient_title(item, w), body, patient_status(item, w))


def problem_card(p: Problem, words: PatientWords | None = None) -> str:
    """A file we could not use: what happened and what to do."""
    colour = _PROBLEM_COLOUR.get(p.kind, "unreadable")
    return theme.card(colour, p.file, esc(patient_problem(p, words)), problem_label(p, words))
