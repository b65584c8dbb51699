"""Words for one report item, problem or file, for patients and for coordinators.

The patient's words come from checklists/words/<language>.yaml (see patient_words): plain,
short sentences, no test abbreviations, no status codes, always saying what to do next.
The app's patient page and every report renderer use these functions, so they agree.
"""

from __future__ import annotations

import re
from typing import Literal

from checklists.imaging import when
from checklists.patient_words import PatientWords, StatusKey, patient_words
from checklists.report import Item, Problem, ProblemKind, Report, Status
from checklists.values import FIELD_LABELS, label, show
from extractors.dicom_studies import study_words

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


def patient_key(item: Item) -> StatusKey:
    """Where an item stands for the patient: the key of its words and of its colour in the app."""
    if item.status is Status.MISSING:
        if item.evidence:  # the patient sent it; it lacks a value (and may be old as well)
            return StatusKey.INCOMPLETE
        return StatusKey.MISSING if item.required else StatusKey.ADVISORY
    if item.status is Status.WAIVED and item.waiver_to_follow:
        return StatusKey.TO_FOLLOW
    if item.status is Status.NEEDS_REVIEW and item.review_reason == "unreadable":
        return StatusKey.CLEARER_COPY
    return {
        Status.MET: StatusKey.RECEIVED,
        Status.WAIVED: StatusKey.WAIVED,
        Status.NOT_APPLICABLE: StatusKey.NOT_APPLICABLE,
        Status.STALE: StatusKey.STALE,
        Status.OUT_OF_RANGE: StatusKey.OUT_OF_RANGE,
        Status.NEEDS_REVIEW: StatusKey.NEEDS_REVIEW,
    }[item.status]


def patient_status(item: Item, words: PatientWords | None = None) -> str:
    """The short label of where an item stands ("Still needed")."""
    return (words or patient_words()).statuses[patient_key(item)].label


def patient_acts(item: Item) -> bool:
    """Whether the patient has something to send for this item (else the care team acts)."""
    if item.status == Status.NEEDS_REVIEW:
        return item.review_reason == "unreadable"
    return item.status in (Status.MISSING, Status.STALE)


def team_checks(item: Item) -> bool:
    if item.status is Status.WAIVED:
        return item.waiver_to_follow
    return item.status == Status.OUT_OF_RANGE or (
        item.status == Status.NEEDS_REVIEW and not patient_acts(item)
    )


def patient_next_step(item: Item, words: PatientWords | None = None) -> str:
    """One or two plain sentences: why this is on the list and what to do ("" when nothing)."""
    words = words or patient_words()
    w = words.statuses[patient_key(item)]
    if patient_key(item) in (StatusKey.STALE, StatusKey.INCOMPLETE) and not item.document_date:
        template = w.next_step_undated or w.next_step
    else:
        template = w.next_step
    d = item.document_date
    return template.format(
        message=words.program_text(item.patient_message),
        date=words.long_date(d) if d else "",
    ).strip()


def patient_title(item: Item, words: PatientWords | None = None) -> str:
    """The record's name as the patient reads it, in the patient's language."""
    return (words or patient_words()).program_text(item.patient_title or item.title)


def patient_problem(problem: Problem, words: PatientWords | None = None) -> str:
    """What happened to one file and what to do, naming the file."""
    text = (words or patient_words()).problems[problem.kind].text
    study, date = (study_words(problem.study), when(problem.study)) if problem.study else ("", "")
    return text.format(file=problem.file, study=study, date=date)


def problem_label(problem: Problem, words: PatientWords | None = None) -> str:
    return (words or patient_words()).problems[problem.kind].label


def file_state(state: str, words: PatientWords | None = None) -> str:
    """Where one uploaded file stands while it is read ("Reading"); the state itself if unknown."""
    states = {str(k): v for k, v in (words or patient_words()).file_states.items()}
    return states.get(state, state)


def patient_summary(report: Report, words: PatientWords | None = None) -> str:
    s = (words or patient_words()).summary
    if report.ready:
        return s.ready
    needed = [i for i in report.items if i.required and patient_acts(i)]
    parts = []
    if needed:
        n = len(needed)
        parts.append(s.still_needed_one if n == 1 else s.still_needed_many.format(n=n))
    if any(team_checks(i) for i in report.items):
        parts.append(s.team_looks)
    if any(p.kind == ProblemKind.IDENTITY_MISMATCH for p in report.problems):
        parts.append(s.other_person)
    return " ".join(parts) or s.checking


def coordinator_values(item: Item) -> str:
    """The values read, in words ("ANC (/uL): 1620"), never field names or Python reprs."""
    return "; ".join(f"{label(k)}: {show(v)}" for k, v in item.values.items())


# The programs cite their sources as [S2][S5] (../shared/reference/programs.md); a reader of
# the app or a report has no such list, so the markers are left out where a hint is shown.
_CITATION = re.compile(r"\s*(?:\[S\d+\])+")


# Some hints name the fields they test (anc_per_uL >= 1000): said with the field's label.
_FIELD_NAME = re.compile(r"\b(" + "|".join(sorted(FIELD_LABELS, key=len, reverse=True)) + r")\b")


def without_citations(text: str) -> str:
    """A program's hint as a reader sees it: no [S2] markers, no internal field names."""
    return _FIELD_NAME.sub(lambda m: FIELD_LABELS[m.group(1)], _CITATION.sub("", text)).strip()


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
