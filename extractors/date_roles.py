"""What each date on a document dates (its role), and the one date a person would give it.

A record prints many dates: a specimen collected, received and reported; a visit; a study;
an amendment; a print stamp; a fax machine's header; the patient's birth; earlier events
("diagnosed 01/2025", "previous biopsy 14/01/2025"); a next appointment. Each is given a role
from the words just before it on its line (`dated_roles`). The document's date is then
chosen by role (`document_dates`): for a specimen-based report (pathology, molecular, HLA,
laboratory results) the collection or procedure date, which is when the sample showed the
patient's state and what an eligibility window is about, else the specimen's receipt, else
the report's; for a study its exam date; for a note its visit. An amendment's date wins
over the report it supersedes. Birth dates, print and fax stamps, planned and earlier
events never date a document.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from extractors.dates import FoundDate, find_dates, infer_order
from extractors.vocabulary import DateRole, DocumentDate

R = DateRole

# Labels by role, tried in this order (a longer label before the shorter one it ends with:
# "Report date" before "Date"). A label must end at most a few characters before its date.
_LABELS: list[tuple[DateRole, str]] = [
    (
        R.AMENDMENT,
        r"(?:amended(?:\s+on)?|amendment\s+date|date\s+(?:of\s+)?amend(?:ed|ment)|addendum\s+date|"
        r"(?:supplementary|addendum|amended|corrected|revised)\s+report\s+(?:date|issued)|修改日期|补充报告日期)",
    ),
    (
        R.REPORT,
        r"(?:date\s+of\s+(?:report|letter|issue|referral)|(?:report|letter|issue|referral|sign(?:ed)?[- ]?out)\s+date|"
        r"reported(?:\s+on)?|date\s+reported|resulted(?:\s+on)?|final(?:\s+report)?|"
        r"(?:electronically\s+)?signed(?:\s+out)?(?:\s+by\b[^\n]{0,60}?)?(?:\s+on)?|"
        r"finali[sz]ed(?:\s+on)?|verified(?:\s+on)?|approved(?:\s+by\b[^\n]{0,60}?)?(?:\s+on)?|issued(?:\s+on)?|"
        r"authori[sz]ed(?:\s+on)?|报告日期|报告时间|签发日期|审核日期)",
    ),
    (
        R.PROCEDURE,
        r"(?:date\s+of\s+(?:procedure|surgery|operation|biopsy)|(?:procedure|surgery|operation|operative|biopsy)\s+date|"
        r"procedure|手术日期)",
    ),
    (
        R.EXAM,
        r"(?:date\s+of\s+(?:exam(?:ination)?|study|test|scan)|(?:exam(?:ination)?|study|test|scan|echo)\s+date|"
        r"(?:performed|examined)(?:\s+on)?|检查日期|检测日期)",
    ),
    (
        R.VISIT,
        r"(?:date\s+of\s+(?:service|visit|discharge|encounter|consultation)|(?:service|visit|discharge|encounter|"
        r"consultation|clinic|appointment)\s+date|(?:seen|discharged)(?:\s+on)?|visit|encounter|dos|出院日期|就诊日期|门诊日期)",
    ),
    (
        R.COLLECTION,
        r"(?:(?:specimen\s+)?(?:collected|collection|drawn|obtained)(?:\s+(?:date|on|at|date/time))?|"
        r"date\s+(?:of\s+)?collection|specimen\s+date|sample\s+date|采样时间|采样日期|采集日期|送检日期|采集时间)",
    ),
    (
        R.RECEIVED,
        r"(?:received(?:\s+on)?|date\s+received|received\s+date|accessioned(?:\s+on)?|接收日期)",
    ),
    (R.ADMISSION, r"(?:admission\s+date|date\s+of\s+admission|admitted(?:\s+on)?|入院日期)"),
    (
        R.REVIEWED,
        r"(?:(?:last|list)\s+(?:reviewed|updated|reconciled)(?:\s+on)?|(?:reviewed|updated|reconciled)\s+on)",
    ),
    (R.DATED, r"(?:date|dated|dt|日期)"),
]

# Labels of dates that never date the document, by role.
_NOT_OWN: list[tuple[DateRole, str]] = [
    (R.BIRTH, r"(?:d\.?\s*o\.?\s*b\.?|date\s+of\s+birth|birth\s*date|born|出生(?:日期)?)"),
    (R.PRINTED, r"(?:printed(?:\s+on)?|print\s+date|page\s+\d|打印(?:日期|时间))"),
    (R.FAX_HEADER, r"(?:faxed(?:\s+on)?|fax(?:ed)?\s+date)"),
    (
        R.PLANNED,
        r"(?:next\s+(?:visit|appointment)|follow[- ]up|due|expir\w*|"
        r"(?:requested|planned|scheduled|proposed|target|tentative)\s+(?:date|for|on))",
    ),
    (
        R.PRIOR_EVENT,
        r"(?:last\s+menstrual\s+period|lmp|(?:diagnosed|relapsed|progressed)(?:\s+(?:on|in))?|diagnosis\s+date|"
        r"date\s+of\s+diagnosis|onset|since|from|until|(?:prior|previous|earlier)(?:\s+[a-z-]+){0,2})",
    ),
]
_NOT_OWN_RE = [(role, re.compile(rf"{pattern}\W*$", re.I)) for role, pattern in _NOT_OWN]
_LABEL_RE = [
    (role, re.compile(rf"(?:^|[^a-z\u4e00-\u9fff]){pattern}\W{{0,6}}$", re.I))
    for role, pattern in _LABELS
]
_BIRTH_RE = _NOT_OWN_RE[0][1]

# Roles a date may date the document by; the others are kept for display only.
_NOT_THE_DOCUMENTS = frozenset({R.BIRTH, R.PRINTED, R.FAX_HEADER, R.PLANNED, R.PRIOR_EVENT})

_SPECIMEN = (
    {R.COLLECTION, R.PROCEDURE},
    {R.RECEIVED},
    {R.REPORT},
    {R.EXAM, R.VISIT},
    {R.DATED},
    {R.ADMISSION, R.REVIEWED},
)
_STUDY = (
    {R.EXAM, R.VISIT, R.PROCEDURE},
    {R.REPORT},
    {R.DATED},
    {R.COLLECTION},
    {R.RECEIVED, R.ADMISSION, R.REVIEWED},
)
# Which roles date each type of record, best first; roles in one set tie (the first printed wins).
_TIERS: dict[str, tuple[set[DateRole], ...]] = {
    "pathology_report": _SPECIMEN,
    "molecular_report": _SPECIMEN,
    "hla_typing": _SPECIMEN,
    "lab_results": _SPECIMEN,
    "imaging_report": _STUDY,
    "cardiac_function": _STUDY,
    "pulmonary_function": _STUDY,
    "clinic_note": (
        {R.VISIT, R.EXAM, R.PROCEDURE},
        {R.DATED},
        {R.REPORT},
        {R.COLLECTION},
        {R.RECEIVED, R.ADMISSION, R.REVIEWED},
    ),
    "discharge_summary": _STUDY,
    "operative_report": _STUDY,
    "medication_list": (
        {R.REVIEWED},
        {R.REPORT},
        {R.DATED},
        {R.VISIT, R.EXAM, R.PROCEDURE},
        {R.COLLECTION},
        {R.RECEIVED, R.ADMISSION},
    ),
}
_DEFAULT_TIERS: tuple[set[DateRole], ...] = (
    {R.REPORT},
    {R.VISIT, R.EXAM, R.PROCEDURE},
    {R.DATED},
    {R.REVIEWED},
    {R.COLLECTION},
    {R.RECEIVED, R.ADMISSION},
)

# A fax machine's header line: a date, a clock time and the sender or page count. Its date
# is when the packet was sent, not when any record in it was written.
_FAX_LINE = re.compile(
    r"^[^\n]*\b\d{1,2}:\d{2}\b[^\n]*(?:\bP\.?\s*\d+\s*/\s*\d+|\bpage\s*\d+\s*of\b|"
    r"\bfrom\b|\bto\b|\bfax\b)[^\n]*$",
    re.I | re.M,
)


@dataclass(frozen=True)
class _Dated:
    found: FoundDate
    role: DateRole


def _birth_dates(text: str, dates: list[FoundDate]) -> set[dt.date]:
    """Dates printed as a date of birth somewhere in the text: never the document's date,
    wherever else (an unlabelled banner) they are printed again."""
    births: set[dt.date] = set()
    for found in dates:
        line_start = text.rfind("\n", 0, found.start) + 1
        before = text[max(line_start, found.start - 40) : found.start].rstrip(" :\t-#.")
        if _BIRTH_RE.search(before):
            births.add(found.value)
    return births


def _label_role(before: str) -> DateRole:
    for role, pattern in _NOT_OWN_RE:
        if pattern.search(before.rstrip(" :\t-#.")):
            return role
    # "Report Date/Time:", "Collection date and time:" label the date that follows.
    before = re.sub(r"\s*(?:/|&|and)\s*time\s*[:：]?\s*$", "", before, flags=re.I)
    for role, pattern in _LABEL_RE:
        if pattern.search(before):
            return role
    return R.UNLABELLED


def _roles(text: str, birth: dt.date | None) -> list[_Dated]:
    dates = find_dates(text, infer_order(text))
    births = _birth_dates(text, dates) | ({birth} if birth else set())
    fax_lines = [(m.start(), m.end()) for m in _FAX_LINE.finditer(text)]
    out: list[_Dated] = []
    previous_end = 0
    for found in dates:
        if any(s <= found.start < e for s, e in fax_lines):
            out.append(_Dated(found, R.FAX_HEADER))
            continue
        line_start = text.rfind("\n", 0, found.start) + 1
        # Only the words since the previous value on the line label this date.
        before = text[max(line_start, previous_end, found.start - 80) : found.start].rstrip()
        previous_end = found.end
        role = _label_role(before)
        if found.value in births and role not in (R.PRINTED, R.FAX_HEADER):
            role = R.BIRTH
        out.append(_Dated(found, role))
    return out


# Tissue sent on from an archive (a paraffin block, unstained slides) for a new test: the
# laboratory's receipt date is the block's arrival, years after the biopsy, not the specimen's.
_ARCHIVED_TISSUE = re.compile(
    r"\b(?:FFPE|formalin[- ]fixed,? paraffin[- ]embedded|paraffin[- ](?:embedded\s+)?block|"
    r"unstained\s+slides|archival\s+(?:tissue|block|specimen)|outside\s+(?:block|material|slides))\b",
    re.I,
)


def _recent_bare(dated: list[_Dated]) -> _Dated | None:
    """With no labelled date: the first bare (or print-stamped) date not years older than
    the newest such date on the page (an unlabelled DOB, a prior event). A print stamp is a
    fair date for a record that states none of its own (a printed medication list)."""
    if not dated:
        return None
    newest = max(d.found.value for d in dated)
    recent = [d for d in dated if (newest - d.found.value).days <= 730]
    return recent[0] if recent else dated[0]


def _choose(dated: list[_Dated], doc_type: str | None, archived: bool) -> _Dated | None:
    tiers = _TIERS.get(doc_type or "", _DEFAULT_TIERS)
    specimen = tiers is _SPECIMEN
    if specimen and archived:
        tiers = tuple(t for t in tiers if t != {R.RECEIVED}) + ({R.RECEIVED},)
    own = [d for d in dated if d.role not in _NOT_THE_DOCUMENTS]
    amended = [d for d in own if d.role == R.AMENDMENT]
    if amended:
        return amended[0]
    reports = [d.found.value for d in own if d.role == R.REPORT]
    for tier in tiers:
        for d in own:
            # A laboratory receives a specimen before it reports on it: a "received" date
            # after the report's is a stamp of the copy's arrival somewhere else.
            if d.role in tier and not (
                d.role == R.RECEIVED and reports and d.found.value > max(reports)
            ):
                return d
    # A print stamp is not when a specimen was taken.
    bare_roles = (R.UNLABELLED,) if specimen else (R.UNLABELLED, R.PRINTED)
    bare = _recent_bare([d for d in dated if d.role in bare_roles])
    if bare is not None:
        return bare
    # The transmission date dates a fax cover only when the page gives no other date.
    if len(own) == 0 and all(d.role in (R.FAX_HEADER, R.BIRTH) for d in dated):
        return next((d for d in dated if d.role == R.FAX_HEADER), None)
    return None


def document_dates(
    text: str, doc_type: str | None = None, birth: dt.date | None = None
) -> tuple[dt.date | None, bool, list[DocumentDate]]:
    """The document's date, whether its day/month order is ambiguous, and every date the
    text prints with its role (once per role and date, in page order).

    `birth`, the patient's date of birth read by the caller, is never the document's date.
    """
    dated = _roles(text, birth)
    chosen = _choose(dated, doc_type, bool(_ARCHIVED_TISSUE.search(text)))
    shown: list[DocumentDate] = []
    seen: set[tuple[DateRole, dt.date]] = set()
    for d in dated:
        if (d.role, d.found.value) not in seen:
            seen.add((d.role, d.found.value))
            shown.append(DocumentDate(role=d.role, date=d.found.value, ambiguous=d.found.ambiguous))
    if chosen is None:
        return None, False, shown
    return chosen.found.value, chosen.found.ambiguous, shown


def document_date(
    text: str, doc_type: str | None = None, birth: dt.date | None = None
) -> tuple[dt.date | None, bool]:
    """The document's own date and whether its day/month order is ambiguous."""
    value, ambiguous, _ = document_dates(text, doc_type, birth)
    return value, ambiguous


def report_date(dates: list[DocumentDate]) -> dt.date | None:
    """The newest report or amendment date among a document's dates, if it prints one."""
    reports = [d.date for d in dates if d.role in (R.REPORT, R.AMENDMENT)]
    return max(reports) if reports else None
