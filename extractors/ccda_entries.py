"""Coded entries of C-CDA sections -> the vocabulary's fields.

A result observation is taken when its LOINC code (or a translation's) is in the tables,
it states a finished event (moodCode EVN, not negated, not cancelled), and its value is a
quantity in a listed unit, a coded or written negative/positive, or a coded score. Of two
results for one field the newer one wins, as a reader takes the latest lab. Problems give
the diagnosis when one names a cancer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lxml import etree

from extractors.ccda_codes import QUANTITY_FIELDS, SCORE_FIELDS, STATUS_FIELDS, CodeTables
from extractors.ccda_xml import XSI_TYPE, attr, child, children, text_of, time_of

_SKIPPED_STATUS = {"cancelled", "aborted", "nullified", "obsolete"}


@dataclass(frozen=True)
class Value:
    field: str
    value: object
    date: dt.date | None


def _codes(code: etree._Element | None) -> list[str]:
    """The observation's code and its translations' codes."""
    if code is None:
        return []
    out = [c for c in [attr(code, "code")] if c]
    out += [c for t in children(code, "translation") if (c := attr(t, "code"))]
    return out


def _is_event(obs: etree._Element) -> bool:
    if (attr(obs, "moodCode") or "EVN") != "EVN":
        return False
    if (attr(obs, "negationInd") or "").lower() == "true":
        return False
    status = attr(child(obs, "statusCode"), "code")
    return (status or "").lower() not in _SKIPPED_STATUS


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _quantity(value: etree._Element, factors: dict[str, float]) -> float | None:
    number = _number(attr(value, "value"))
    unit = (attr(value, "unit") or "").lower()
    if number is None or unit not in factors:
        return None
    return round(number * factors[unit], 3)


def _qualitative(obs: etree._Element, value: etree._Element | None, t: CodeTables) -> str | None:
    codes = [attr(value, "code") or ""] + [
        attr(i, "code") or "" for i in children(obs, "interpretationCode")
    ]
    words = " ".join(
        w
        for w in (
            attr(value, "displayName"),
            text_of(value) if value is not None else "",
            text_of(child(value, "originalText")),
        )
        if w
    ).lower()
    # Negative wordings first: "non-reactive" and "not detected" hold the positive word.
    answers = sorted(t.qualitative.items(), key=lambda kv: kv[0] != "negative")
    for answer, spec in answers:
        if any(c in spec.codes for c in codes if c):
            return answer
    for answer, spec in answers:
        if any(w in words for w in spec.words):
            return answer
    return None


def _score(value: etree._Element, answers: dict[str, int]) -> int | None:
    code = attr(value, "code")
    if code in answers:
        return answers[code]
    number = _number(attr(value, "value"))
    if number is not None and number.is_integer() and 0 <= number <= 5:
        return int(number)
    return None


def observation_value(obs: etree._Element, t: CodeTables) -> Value | None:
    """The field value one observation states, or None when it states none we take."""
    if not _is_event(obs):
        return None
    field = next((f for c in _codes(child(obs, "code")) if (f := t.field_of(c))), None)
    if field is None:
        return None
    spec = t.fields[field]
    value = child(obs, "value")
    kind = (attr(value, XSI_TYPE) or "").split(":")[-1].upper()
    result: object | None = None
    if field in QUANTITY_FIELDS and value is not None and kind in ("PQ", ""):
        result = _quantity(value, spec.units)
    elif field in STATUS_FIELDS:
        result = _qualitative(obs, value, t)
    elif field in SCORE_FIELDS and value is not None:
        result = _score(value, spec.answers)
    if result is None:
        return None
    return Value(field, result, time_of(child(obs, "effectiveTime")))


def section_values(section: etree._Element, t: CodeTables) -> list[Value]:
    """Every value stated by the observations of one section (nested ones included).

    An observation without its own time takes its organizer's (a panel's collection time).
    """
    out: list[Value] = []
    for obs in section.iter("observation"):
        found = observation_value(obs, t)
        if found is None:
            continue
        if found.date is None:
            parent = obs.getparent()
            organizer = parent.getparent() if parent is not None else None
            if organizer is not None and organizer.tag == "organizer":
                found = Value(found.field, found.value, time_of(child(organizer, "effectiveTime")))
        out.append(found)
    return out


def newest(values: list[Value]) -> dict[str, object]:
    """One value per field: the newest (an undated one only when none is dated)."""
    best: dict[str, Value] = {}
    for v in values:
        have = best.get(v.field)
        if have is None or (v.date is not None and (have.date is None or v.date > have.date)):
            best[v.field] = v
    return {f: v.value for f, v in best.items()}


def diagnosis(section: etree._Element, t: CodeTables) -> str | None:
    """The first problem named as a cancer (its coded name, else its original text)."""
    for obs in section.iter("observation"):
        if not _is_event(obs):
            continue
        value = child(obs, "value")
        name = attr(value, "displayName") or text_of(child(value, "originalText"))
        if name and any(w in name.lower() for w in t.cancer_words):
            return name.strip()
    return None


def results_date(values: list[Value], section: etree._Element) -> dt.date | None:
    """A results section's own date: its newest dated value, else its newest organizer."""
    dates = [v.date for v in values if v.date is not None]
    if not dates:
        dates = [d for o in section.iter("organizer") if (d := time_of(child(o, "effectiveTime")))]
    return max(dates) if dates else None


def entry_lines(section: etree._Element) -> str:
    """Lines for a section whose narrative is empty: each observation's name and value."""
    lines = []
    for obs in section.iter("observation"):
        name = attr(child(obs, "code"), "displayName")
        value = child(obs, "value")
        shown = " ".join(
            x for x in (attr(value, "value"), attr(value, "unit"), attr(value, "displayName")) if x
        )
        if name and shown:
            lines.append(f"{name}: {shown}")
    return "\n".join(lines)


# DICOM's code for the concept "Modality", qualifying a series in a DICOM object catalog.
_MODALITY_CONCEPT = "121139"


def modality_code(section: etree._Element) -> str | None:
    """The DICOM modality code (CT, MR, CR ...) a catalog section names for a series."""
    for qualifier in section.iter("qualifier"):
        if attr(child(qualifier, "name"), "code") == _MODALITY_CONCEPT:
            code = attr(child(qualifier, "value"), "code")
            if code:
                return code
    return None
