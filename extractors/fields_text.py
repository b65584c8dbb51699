"""Shared reading of labelled values: number and gap patterns, and the context rule that
keeps negated, historical, planned and criteria mentions from counting as values."""

from __future__ import annotations

import re

NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"


GAP = r"[^\n\d]{0,40}?"  # label to value: words, colons, table spacing; never another number


SKIP_BEFORE = re.compile(
    r"(?:history\s+of|h/o|prior|previous(?:ly)?|baseline\s+was|was\s+noted|in\s+\d{4}|last\s+year|"
    r"months?\s+ago|years?\s+ago|at\s+diagnosis|will\s+(?:obtain|check|repeat|order)|to\s+be\s+(?:done|checked)|"
    r"pending|not\s+(?:done|performed|tested|available)|no\s+(?:recent\s+)?|target|goal|required|"
    r"criteria|threshold|must\s+be|should\s+be|at\s+least|既往)\W+(?:[\w/-]+\W+){0,3}$",
    re.I,
)


# "Non-reactive" as a fax's OCR reads it too ("Non-renctive", "Nop-reactive", "Nomreactive"):
# tried before the positive words, so the "reactive" inside it is never read as positive.
NEGATIVE_WORDS = (
    r"(?:non[- ]?reactive|\bno[a-z]?[- e]?[rt][eé][a-z]{1,3}tive|negative|neg\b|not\s+detected|"
    r"undetected|absent|阴性|\(-\)|（-）)"
)


POSITIVE_WORDS = r"(?:reactive|positive|pos\b|detected|present|阳性|\(\+\)|（\+）)"


def to_float(raw: str) -> float:
    return float(raw.replace(",", ""))


def clean(value: float) -> float:
    return float(round(value, 2)) if value != int(value) else float(int(value))


def context_ok(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    sentence_start = max(line_start, text.rfind(". ", 0, start) + 1)
    return not SKIP_BEFORE.search(text[max(sentence_start, start - 80) : start])


def labelled_values(
    text: str, label: str, unit: str = r"", unit_required: bool = False
) -> list[tuple[float, str, int]]:
    """(value, unit-as-written, position) for each 'label ... number unit' on one line."""
    pattern = re.compile(
        rf"(?<![A-Za-z]){label}(?![A-Za-z]){GAP}(<|>|≤|≥)?[ \t]*(?<![A-Za-z]){NUM}(?!\d|[,.:]\d|[-–]\d)[ \t]*(?:\(?[HL]\)?[ \t]+|\*[ \t]*)?({unit})?",
        re.I,
    )
    later_unit = re.compile(rf"(?<![A-Za-z])({unit})(?![A-Za-z])", re.I) if unit else None
    out = []
    for m in pattern.finditer(text):
        found_unit = (m.group(3) or "").strip()
        if not found_unit and later_unit is not None:
            # Tables that print the reference range before the units: "185  150-400  K/uL".
            line_end = text.find("\n", m.end())
            rest = later_unit.search(text[m.end() : len(text) if line_end < 0 else line_end])
            found_unit = rest.group(1).strip() if rest else ""
        if not context_ok(text, m.start()) or (unit_required and not found_unit):
            continue
        out.append((to_float(m.group(2)), found_unit, m.start()))
    return out


def split_cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"\s{2,}|\t|\|", line) if c.strip()]


def read_percent_after(text: str, label: str, span: int = 60) -> float | None:
    pattern = re.compile(
        # A form's label may name the unit: "LVEF (%) and date: 52% (21/10/2026)".
        rf"(?<![A-Za-z]){label}(?![A-Za-z/])(?:\s*\(%\))?[^\n%]{{0,{span}}}?(\d{{1,3}}(?:\.\d+)?)"
        rf"(?:\s*(?:-|–|to)\s*(\d{{1,3}}(?:\.\d+)?))?\s*%",
        re.I,
    )
    # Prose wraps a sentence onto the next drawn line ("... estimated at" / "60% ..."): the
    # label's line must end in a word, so a table row without a value never takes the next row's.
    wrapped = re.compile(
        rf"(?<![A-Za-z]){label}(?![A-Za-z/])[^\n%\d]{{0,{span}}}?[a-z,][ \t]*\n[ \t]*"
        rf"(\d{{1,3}}(?:\.\d+)?)(?:\s*(?:-|–|to)\s*(\d{{1,3}}(?:\.\d+)?))?\s*%",
        re.I,
    )
    for m in [*pattern.finditer(text), *wrapped.finditer(text)]:
        if not context_ok(text, m.start()):
            continue
        low = float(m.group(1))
        high = float(m.group(2)) if m.group(2) else low
        value = (low + high) / 2
        if 0 < value <= 100:
            return clean(value)
    return None
