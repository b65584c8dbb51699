"""The patient's sex as a record states it: a banner's label, the title before the patient's
name, or, in a letter or note about the patient, the pronouns used for them.

Banners print sex in a cell ("Sex: F", "DOB / Age / Sex: 04/11/1968  58  F"); letters
rarely do, but name the patient "Re: Mrs Jane Doe" or "Mr. Doe has received ..." and then
write "she" or "he" throughout, which a reader takes as the patient's sex.
"""

from __future__ import annotations

import re

from extractors.identity_banner import banner_sex
from extractors.vocabulary import DocType

# Documents written about one patient in prose, where pronouns refer to the patient.
NARRATIVE = (
    DocType.REFERRAL_LETTER,
    DocType.CLINIC_NOTE,
    DocType.DISCHARGE_SUMMARY,
    DocType.TREATMENT_SUMMARY,
)
_TITLE_SEX = {
    "mr": "male",
    "mister": "male",
    "master": "male",
    "mrs": "female",
    "ms": "female",
    "miss": "female",
}
_TITLE = re.compile(r"(?<![A-Za-z])(Mr|Mrs|Ms|Miss|Mister|Master)\.?[ \t]+([A-Z][\w'’\-]+)")
# "VENKATARAMAN-LOWE, Priya (Mrs)": a title in brackets after the name.
_PAREN_TITLE = re.compile(r"\((Mr|Mrs|Ms|Miss)\.?\)", re.I)
# A subject line names the patient: "Re: Mr John Doe", "Sub: Referral of Mrs. Jane Doe".
_SUBJECT_TITLE = re.compile(
    r"^[^\w\n]{0,3}(?:(?:re|sub|subject|regarding)\b[^\n]{0,40}?(?<![A-Za-z])|"
    r"(?:patient|name)\s*[:：]\s*)(Mr|Mrs|Ms|Miss|Master)\.?[ \t]+[A-Z]",
    re.I | re.M,
)
# "Age/Sex: 58 Y / F" is handled by banner_sex; a cell that lists date, age and sex with
# spaces for separators ("DOB / Age / Sex: 04/11/1968  58  F") is read here.
_LISTED_CELL = re.compile(
    r"\b(?:dob|d\.o\.b\.?|age)\s*/\s*(?:age\s*/\s*)?(?:sex|gender)\s*[:：]?\s*"
    r"(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}\s*[/|]?\s*)?(?:\d{1,3}\s*(?:y|yrs?|years?)?\.?\s*[/|]?\s*)?"
    r"(F|M|female|male)\b",
    re.I,
)
_SHE = re.compile(r"\b(?:she|her|hers|herself)\b", re.I)
_HE = re.compile(r"\b(?:he|him|his|himself)\b", re.I)


def _name_tokens(name: str | None) -> set[str]:
    if not name:
        return set()
    return {t.casefold() for t in re.split(r"[\s\-]+", name) if len(t) > 1}


def _titled_sex(text: str, patient_name: str | None) -> str | None:
    m = _PAREN_TITLE.search(text) or _SUBJECT_TITLE.search(text)
    if m:
        return _TITLE_SEX[m.group(1).lower()]
    tokens = _name_tokens(patient_name)
    for m in _TITLE.finditer(text):
        word = m.group(2).casefold()
        # Only a title before the patient's own name: letters name colleagues too.
        if word in tokens or any(part in tokens for part in word.split("-")):
            return _TITLE_SEX[m.group(1).lower()]
    return None


def _pronoun_sex(text: str) -> str | None:
    she, he = len(_SHE.findall(text)), len(_HE.findall(text))
    # Clearly one way: a stray pronoun for a relative or a colleague does not decide it.
    if she >= 2 and she >= 3 * he:
        return "female"
    if he >= 2 and he >= 3 * she:
        return "male"
    return None


def stated_sex(text: str, doc_type: DocType, patient_name: str | None = None) -> str | None:
    """'female' / 'male' as the record states it, or None."""
    listed = _LISTED_CELL.search(text)
    if listed:
        return "female" if listed.group(1).lower().startswith("f") else "male"
    return (
        banner_sex(text)
        or _titled_sex(text, patient_name)
        or (_pronoun_sex(text) if doc_type in NARRATIVE else None)
    )
