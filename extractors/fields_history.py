"""How many prior lines of systemic therapy a record states, or shows in its history.

In the order a reviewer trusts them:
1. a stated count ("three lines of systemic therapy", "Number of prior lines (IMWG): 3");
2. numbered lines: "Line 2: pazopanib ..." (also after a date range) or a therapy table whose
   first column numbers the lines ("Line | Regimen | Start ...", rows "1", "2", "-", "Bridging":
   the highest number; surgery, radiotherapy and bridging rows carry no number);
3. "no prior systemic therapy", "treatment history: none" -> 0;
4. a dated oncologic history ("01/07/2025 - 20/01/2026: dabrafenib plus trametinib"): each
   dated entry that names a systemic agent is a line; surgery, radiotherapy and surveillance
   are not;
5. an ordinal stated as past ("refractory to second-line R-GDP") or opening a line.
"""

from __future__ import annotations

import re

from extractors.fields_oncology import REGIMEN_NAMES_RE, REGIMEN_WORDS_RE

_WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
}
_COUNT = r"(\d{1,2}|zero|one|two|three|four|five|six|seven|eight|nine|ten)"
_ORDINAL = r"(first|second|third|fourth|fifth|sixth|1st|2nd|3rd|4th|5th|6th)"

_STATED = [
    rf"(?:number\s+of\s+)?prior\s+(?:systemic\s+)?(?:lines?|regimens?)(?:\s+of\s+(?:systemic\s+)?"
    rf"(?:therapy|treatment))?(?:\s*\([^)\n]{{1,20}}\))?\s*[:=]\s*{_COUNT}\b",
    rf"\b{_COUNT}\s+(?:prior|previous)\s+(?:systemic\s+)?(?:lines?|regimens?)\b",
    rf"\b{_COUNT}\s+(?:lines?|regimens?)\s+of\s+(?:prior\s+)?(?:systemic\s+)?"
    rf"(?:therapy|treatment|chemotherapy)",
    rf"(?:after|following|received|completed|failed)\s+{_COUNT}\s+(?:prior\s+)?(?:lines?|regimens?)\b",
    r"(?:既往|先前)?(?:接受过?)?(\d)\s*线(?:治疗)?",
]
_NONE = re.compile(
    r"\bno\s+(?:prior\s+|previous\s+)?systemic\s+(?:therapy|treatment)|"
    r"\b(?:treatment|therapy)\s+history\s*[:\-]\s*none\b|\btreatment[- ]na[iï]ve\b|"
    r"\bhas\s+(?:had|received)\s+no\s+(?:prior\s+)?systemic",
    re.I,
)
# "Line 2:" wherever the entry starts, also after a date range, or a "Line 2" table cell.
_LINE_N = re.compile(r"(?:^|\n|\s{2}|\t)(?:line|ln)[ \t]*(\d)[ ]*(?:[:.)\-–]|\t)", re.I)
_TABLE_HEAD = re.compile(r"^[ \t]*(?:line|#|no\.?)[ \t]*(?:\t|\s{2,})", re.I | re.M)
_TABLE_ROW = re.compile(r"^[ \t]*(\d)[ \t]*(?:\t|\s{2,})", re.M)
# A text layer or OCR often joins a table's cells with single spaces ("Line Regimen Start
# End"): a header that names the treatment column, then the rows just below it.
_LOOSE_HEAD = re.compile(
    r"^[ \t]*(?:line|#)[ \t]+(?:regimen|therapy|treatment|drug|agent|systemic)s?\b", re.I | re.M
)
_LOOSE_ROW = re.compile(r"^[ \t]*(\d)[ \t]+(?=[A-Za-z])")
_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{1,2}[/.-]\d{4}|(?:19|20)\d{2})"
_DATED_ENTRY = re.compile(
    rf"^[ \t]*(?:since\s+)?{_DATE}(?:\s*(?:-|–|to)\s*{_DATE})?\s*[:\-–]?\s+(.+)$", re.I | re.M
)
_SYSTEMIC = re.compile(
    r"chemotherapy|immunotherapy|\bplus\b|\bcycles?\b|\bx\s*\d\b",
    re.I,
)
_NOT_A_LINE = re.compile(
    r"^(?:[^:;]{0,30})?\b(?:surveillance|excision|resection|dissection|biopsy|radiotherapy|"
    r"radiation|surgery|recurrence|relapse|progression|diagnos)",
    re.I,
)
_PAST_ORDINAL = re.compile(
    rf"(?:(?:^|\n)[ \t]*|(?:refractory\s+to|progressed\s+on|after|failed|following|received|"
    rf"completed|relapsed\s+after)\s+(?:the\s+)?){_ORDINAL}[- ]line\b",
    re.I,
)


def _number(raw: str) -> int:
    raw = re.sub(r"(?<=\d)(?:st|nd|rd|th)$", "", raw.lower())
    return int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]


def _stated(text: str) -> int | None:
    for pattern in _STATED:
        m = re.search(pattern, text, re.I)
        if m:
            return _number(m.group(1))
    return None


def _numbered(text: str) -> int | None:
    numbers = {int(n) for n in _LINE_N.findall(text)}
    head = _TABLE_HEAD.search(text)
    if head:
        numbers |= {int(n) for n in _TABLE_ROW.findall(text[head.end() :])}
    loose = _LOOSE_HEAD.search(text)
    if loose and not numbers:
        rows = text[loose.end() :].split("\n")[1:12]
        numbers |= {int(m.group(1)) for m in map(_LOOSE_ROW.match, rows) if m}
    return max(numbers) if numbers else None


def _agents(entry: str) -> set[str]:
    named = [
        m.group(1) for m in (*REGIMEN_NAMES_RE.finditer(entry), *REGIMEN_WORDS_RE.finditer(entry))
    ]
    drugs = re.findall(r"\b\w+(?:mab|nib|cel|leucel|platin|rubicin|taxel|mide)\b", entry, re.I)
    return {a.lower() for a in (*named, *drugs)}


def _dated_history(text: str) -> int | None:
    lines = 0
    seen: set[str] = set()
    for m in _DATED_ENTRY.finditer(text):
        entry = m.group(1)
        if not _SYSTEMIC.search(entry) and not _agents(entry) or _NOT_A_LINE.search(entry):
            continue
        agents = _agents(entry)
        # Another cycle of the agents already given is the same line ("Blinatumomab cycle 2").
        if agents and agents <= seen:
            continue
        seen |= agents
        lines += 1
    return lines or None


def _ordinal(text: str) -> int | None:
    found = [_number(m.group(1)) for m in _PAST_ORDINAL.finditer(text)]
    return max(found) if found else None


def read_prior_lines(text: str) -> int | None:
    """The prior lines of therapy the record states or lists; None when it says nothing."""
    for reader in (_stated, _numbered):
        value = reader(text)
        if value is not None:
            return value
    if _NONE.search(text):
        return 0
    return _dated_history(text) or _ordinal(text)
