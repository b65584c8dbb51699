"""A page that is mostly a list of medicines, one per line, is a medication list.

Lists written by patients or families, photographed from a fridge door or typed into a phone
("Mum's medicines", "- Acyclovir 800 mg - 1 pill morning and night"), have no report title and
no column headers, so phrase scores leave them "other". A reader recognises them by their
shape: most lines name a medicine with a strength or a schedule. When that shape holds, the
medication list leads the scores by LIST_MARGIN, as a clear title would make it.
A clinic note's medication section is a minority of its lines and does not qualify.
"""

from __future__ import annotations

import re

from extractors.vocabulary import DocType

LIST_MARGIN = 4.0
# At least this many medicine lines, and this share of the page's lines.
_MIN_LINES = 3
_MIN_SHARE = 0.5

# A strength is an amount of drug (mg, micrograms, units), never a concentration ("mg/dL", a
# lab value) or a percentage.
_STRENGTH = r"\d+(?:[.,]\d+)?\s*(?:mg|mcg|µg|ug|micrograms?|units?|iu)\b(?!\s*/)"
_SCHEDULE = (
    r"\b(?:once|twice|three\s+times|four\s+times|daily|nightly|weekly|monthly|a\s+day|"
    r"per\s+day|morning|night|bedtime|with\s+food|as\s+needed|if\s+needed|prn|bid|tid|qid|"
    r"qd|qhs|od|bd|tds|nocte|mane|every\s+\d+\s+(?:hours?|days?|weeks?))\b"
)
# A line that opens with a word (the medicine, after an optional bullet or number) and
# carries a strength or a schedule.
_MEDICINE_LINE = re.compile(
    rf"^\W{{0,4}}(?:\d{{1,2}}[.)]\s*)?[A-Za-z][A-Za-z/-]{{2,}}(?=.*(?:{_STRENGTH}|{_SCHEDULE}))",
    re.I,
)


def medicine_line_share(text: str) -> tuple[int, float]:
    """How many non-empty lines read as a medicine with a strength or schedule, and their share."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return 0, 0.0
    count = sum(bool(_MEDICINE_LINE.search(line)) for line in lines)
    return count, count / len(lines)


def with_list_shape(text: str, scores: dict[DocType, float]) -> dict[DocType, float]:
    """Scores where a page shaped as a list of medicines makes the medication list lead."""
    count, share = medicine_line_share(text)
    if count < _MIN_LINES or share < _MIN_SHARE:
        return scores
    others = max(s for t, s in scores.items() if t != DocType.MEDICATION_LIST)
    adjusted = dict(scores)
    adjusted[DocType.MEDICATION_LIST] = max(scores[DocType.MEDICATION_LIST], others + LIST_MARGIN)
    return adjusted
