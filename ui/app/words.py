"""Plain words for statuses, problems and documents, shared by the patient and staff pages."""

from __future__ import annotations

import datetime as dt

from checklists.report import Item, Problem, ProblemKind, Status
from extractors.vocabulary import DOC_TYPE_LABELS, DocType
from ui.app.theme import esc

# What a patient is asked to do about a file that could not be used.
PROBLEM_WORDS: dict[ProblemKind, tuple[str, str]] = {
    ProblemKind.UNREADABLE: (
        "unreadable",
        "We could not read the text. Please re-scan it (flat, good light, all edges in view) or send the original PDF.",
    ),
    ProblemKind.ENCRYPTED: (
        "unreadable",
        "The file is password-protected. Please send a copy without a password, or print it and scan it.",
    ),
    ProblemKind.CORRUPT: (
        "unreadable",
        "The file is damaged and cannot be opened. Please download or scan it again.",
    ),
    ProblemKind.EMPTY: ("unreadable", "The file is empty. Please check you picked the right file."),
    ProblemKind.UNSUPPORTED: (
        "unreadable",
        "This kind of file cannot be read. Please send a PDF, photo, TIFF, Word file or e-mail.",
    ),
    ProblemKind.TOO_LARGE: (
        "unreadable",
        "The file is too large. Please split it or send the pages you need.",
    ),
    ProblemKind.IDENTITY_MISMATCH: (
        "not_yours",
        "This looks like another person's record (the name or date of birth does not match yours). It is not counted. If it is yours, your care team can confirm it.",
    ),
    ProblemKind.DUPLICATE: (
        "duplicate",
        "The same document was uploaded twice; one copy is enough.",
    ),
}

FILE_STATUS_WORDS = {
    "queued": ("reading", "Waiting"),
    "processing": ("reading", "Reading"),
    "done": ("received", "Read"),
    "error": ("unreadable", "Cannot read"),
}


def item_status_key(item: Item) -> str:
    if item.status is Status.MET:
        return "received"
    if item.status is Status.WAIVED:
        return "waived"
    if item.status is Status.MISSING:
        return "missing" if item.required else "advisory"
    if item.status is Status.STALE:
        return "stale"
    if item.status is Status.OUT_OF_RANGE:
        return "out_of_range"
    return "needs_review"


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


def evidence_html(item: Item) -> str:
    """Which document satisfied (or came closest to) an item, escaped."""
    if not item.evidence:
        return ""
    parts = [f"<b>{esc(e.file)}</b>, {esc(pages_words(e.pages))}" for e in item.evidence[:3]]
    extra = f" and {len(item.evidence) - 3} more" if len(item.evidence) > 3 else ""
    return "From " + "; ".join(parts) + extra


def patient_item_body(item: Item) -> str:
    """The patient's view of one item: what it is, what we found, what to ask for."""
    key = item_status_key(item)
    msg = esc(item.patient_message)
    found = evidence_html(item)
    dated = f" dated <b>{esc(date_words(item.document_date))}</b>" if item.document_date else ""
    if key == "received":
        return f"{found}{dated}." if found else "Received."
    if key == "waived":
        return "Your care team has marked this one as not needed for you."
    if key in ("missing", "advisory"):
        return msg
    if key == "stale":
        age = f" ({item.age_days} days old)" if item.age_days is not None else ""
        window = (
            f" It needs to be from the last <b>{item.max_age_days} days</b>."
            if item.max_age_days
            else ""
        )
        return f"The one we have{dated}{age} is too old.{window} {msg}"
    if key == "out_of_range":
        return f"{found}{dated}. Your care team will look at a value in it with you."
    return f"{found}{dated}. We are not fully sure about this one; your care team will check it."


def problem_words(p: Problem) -> tuple[str, str]:
    return PROBLEM_WORDS.get(p.kind, ("unreadable", esc(p.detail)))
