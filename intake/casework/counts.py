"""The counts on a case's summary tiles, for the patient's page and the care team's."""

from __future__ import annotations

from checklists.report import GAP_STATUSES, Report, Status


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
