"""Counts on a case's summary tiles, the name it is known by, and its downloads' names."""

from __future__ import annotations

import re

from checklists.report import GAP_STATUSES, Report, Status
from intake.store import Case


def patient_name(case: Case, report: Report | None) -> str:
    """The name a case is known by once known: the one given, else the documents' patient."""
    given = (case.patient or {}).get("name")
    if given:
        return str(given)
    return (report.patient.name or "") if report and report.patient else ""


def gap_counts(report: Report) -> dict[str, int]:
    """Counts for the summary tiles; "missing" and "stale" count required items only.

    A record the patient sent that lacks a value is "incomplete", never "missing", and an
    item waived while its result is still to come is not counted as done.
    """
    counts = {
        "missing": 0,
        "incomplete": 0,
        "stale": 0,
        "review": 0,
        "met": 0,
        "advisory": 0,
        "problems": len(report.problems),
    }
    for item in report.items:
        if item.status is Status.MET or (
            item.status is Status.WAIVED and not item.waiver_to_follow
        ):
            counts["met"] += 1
        elif item.status is Status.WAIVED:
            counts["review"] += 1
        elif not item.required and item.status in GAP_STATUSES:
            counts["advisory"] += 1
        elif item.status is Status.MISSING:
            counts["incomplete" if item.evidence else "missing"] += 1
        elif item.status is Status.STALE:
            counts["stale"] += 1
        elif item.status in GAP_STATUSES:
            counts["review"] += 1
    return counts


def download_name(case: Case | None, report: Report, view: str, suffix: str) -> str:
    """recordready-<patient or case>-<kind>.<suffix>: downloads of several cases, or the
    patient's and the care team's of one, stay apart in a downloads folder."""
    who = patient_name(case, report) if case else ""
    slug = re.sub(r"[^a-z0-9]+", "-", who.lower()).strip("-")[:40].strip("-")
    if not slug:  # no name yet, or one in another script: the case's date and id
        made = case.created_at.strftime("%Y-%m-%d") if case else ""
        slug = "-".join(x for x in ("case", made, report.case_id[:8]) if x)
    kind = "checklist" if view == "patient" else "care-team-report"
    return f"recordready-{slug}-{kind}.{suffix}"
