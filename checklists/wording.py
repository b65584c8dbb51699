"""Words shared by the Markdown and HTML renderers, for patients and for coordinators.

Patient words stay plain (short sentences, no test abbreviations, no status codes) and
always say what to do next.
"""

from __future__ import annotations

from typing import Literal

from checklists.report import Item, Problem, ProblemKind, Report, Status

View = Literal["patient", "coordinator"]

STATUS_LABEL: dict[Status, str] = {
    Status.MET: "Met",
    Status.MISSING: "Missing",
    Status.STALE: "Too old",
    Status.OUT_OF_RANGE: "Out of range",
    Status.NEEDS_REVIEW: "Needs review",
    Status.WAIVED: "Waived",
    Status.NOT_APPLICABLE: "Not needed",
}

PATIENT_STATUS: dict[Status, str] = {
    Status.MET: "We have this",
    Status.MISSING: "Still needed",
    Status.STALE: "Need a newer copy",
    Status.OUT_OF_RANGE: "Your care team will look at this",
    Status.NEEDS_REVIEW: "Being checked",
    Status.WAIVED: "Not needed for you",
    Status.NOT_APPLICABLE: "Not needed for you",
}


def patient_status(item: Item) -> str:
    if item.status == Status.NEEDS_REVIEW and item.review_reason == "unreadable":
        return "Need a clearer copy"
    return PATIENT_STATUS[item.status]


def patient_acts(item: Item) -> bool:
    """Whether the patient has something to send for this item (else the care team acts)."""
    if item.status == Status.NEEDS_REVIEW:
        return item.review_reason == "unreadable"
    return item.status in (Status.MISSING, Status.STALE)


def team_checks(item: Item) -> bool:
    return item.status == Status.OUT_OF_RANGE or (
        item.status == Status.NEEDS_REVIEW and not patient_acts(item)
    )


def patient_next_step(item: Item) -> str:
    """One or two plain sentences: why this is on the list and what to do."""
    if item.status == Status.MISSING:
        return f"We did not find this in what you sent. {item.patient_message}"
    if item.status == Status.STALE:
        when = f" is from {_long_date(item)}" if item.document_date else ""
        return f"The copy you sent{when}, which is too old. We need a newer one. {item.patient_message}"
    if item.status == Status.NEEDS_REVIEW and item.review_reason == "unreadable":
        return (
            "We could not read this record clearly. Please send a clearer copy: a PDF from the "
            "hospital, or a photo taken flat, in good light, with the whole page showing."
        )
    if item.status == Status.NEEDS_REVIEW:
        return (
            "We have a record that may be this one. Your care team will check it. "
            "You do not need to send anything now."
        )
    if item.status == Status.OUT_OF_RANGE:
        return (
            "We have this record. A result in it needs a closer look by your care team. "
            "You do not need to send anything; they will talk with you about it."
        )
    return ""


def _long_date(item: Item) -> str:
    d = item.document_date
    return f"{d:%B} {d.day}, {d.year}" if d else ""


def patient_problem(problem: Problem) -> str:
    f = problem.file
    return {
        ProblemKind.IDENTITY_MISMATCH: f'The file "{f}" seems to be about another person, so we did not use it. '
        "Please check that you sent the right file.",
        ProblemKind.DUPLICATE: f'You sent "{f}" more than once. That is fine; we used one copy.',
        ProblemKind.UNREADABLE: f'We could not read "{f}". Please send a clearer copy.',
        ProblemKind.ENCRYPTED: f'"{f}" has a password, so we could not open it. Please send a copy without a password.',
        ProblemKind.CORRUPT: f'"{f}" is damaged and would not open. Please send it again.',
        ProblemKind.EMPTY: f'"{f}" is empty. Please send it again.',
        ProblemKind.UNSUPPORTED: f'We cannot open files like "{f}". Please send a PDF or a photo instead.',
        ProblemKind.TOO_LARGE: f'"{f}" is too large. Please send a smaller copy, or split it into parts.',
    }[problem.kind]


def patient_summary(report: Report) -> str:
    needed = [i for i in report.items if i.required and patient_acts(i)]
    review = [i for i in report.items if team_checks(i)]
    if report.ready:
        return (
            "Your records look complete for this review. Your care team will now look at them. "
            "You do not need to send anything else right now."
        )
    parts = []
    if needed:
        n = len(needed)
        parts.append(f"We still need {n} record{'s' if n != 1 else ''} from you.")
    if review:
        parts.append("Your care team needs to look closely at some results.")
    if any(p.kind == ProblemKind.IDENTITY_MISMATCH for p in report.problems):
        parts.append("One or more files seem to belong to another person.")
    return " ".join(parts) or "Your care team is checking your records."


def coordinator_values(item: Item) -> str:
    return "; ".join(f"{k}={_v(v)}" for k, v in item.values.items())


def _v(v: object) -> str:
    if isinstance(v, list):
        return "/".join(map(str, v))
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def window_text(item: Item) -> str:
    if item.max_age_days is None:
        return "any date"
    age = f"{item.age_days} d old" if item.age_days is not None else "age unknown"
    return (
        f"{age} / window {item.max_age_days} d"
        if item.evidence
        else f"window {item.max_age_days} d"
    )


def evidence_text(item: Item) -> str:
    return "; ".join(
        f"{e.file} p.{e.pages[0]}" + (f"-{e.pages[1]}" if e.pages[1] != e.pages[0] else "")
        for e in item.evidence
    )
