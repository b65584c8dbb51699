"""Dates as written in clinical records: parsing and day/month order.

Records mix US (MM/DD/YYYY), UK/EU (DD/MM/YYYY), ISO and Chinese (2026年9月14日) styles.
An all-numeric date whose first two parts are both <= 12 cannot be read without context, so
the order is taken from other unambiguous dates in the same text or from regional cues, and
the caller is told when it stayed a guess. What each date dates, and the document's own
date, are in extractors/date_roles.py.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Literal

Order = Literal["dmy", "mdy"]

_MONTHS: dict[str, int] = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
# OCR often reads O for 0 and l/I for 1 inside numbers; the date patterns accept them and
# _num() repairs them.
_D = r"[0-9OolI]"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (
        "ymd",
        re.compile(
            rf"(?<![0-9])({_D}{{4}})\s*[-/.]\s*({_D}{{1,2}})\s*[-/.]\s*({_D}{{1,2}})(?![0-9])"
        ),
    ),
    ("zh", re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?")),
    (
        "d_mon_y",
        re.compile(
            rf"(?<![0-9A-Za-z])(\d{{1,2}})(?:st|nd|rd|th)?[\s\-/.]*({_MONTH_RE})[\s\-/.,]*(\d{{4}}|\d{{2}})(?![0-9])",
            re.I,
        ),
    ),
    (
        "mon_d_y",
        re.compile(
            rf"(?<![A-Za-z])({_MONTH_RE})\s*(\d{{1,2}})(?:st|nd|rd|th)?,?\s*(\d{{4}})(?![0-9])",
            re.I,
        ),
    ),
    (
        "num",
        re.compile(
            rf"(?<![0-9])({_D}{{1,2}})\s*([-/.])\s*({_D}{{1,2}}|{_D} {_D})\s*\2\s*({_D}{{4}}|\d{{2}})(?![0-9])"
        ),
    ),
]

# Regional cues for day/month order when no date in the text settles it.
_UK_CUES = re.compile(
    r"\b(NHS|GP|haemoglobin|haematology|oesophag|programme|colour|Mr|Mrs|Ms)\b|"
    r"\b(?:centre|organisation|specialised|Consultant Haematologist|postcode)\b|£"
)
_US_CUES = re.compile(r"\b(MRN|ZIP|SSN|Medicare|Medicaid|hemoglobin|center|[A-Z]{2} \d{5})\b")


@dataclass(frozen=True)
class FoundDate:
    """A date found in text: where it was, the value, and whether its order was a guess."""

    start: int
    end: int
    value: dt.date
    ambiguous: bool
    numeric_parts: tuple[int, int] | None = None  # the two leading parts of an all-numeric date


def _num(token: str) -> int:
    # OCR also breaks a number with a space ("1 1" for 11).
    return int(token.replace(" ", "").translate(str.maketrans("OolI", "0011")))


def _year(token: str) -> int:
    year = _num(token)
    if len(token) == 2:
        # Two-digit years: clinical records of living patients; pivot keeps DOBs in the 1900s.
        year += 2000 if year <= (dt.date.today().year % 100) + 1 else 1900
    return year


def _make(year: int, month: int, day: int) -> dt.date | None:
    if not 1900 <= year <= 2100:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def infer_order(text: str) -> tuple[Order, bool]:
    """Day/month order for this text and whether it is settled (vs. a regional guess)."""
    dmy = mdy = 0
    for match in _PATTERNS[4][1].finditer(text):
        a, b = _num(match.group(1)), _num(match.group(3))
        if a > 12 >= b:
            dmy += 1
        elif b > 12 >= a:
            mdy += 1
    if dmy != mdy:
        return ("dmy" if dmy > mdy else "mdy"), True
    if re.search(r"[\u4e00-\u9fff]", text):
        return "dmy", False
    uk, us = len(_UK_CUES.findall(text)), len(_US_CUES.findall(text))
    return ("dmy" if uk > us else "mdy"), False


def find_dates(text: str, order: tuple[Order, bool] | None = None) -> list[FoundDate]:
    """Every date in `text`, in order of position, without overlaps."""
    order_name, settled = order if order is not None else infer_order(text)
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value: dt.date | None = None
            ambiguous = False
            parts: tuple[int, int] | None = None
            if kind in ("ymd", "zh"):
                value = _make(_num(m.group(1)), _num(m.group(2)), _num(m.group(3)))
            elif kind == "d_mon_y":
                value = _make(_year(m.group(3)), _MONTHS[m.group(2).lower()[:3]], int(m.group(1)))
            elif kind == "mon_d_y":
                value = _make(_year(m.group(3)), _MONTHS[m.group(1).lower()[:3]], int(m.group(2)))
            else:
                a, b, year = _num(m.group(1)), _num(m.group(3)), _year(m.group(4))
                parts = (a, b)
                if a > 12 and b <= 12:
                    value = _make(year, b, a)
                elif b > 12 and a <= 12:
                    value = _make(year, a, b)
                else:
                    day, month = (a, b) if order_name == "dmy" else (b, a)
                    value = _make(year, month, day)
                    ambiguous = a != b and not settled
            if value is None:
                continue
            taken.append((m.start(), m.end()))
            found.append(FoundDate(m.start(), m.end(), value, ambiguous, parts))
    found.sort(key=lambda f: f.start)
    return found


def parse_date(text: str, order: tuple[Order, bool] | None = None) -> dt.date | None:
    """The first date in a short string such as a DOB value, or None."""
    dates = find_dates(text, order)
    return dates[0].value if dates else None
