"""Dates as written in clinical records: parsing, day/month order, and the document's own date.

Records mix US (MM/DD/YYYY), UK/EU (DD/MM/YYYY), ISO and Chinese (2026年9月14日) styles.
An all-numeric date whose first two parts are both <= 12 cannot be read without context, so
the order is taken from other unambiguous dates in the same text or from regional cues, and
the caller is told when it stayed a guess.
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


# Labels of a document's own date, by what they date. A record's date is when the report was
# issued, the sample collected or the visit held; never a birth date or a print/fax stamp.
_LABELS: dict[str, str] = {
    # An amended or supplementary report supersedes the original: its date dates the record.
    "amended": (
        r"(?:amended(?:\s+on)?|amendment\s+date|date\s+(?:of\s+)?amend(?:ed|ment)|addendum\s+date|"
        r"(?:supplementary|addendum|amended|corrected|revised)\s+report\s+(?:date|issued)|修改日期|补充报告日期)"
    ),
    "report": (
        r"(?:date\s+of\s+(?:report|letter|issue|referral)|(?:report|letter|issue|referral|sign(?:ed)?[- ]?out)\s+date|reported(?:\s+on)?|"
        r"date\s+reported|(?:electronically\s+)?signed(?:\s+out)?(?:\s+by\b[^\n]{0,60}?)?(?:\s+on)?|"
        r"finali[sz]ed(?:\s+on)?|verified(?:\s+on)?|approved(?:\s+by\b[^\n]{0,60}?)?(?:\s+on)?|issued(?:\s+on)?|"
        r"authori[sz]ed(?:\s+on)?|报告日期|报告时间|签发日期|审核日期)"
    ),
    "event": (
        r"(?:date\s+of\s+(?:service|visit|exam(?:ination)?|study|procedure|surgery|operation|discharge|test|"
        r"encounter|consultation|scan)|(?:service|visit|exam(?:ination)?|study|procedure|surgery|operation|"
        r"operative|discharge|test|encounter|consultation|clinic|scan|echo|appointment)\s+date|"
        r"(?:seen|performed|examined|discharged)(?:\s+on)?|dos|出院日期|手术日期|检查日期|就诊日期|门诊日期|检测日期)"
    ),
    "collection": (
        r"(?:(?:specimen\s+)?(?:collected|collection|drawn|obtained)(?:\s+(?:date|on|at|date/time))?|"
        r"date\s+(?:of\s+)?collection|specimen\s+date|sample\s+date|采样时间|采样日期|采集日期|送检日期|采集时间)"
    ),
    "generic": r"(?:date|dated|dt)",
    "low": (
        r"(?:received(?:\s+on)?|date\s+received|accessioned|admission\s+date|date\s+of\s+admission|admitted(?:\s+on)?|"
        r"入院日期|接收日期|日期)"
    ),
}
# Which kind of date dates each type of record (labs by collection; reports by issue).
_PREFERENCE: dict[str, tuple[str, ...]] = {
    "lab_results": ("collection", "report", "event", "generic", "low"),
    "imaging_report": ("event", "report", "generic", "collection", "low"),
    "cardiac_function": ("event", "report", "generic", "collection", "low"),
    "pulmonary_function": ("event", "report", "generic", "collection", "low"),
    "clinic_note": ("event", "generic", "report", "collection", "low"),
    "discharge_summary": ("event", "report", "generic", "collection", "low"),
    "operative_report": ("event", "report", "generic", "collection", "low"),
}
_DEFAULT_PREFERENCE = ("report", "event", "generic", "collection", "low")
_NOT_DOCUMENT_DATE = re.compile(
    r"(?:d\.?\s*o\.?\s*b\.?|date\s+of\s+birth|birth\s*date|born|出生(?:日期)?|printed(?:\s+on)?|faxed(?:\s+on)?|"
    r"fax(?:ed)?\s+date|page\s+\d|next\s+(?:visit|appointment)|follow[- ]up|due|expir\w*|last\s+menstrual\s+period|"
    r"lmp|(?:requested|planned|scheduled|proposed|target|tentative)\s+(?:date|for|on)|diagnosed(?:\s+on)?|diagnosis\s+date|date\s+of\s+diagnosis|onset|since|from|until|prior|previous)\W*$",
    re.I,
)


_BIRTH = re.compile(
    r"(?:d\.?\s*o\.?\s*b\.?|date\s+of\s+birth|birth\s*date|born|出生(?:日期)?)\W*$", re.I
)


def _birth_dates(text: str, dates: list[FoundDate]) -> set[dt.date]:
    """Dates printed as a date of birth somewhere in the text: never the document's date,
    wherever else (an unlabelled banner) they are printed again."""
    births: set[dt.date] = set()
    for found in dates:
        line_start = text.rfind("\n", 0, found.start) + 1
        before = text[max(line_start, found.start - 40) : found.start].rstrip(" :\t-#.")
        if _BIRTH.search(before):
            births.add(found.value)
    return births


def _recent_bare_date(dates: list[FoundDate], text: str) -> FoundDate | None:
    """With no labelled date: the first date that is neither a birth date nor years older
    than the newest date on the page (an unlabelled DOB, a prior event)."""
    births = _birth_dates(text, dates)
    candidates = [d for d in dates if d.value not in births]
    if not candidates:
        return None
    newest = max(d.value for d in candidates)
    recent = [d for d in candidates if (newest - d.value).days <= 730]
    return recent[0] if recent else candidates[0]


# A fax machine's header line: a date, a clock time and the sender or page count. Its date
# is when the packet was sent, not when any record in it was written.
_FAX_LINE = re.compile(
    r"^[^\n]*\b\d{1,2}:\d{2}\b[^\n]*(?:\bP\.?\s*\d+\s*/\s*\d+|\bpage\s*\d+\s*of\b|"
    r"\bfrom\b|\bto\b|\bfax\b)[^\n]*$",
    re.I | re.M,
)


def _fax_header_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _FAX_LINE.finditer(text)]


def _label_kind(before: str) -> str | None:
    # "Report Date/Time:", "Collection date and time:" label the date that follows.
    before = re.sub(r"\s*(?:/|&|and)\s*time\s*[:：]?\s*$", "", before, flags=re.I)
    for kind in ("amended", "report", "event", "collection", "low", "generic"):
        if re.search(rf"(?:^|[^a-z\u4e00-\u9fff]){_LABELS[kind]}\W{{0,6}}$", before, re.I):
            return kind
    return None


def document_date(
    text: str, doc_type: str | None = None, birth: dt.date | None = None
) -> tuple[dt.date | None, bool]:
    """The document's own date and whether its day/month order is ambiguous.

    Labelled dates win over bare ones, the label that best dates this type of record first
    (a lab's collection date, a report's issue date, a visit's date), then the earliest on
    the page. With no labelled date, the first date that is not a birth date is used.
    """
    order = infer_order(text)
    dates = find_dates(text, order)
    preference = _PREFERENCE.get(doc_type or "", _DEFAULT_PREFERENCE)
    # The patient's date of birth (`birth`, read by the caller) is never the document's.
    births = _birth_dates(text, dates) | ({birth} if birth else set())
    best: tuple[int, FoundDate] | None = None
    fallback: FoundDate | None = None
    previous_end = 0
    fax_lines = _fax_header_spans(text)
    sent = [d for d in dates if any(s <= d.start < e for s, e in fax_lines)]
    # The transmission date dates a fax cover only when the page gives no other date.
    dates = [d for d in dates if d not in sent] or sent
    for found in dates:
        line_start = text.rfind("\n", 0, found.start) + 1
        # Only the words since the previous value on the line label this date.
        before = text[max(line_start, previous_end, found.start - 80) : found.start].rstrip()
        previous_end = found.end
        if _NOT_DOCUMENT_DATE.search(before.rstrip(" :\t-#.")) or found.value in births:
            continue
        kind = _label_kind(before)
        if kind is not None:
            rank = -1 if kind == "amended" else preference.index(kind)
            if best is None or rank < best[0]:
                best = (rank, found)
        if fallback is None:
            fallback = found
    if best is None and fallback is not None:
        fallback = _recent_bare_date([d for d in dates if d.value not in births], text)
    chosen = best[1] if best else fallback
    if chosen is None:
        return None, False
    return chosen.value, chosen.ambiguous
