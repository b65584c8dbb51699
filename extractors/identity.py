"""Who a document is about: name, date of birth, MRN and sex, and whether two records match.

Names arrive as "DOE, JANE", "Jane M. Doe", "Mrs Jane Doe" or OCR-damaged ("Jane D0e"); they
are normalised to "Jane Doe" (title case, given names first). Matching tolerates OCR noise,
name order and middle names, and answers None when there is not enough to decide.
"""

from __future__ import annotations

import datetime as dt
import re

from rapidfuzz.distance import Levenshtein

from extractors.dates import Order, parse_date
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
    r"hosp(?:ital|\.)?\s+(?:no\.?|number|id|#)|nhs\s+(?:no\.?|number)|urn|chi\s+(?:no\.?|number)|patient\s+id|pt\s+id|unit\s+(?:no\.?|number)|"
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
    rf"{_MRN_LABEL}\s*[:：#.;]*\s*((?=[A-Z0-9\-/ ]*\d)[A-Z0-9](?:[A-Z0-9\-/]|(?<=-)[ ](?=[A-Z0-9])|[ ](?=\d)){{2,24}})",
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


def extract_patient(text: str, order: tuple[Order, bool] | None = None) -> Patient:
    """The patient named in a document's labelled header fields (first of each kind)."""
    name = dob = mrn = None
    for m in _NAME_VALUE.finditer(text):
        candidate = normalise_name(m.group(1))
        if candidate and not re.search(
            r"\b(?:report|results?|information|history|summary|label|signature|of|unknown|referral|"
            r"evaluation|consultation|request|for|therapy|treatment|letter|your|the|and)\b",
            candidate,
            re.I,
        ):
            name = candidate
            break
    if name is None:
        surname = re.search(
            r"(?:surname|family\s+name|last\s+name)\s*[:：]\s*([A-Za-z'’\-]+)", text, re.I
        )
        given = re.search(
            r"(?:forename|first\s+name|given\s+names?)\s*[:：][ \t]*([A-Za-z'’\-]+(?:[ ][A-Za-z'’\-]+)?)",
            text,
            re.I,
        )
        if surname and given:
            name = normalise_name(f"{surname.group(1)}, {given.group(1)}")
    for m in _DOB_VALUE.finditer(text):
        dob = parse_date(m.group(1), order)
        if dob is not None:
            break
    for m in _MRN_VALUE.finditer(text):
        # OCR splits "REH-K771904" after the hyphen; the number is one token.
        mrn = re.sub(r"-\s+", "-", m.group(1).strip().upper())
        break
    return Patient(name=name, dob=dob, mrn=mrn)


def extract_sex(text: str) -> str | None:
    """'female' / 'male' where the document states it."""
    m = _SEX_VALUE.search(text)
    if not m:
        return None
    value = next(g for g in m.groups() if g).lower()
    return "female" if value in ("f", "female", "woman", "lady", "女") else "male"


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
    return _similar(first_a, last_b) and _given_match(last_a, first_b)


def _dobs_match(a: dt.date, b: dt.date) -> bool:
    # A day/month swap is a reading of an ambiguous date, not a different person.
    return a == b or (a.year == b.year and a.month == b.day and a.day == b.month)


def same_person(a: Patient, b: Patient) -> bool | None:
    """True/False when the two identities can be compared, None when there is too little.

    Any conflicting name or date of birth means a different person. MRNs are per
    institution, so a differing MRN counts against a match only when both MRNs share the
    same format (same letter prefix), i.e. come from the same issuer.
    """
    name = names_match(a.name, b.name) if a.name and b.name else None
    dob = _dobs_match(a.dob, b.dob) if a.dob and b.dob else None
    mrn: bool | None = None
    if a.mrn and b.mrn:
        ka, kb = _mrn_key(a.mrn), _mrn_key(b.mrn)
        if ka == kb or Levenshtein.distance(ka, kb) <= 1 and len(ka) >= 6:
            mrn = True
        elif re.match(r"[A-Z]*", normalise_mrn(a.mrn) or "").group() == re.match(
            r"[A-Z]*", normalise_mrn(b.mrn) or ""
        ).group() and len(ka) == len(kb):
            mrn = False
    if name is False or dob is False:
        return False
    if mrn is False and dob is not True:
        return False
    if name or dob or mrn:
        return True
    return None
