"""Who a document is about: name, date of birth, MRN and sex, and whether two records match.

Names arrive as "DOE, JANE", "Jane M. Doe", "Mrs Jane Doe" or OCR-damaged ("Jane D0e"); they
are normalised to "Jane Doe" (title case, given names first). Matching tolerates OCR noise,
name order and middle names, and answers None when there is not enough to decide.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from rapidfuzz.distance import Levenshtein

from extractors.dates import Order, find_dates, infer_order, parse_date
from extractors.identity_banner import (
    banner_mrn,
    banner_name,
    banner_sex,
    capture_name,
    labelled_name,
    lone_banner_name,
    name_after_identifier,
    name_before_identifier,
    salutation_name,
    subject_name,
)
from extractors.vocabulary import Patient

_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "dr",
    "prof",
    "sir",
    "madam",
    "master",
    "patient",
    "pt",
    "name",
    "the",
}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "md", "phd", "do"}
# OCR reads letters as look-alike digits inside names.
_OCR_LETTERS = str.maketrans({"0": "o", "1": "l", "5": "s", "8": "b", "|": "l", "$": "s", "@": "a"})
_OCR_DIGITS = str.maketrans(
    {"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "S": "5", "B": "8", "Z": "2"}
)

_NAME_LABEL = (
    r"(?:patient(?:'s)?\s*(?:full\s+)?name|pt\.?\s*name|name\s+of\s+patient|patient|pt\.?|name|surname,\s*forename|"
    r"re|regarding|"
    r"患者姓名|病人姓名|姓名|患者)"
)
_DOB_LABEL = r"(?:d\.?\s*o\.?\s*b\.?|date\s+of\s+birth|birth\s*date|born|出生日期|出生)"
_MRN_LABEL = (
    r"(?:mrn|m\.r\.n\.?|med(?:ical)?\.?\s*rec(?:ord)?\.?\s*(?:number|no\.?|#)|mr\s*#|mr\s+no\.?|record\s+(?:no\.?|number|#)|"
    r"uhid(?:\s*/\s*ip\s*no\.?)?|hosp(?:ital|\.)?\s+(?:no\.?|number|id|#)|nhs\s+(?:no\.?|number)|urn|chi\s+(?:no\.?|number)|patient\s+id|pt\s+id|unit\s+(?:no\.?|number)|"
    r"chart\s+(?:no\.?|number|#)|病历号|住院号|门诊号|病案号|ID号)"
)
_SEX_LABEL = r"(?:sex|gender|性别)"

_NAME_VALUE = re.compile(
    rf"(?:^|\n|\||\s{{2,}}|;|,\s)[^\w\n]{{0,3}}\s*{_NAME_LABEL}(?:\s*[:：#;]|[ \t]{{2,}}|\t)\s*"
    r"([A-Za-z\u00C0-\u024F\u4e00-\u9fff][A-Za-z\u00C0-\u024F0-9'’.\- ,\u4e00-\u9fff]{1,60}?)"
    r"(?=\s*(?:\n|\||\s{2,}|;|\t|$|\b(?:DOB|D\.O\.B|Date of Birth|MRN|MR#|Sex|Gender|Age|Born|NHS|ID|"
    r"Hospital|Patient ID|Record|Unit|Chart|Accession|Acc|Case|Date|Visit|Report|Collected|"
    r"Encounter|Referring|Physician|Location)\b|性别|出生|年龄|病历号|住院号|门诊号))",
    re.I,
)
_DOB_VALUE = re.compile(rf"{_DOB_LABEL}\s*[:：#.;]*\s*([^\n|;]{{6,40}})", re.I)
_MRN_VALUE = re.compile(
    rf"{_MRN_LABEL}\s*[:：#.;]*\s*(?:is\s+)?((?=[A-Z0-9\-/ ]*\d)[A-Z0-9](?:[A-Z0-9\-/]|(?<=-)[ ](?=[A-Z0-9])|[ ](?=\d)){{2,24}})",
    re.I,
)
_SEX_VALUE = re.compile(
    rf"(?:{_SEX_LABEL}\s*[:：/;；.]*\s*(female|male|f|m|女|男)\b)|"
    rf"(?:\b(?:sex|gender)\s*/\s*age\s*[:：]?\s*(f|m|female|male)\b)|"
    rf"(?:性别\s*[:：;；.]*\s*(女|男))|"
    r"(?:\b\d{1,3}[- ](?:year|yr)s?[- ]old\s+(female|male|woman|man|lady|gentleman)\b)",
    re.I,
)


def _clean_token(token: str) -> str:
    token = token.strip(".'’-")
    if any(ch.isdigit() for ch in token) and any(ch.isalpha() for ch in token):
        token = token.translate(_OCR_LETTERS)
    return token


def _title(token: str) -> str:
    """Title case that keeps O'Neill, McDonald, Smith-Jones as people write them."""
    parts = re.split(r"([\-'’])", token.lower())
    out = []
    for part in parts:
        if len(part) > 2 and part.startswith("mc"):
            out.append("Mc" + part[2:].capitalize())
        else:
            out.append(part.capitalize())
    return "".join(out)


def normalise_name(raw: str | None) -> str | None:
    """'DOE, JANE M' -> 'Jane M Doe'; titles and suffixes dropped; None if no name is left."""
    if not raw:
        return None
    text = re.sub(r"\s+", " ", raw).strip(" ,;:")
    if re.search(r"[\u4e00-\u9fff]", text):
        han = re.sub(r"[^\u4e00-\u9fff]", "", text)
        return han or None
    if "," in text:
        last, _, rest = text.partition(",")
        if rest.strip():
            text = f"{rest} {last}"
    tokens = [_clean_token(t) for t in re.split(r"[\s,]+", text)]
    tokens = [t for t in tokens if t and re.fullmatch(r"[A-Za-z\u00C0-\u024F'’\-]+", t)]
    tokens = [t for t in tokens if t.lower() not in _TITLES and t.lower() not in _SUFFIXES]
    if not tokens or all(len(t) == 1 for t in tokens):
        return None
    return " ".join(_title(t) for t in tokens)


def normalise_mrn(raw: str | None) -> str | None:
    """Upper-case letters and digits only, so 'smh 441-0237' and 'SMH-4410237' compare equal."""
    if not raw:
        return None
    value = re.sub(r"[^A-Za-z0-9]", "", raw).upper()
    return value or None


def _mrn_key(mrn: str) -> str:
    # Compare MRNs with OCR look-alikes folded together (O/0, I/l/1, S/5, B/8).
    return normalise_mrn(mrn.translate(_OCR_DIGITS)) or ""


_LATIN_NAME_LABEL = (
    r"(?:patient(?:'s)?\s*(?:full\s+)?name|pt\.?\s*name|name\s+of\s+patient|title\s*/\s*name|"
    r"member(?:\s+name)?|patient|name|(?:re|regarding)(?=\s*:))"
)
_NOT_A_NAME = re.compile(
    r"\b(?:report|results?|information|history|summary|label|signature|of|unknown|referral|"
    r"evaluation|consultation|request|for|therapy|treatment|letter|your|the|and|portal|details|"
    r"education|instructions|copy)\b",
    re.I,
)
# Numbers a hospital gives its patient, before national ones (NHS, Medicare, CHI), which
# a record prints beside them but the case's MRN rarely is.
_LOCAL_MRN = re.compile(r"^(?:nhs|chi|medicare)", re.I)


def _latin_name(text: str) -> tuple[str | None, str]:
    """The patient's name in Latin script and the rest of its banner line."""
    # Labelled names first, then the unlabelled layouts, most telling first.
    finders: tuple[Callable[[str], tuple[str, str] | None], ...] = (
        lambda t: labelled_name(t, _LATIN_NAME_LABEL),
        banner_name,
        name_before_identifier,
        subject_name,
        name_after_identifier,
        lone_banner_name,
    )
    for finder in finders:
        found = finder(text)
        if found is None:
            continue
        candidate = normalise_name(found[0])
        if candidate and not _NOT_A_NAME.search(candidate):
            return candidate, found[1]
    surname = re.search(
        r"(?:surname|family\s+name|last\s+name)\s*[:：]\s*([A-Za-z'’\-]+)", text, re.I
    )
    given = re.search(
        r"(?:forename|first\s+name|given\s+names?)\s*[:：][ \t]*([A-Za-z'’\-]+(?:[ ][A-Za-z'’\-]+)?)",
        text,
        re.I,
    )
    if surname and given:
        given_name, _ = capture_name(given.group(1))
        return normalise_name(f"{surname.group(1)}, {given_name or given.group(1)}"), ""
    greeted = salutation_name(text)
    return (normalise_name(greeted) if greeted else None), ""


def _han_name(text: str) -> str | None:
    for m in _NAME_VALUE.finditer(text):
        candidate = normalise_name(m.group(1))
        if candidate and re.search(r"[\u4e00-\u9fff]", candidate):
            return candidate
    return None


def _banner_dob(rest: str, text: str, order: tuple[Order, bool]) -> dt.date | None:
    """An unlabelled date of birth on the banner line: a date no role label names, years
    before the newest date of the document."""
    newest = max((f.value for f in find_dates(text, order)), default=None)
    for found in find_dates(rest, order):
        before = rest[max(0, found.start - 24) : found.start].lower()
        if re.search(r"date|collected|exam|study|visit|dos|report|receiv|print|seen|time", before):
            continue
        if newest is not None and found.value.year <= newest.year - 2:
            return found.value
    return None


def _mrn(text: str) -> str | None:
    found = [m for m in _MRN_VALUE.finditer(text)]
    local = [m for m in found if not _LOCAL_MRN.match(m.group(0))]
    for m in local or found:
        # OCR splits "REH-K771904" after the hyphen; the number is one token.
        return re.sub(r"-\s+", "-", m.group(1).strip().upper())
    return None


def extract_patient(text: str, order: tuple[Order, bool] | None = None) -> Patient:
    """The patient named in a document's header: labelled fields first, then an unlabelled
    banner. Dates of birth are read in the document's own day/month order."""
    order = order or infer_order(text)
    name = _han_name(text) if re.search(r"[\u4e00-\u9fff]", text) else None
    rest = ""
    if name is None:
        name, rest = _latin_name(text)
    dob = None
    for m in _DOB_VALUE.finditer(text):
        dob = parse_date(m.group(1), order)
        if dob is not None:
            break
    if dob is None and rest:
        dob = _banner_dob(rest, text, order)
    return Patient(name=name, dob=dob, mrn=_mrn(text) or banner_mrn(rest))


def extract_sex(text: str) -> str | None:
    """'female' / 'male' where the document states it."""
    return banner_sex(text)


def _name_parts(name: str) -> tuple[str, str, list[str]]:
    tokens = normalise_name(name)
    if tokens is None:
        return "", "", []
    parts = tokens.lower().split()
    return parts[0], parts[-1], parts


def _similar(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) <= 3:
        return False
    allowed = 1 if max(len(a), len(b)) <= 6 else 2
    return Levenshtein.distance(a, b) <= allowed


def _given_match(a: str, b: str) -> bool:
    # An initial ("J") matches a full given name ("Jane").
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return _similar(a, b)


def names_match(a: str, b: str) -> bool | None:
    """Same person's name allowing OCR noise, middle names/initials and either name order."""
    if re.search(r"[\u4e00-\u9fff]", a + b):
        na, nb = normalise_name(a) or "", normalise_name(b) or ""
        if not na or not nb:
            return None
        return na == nb or (
            len(na) == len(nb) and Levenshtein.distance(na, nb) <= 1 and len(na) > 2
        )
    first_a, last_a, tokens_a = _name_parts(a)
    first_b, last_b, tokens_b = _name_parts(b)
    if not tokens_a or not tokens_b:
        return None
    if _similar(last_a, last_b) and _given_match(first_a, first_b):
        return True
    # "DOE JANE" without a comma reads surname first.
    if _similar(first_a, last_b) and _given_match(last_a, first_b):
        return True
    return None if names_partly_match(a, b) else False


def names_partly_match(a: str, b: str) -> bool:
    """The given name agrees and so does one part of a double surname, the other part
    misread or dropped ("Delgado-Wieteielid", "Kline" for "Wendover-Kline"): neither an
    agreement nor a conflict."""
    first_a, last_a, tokens_a = _name_parts(a)
    first_b, last_b, tokens_b = _name_parts(b)
    if not tokens_a or not tokens_b:
        return False
    return any(
        _given_match(given_a, given_b) and _shared_part(sur_a, sur_b)
        for given_a, sur_a, given_b, sur_b in (
            (first_a, last_a, first_b, last_b),
            (first_a, last_a, last_b, first_b),
        )
    )


def _shared_part(a: str, b: str) -> bool:
    parts_a = [p for p in re.split(r"[-\s]+", a) if len(p) >= 4]
    parts_b = [p for p in re.split(r"[-\s]+", b) if len(p) >= 4]
    if len(parts_a) < 2 and len(parts_b) < 2:
        return False
    return any(_similar(x, y) for x in parts_a for y in parts_b)


# Digits OCR reads for one another on faxes and scans.
_DIGIT_CONFUSIONS = {frozenset(p) for p in ("38", "17", "08", "56", "68", "06", "49", "89", "35")}


def dob_agreement(a: dt.date, b: dt.date) -> str:
    """'same', 'near' (one digit away by an OCR confusion) or 'different'."""
    # A day/month swap is a reading of an ambiguous date, not a different person.
    if a == b or (a.year == b.year and a.month == b.day and a.day == b.month):
        return "same"
    sa, sb = a.strftime("%Y%m%d"), b.strftime("%Y%m%d")
    diffs = [(x, y) for x, y in zip(sa, sb, strict=True) if x != y]
    if len(diffs) == 1 and frozenset(diffs[0]) in _DIGIT_CONFUSIONS:
        return "near"
    return "different"


def _mrn_agreement(a: str | None, b: str | None) -> bool | None:
    if not a or not b:
        return None
    ka, kb = _mrn_key(a), _mrn_key(b)
    if ka == kb or Levenshtein.distance(ka, kb) <= 1 and len(ka) >= 6:
        return True
    # MRNs are per institution: a differing one is evidence only from the same issuer
    # (same letter prefix, same length).
    prefix_a = re.match(r"[A-Z]*", normalise_mrn(a) or "")
    prefix_b = re.match(r"[A-Z]*", normalise_mrn(b) or "")
    if prefix_a and prefix_b and prefix_a.group() == prefix_b.group() and len(ka) == len(kb):
        return False
    return None


def compare_identity(a: Patient, b: Patient) -> tuple[str, dict[str, str]]:
    """'same', 'different' or 'undetermined', with the evidence of each part.

    Another person only on a real conflict: a date of birth more than one OCR confusion
    away, or a different name with nothing that agrees. A name that differs while DOB and
    MRN agree is the same patient (a married name, a misspelling); a DOB one confusion
    away with nothing else to go on is undetermined, for a person to look at.
    """
    name = names_match(a.name, b.name) if a.name and b.name else None
    dob = dob_agreement(a.dob, b.dob) if a.dob and b.dob else None
    mrn = _mrn_agreement(a.mrn, b.mrn)
    evidence = {
        "name": "partly agrees"
        if name is None and a.name and b.name and names_partly_match(a.name, b.name)
        else {True: "agrees", False: "differs", None: "not compared"}[name],
        "dob": {"same": "agrees", "near": "one OCR confusion away", "different": "differs"}.get(
            dob or "", "not compared"
        ),
        "mrn": {True: "agrees", False: "differs", None: "not compared"}[mrn],
    }
    agree = sum([name is True, dob == "same", mrn is True])
    if dob == "different":
        verdict = "undetermined" if name is True and mrn is True else "different"
    elif name is False and agree == 0:
        verdict = "different" if dob == "near" or mrn is False or dob is None else "undetermined"
    elif mrn is False and agree == 0:
        verdict = "different" if dob is None and name is None else "undetermined"
    elif agree >= 1 and not (name is False and agree == 1 and mrn is not True):
        verdict = "same"
    else:
        verdict = "undetermined"
    return verdict, evidence


def same_person(a: Patient, b: Patient) -> bool | None:
    """True/False when the two identities can be told apart, None when undetermined."""
    verdict, _ = compare_identity(a, b)
    return {"same": True, "different": False}.get(verdict)
