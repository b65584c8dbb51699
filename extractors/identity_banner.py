"""Names, dates of birth and sex as patient banners print them, label or no label.

Banners and header tables put the next label straight after the name ("Jane Doe Exam
Date ...", "DOE, JANE Lab No ..."), and OCR turns their column gaps into single spaces, so
a name is read token by token and ends at the first token that is not part of a name: a
label word, a number, a lower-case word. A name may wrap under its label
("Name: SMITH-JONES," / "MARIA"), and many systems print no label at all
(`SMITH, JOHN A   MRN: 123   DOB: 01/02/1960`): a line that opens with a comma-form
name and carries an identifier on the same line is a banner.
"""

from __future__ import annotations

import re

# Words that label the next field in a banner: a name never contains them.
_STOP = {
    "dob", "d.o.b", "mrn", "mr#", "sex", "gender", "age", "exam", "examination", "study",
    "specimen", "lab", "laboratory", "accession", "acc", "date", "dos", "collected",
    "received", "reported", "resulted", "nhs", "hospital", "hosp", "urn", "uhid", "id",
    "unit", "record", "chart", "case", "visit", "report", "encounter", "referring",
    "referrer", "referred", "physician", "location", "loc", "ward", "bed", "consultant",
    "provider", "ordering", "ordered", "attending", "account", "acct", "pcp", "phone",
    "tel", "room", "page", "allergies", "allergy", "weight", "height", "clinic", "procedure",
    "surgeon", "ref", "no", "number", "printed", "member", "group", "plan", "born", "birth",
    "medicare", "ihi", "event", "sample", "type", "dept", "department", "service", "mobile",
    "address", "email", "fax", "from", "to", "re", "client", "source", "status", "md",
    "ip", "op", "reg", "registration", "episode", "admission", "discharge", "doctor",
    "patient", "name", "y", "yo", "yrs", "years", "male", "female",
}  # fmt: skip
_TITLES = {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "master", "madam"}
_PARTICLES = {"de", "van", "von", "da", "del", "della", "di", "le", "la", "bin", "al", "ter"}
_NAME_TOKEN = re.compile(r"[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’\-.]*,?")
_PAREN_TITLE = re.compile(r"\((?:mr|mrs|ms|miss|mx|dr)\.?\)", re.I)
# OCR reads letters as digits inside names ("D0e"); a token that is all digits ends a name.
_OCR_NAME = re.compile(r"[A-Za-z][A-Za-z0-9'’\-]*[A-Za-z0-9],?")


def _is_name_token(token: str, first: bool) -> bool:
    bare = token.rstrip(",.").strip("'’")
    if not bare or bare.lower().rstrip(":") in _STOP or token.endswith(":"):
        return False
    if _NAME_TOKEN.fullmatch(token):
        return bare[0].isupper() or (not first and bare.lower() in _PARTICLES)
    return bool(_OCR_NAME.fullmatch(token) and bare[0].isupper() and not first)


# A word after a name that makes the name's last word a label: "Test date", "Lab No".
_LABEL_TAIL = {"date", "no", "no.", "number", "#", "time", "id", "type", "name", "by", "of"}


def _ends_name(token: str, following: str | None, first: bool) -> bool:
    """Whether `token` starts the next field although it looks like a name."""
    if following is None:
        return False
    nxt = following.lower().rstrip(":.")
    # "Test date", "Scan no.", "Order #": the label's own words are lower case or a sign.
    if nxt in _LABEL_TAIL and not following[0].isupper():
        return True
    # "Biopsy No.:", "Case No": a number's label, whatever its case ("Date:" is a label alone).
    if following.rstrip(":") in ("#", "No", "No.", "Number"):
        return True
    # A capitalised word before prose ("Thank you") is not a name.
    if first and following[0].islower() and nxt not in _PARTICLES:
        return True
    # A lone F or M before a date or an age is the patient's sex, not an initial.
    return token in ("F", "M") and bool(re.match(r"[\d/(]", following))


def capture_name(text: str) -> tuple[str, str]:
    """The name at the start of `text` and what follows it on the line: ('', text) if none."""
    line = re.sub(r",(?=[A-Za-z])", ", ", text.split("\n", 1)[0])
    # A text layer can lose the gap between two cells: "Jane DoeMRN: 123".
    line = re.sub(r"(?<=[a-z])(?=(?:MRN|DOB|URN|UHID|NHS)\b)", " ", line)
    tokens = re.findall(r"\S+", line)
    taken: list[str] = []
    commas = 0
    for i, token in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else None
        real = [
            t
            for t in taken
            if not _PAREN_TITLE.fullmatch(t) and t.lower().rstrip(".") not in _TITLES
        ]
        if _ends_name(token, following, first=not real):
            break
        if _PAREN_TITLE.fullmatch(token):
            taken.append(token)
            continue
        if token.lower().rstrip(".") in _TITLES and not taken:
            taken.append(token)
            continue
        if len(taken) >= 6 or not _is_name_token(token, first=not taken):
            break
        taken.append(token)
        commas += token.endswith(",")
        if commas > 1 or (token.endswith(".") and len(token.rstrip(".")) > 3):
            break
    name = " ".join(taken)
    rest = " ".join(tokens[len(taken) :])
    return name, rest


def _real_tokens(name: str) -> list[str]:
    return [
        t
        for t in re.findall(r"[A-Za-z\u00C0-\u024F'’\-]+", name)
        if t.lower() not in _TITLES and len(t) > 1
    ]


def labelled_name(text: str, label: str) -> tuple[str, str] | None:
    """The name after a label ('Patient:', 'Name', 'PATIENT NAME :'), wrapped lines included,
    and the rest of its line; None when none is there."""
    pattern = re.compile(
        rf"(?:^|(?<=[\s|;]))(?P<label>{label})[ \t]*(?P<colon>[:：#]|[ \t]{{2,}})?[ \t]*",
        re.I | re.M,
    )
    for m in pattern.finditer(text):
        line_start = text.rfind("\n", 0, m.start()) + 1
        at_start = not text[line_start : m.start()].strip(" \t|\\>*-")
        if not m.group("colon") and not at_start:
            continue
        after = text[m.end() :]
        name, rest = capture_name(after)
        if not name and (not after or after[0] == "\n" or not after.split("\n", 1)[0].strip()):
            # The value wraps under its label.
            name, rest = capture_name(after.split("\n", 1)[1] if "\n" in after else "")
        elif name.endswith(",") and not rest.strip(" \t,"):
            more, rest = capture_name(after.split("\n", 1)[1] if "\n" in after else "")
            name = f"{name} {more}".strip()
        elif name.endswith(",") and "\n" in after:
            more, _ = capture_name(after.split("\n", 1)[1])
            # "Name: DOE,   MRN: 1" / "JANE": the given names sit under the surname.
            if more and rest.strip() and rest.split()[0].lower().rstrip(":#") in _STOP:
                name = f"{name} {more}"
        if re.match(r"(?:dr|prof)\b", name, re.I):
            continue  # a clinician named in a form's other sections
        if len(_real_tokens(name)) < 1 or (len(_real_tokens(name)) < 2 and "," not in name):
            continue
        if not m.group("colon") and not _has_identifier(rest + text[m.end() :].split("\n", 1)[0]):
            continue
        return name.rstrip(","), rest
    return None


_IDENTIFIER = re.compile(
    r"\b(?:DOB|D\.O\.B|MRN|URN|UHID|NHS|Hosp(?:ital)?\s+No)\b|\d{1,4}[/.\-]\d{1,2}[/.\-]\d{2,4}|"
    r"\b\d{1,2}[\s\-](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s\-]\d{4}|"
    r"\b[A-Z]{0,4}-?\d{5,}\b",
    re.I,
)


def _has_identifier(line: str) -> bool:
    return bool(_IDENTIFIER.search(line))


_BANNER_START = re.compile(
    r"^[^\w\n]{0,3}(?=[A-Z][A-Za-z\u00C0-\u024F'’\-]+(?:[ ][A-Z][A-Za-z'’\-]+)?,[ ]*[A-Z][a-zA-Z]{2,})",
    re.M,
)


def banner_name(text: str) -> tuple[str, str] | None:
    """An unlabelled banner name: a line opening with 'SURNAME, Given' and an identifier."""
    for m in _BANNER_START.finditer(text):
        name, rest = capture_name(text[m.end() :])
        if "," not in name or not _has_identifier(rest):
            continue
        surname, _, given = name.partition(",")
        first_given = given.split()[0] if given.split() else ""
        if surname.lower() in _STOP or first_given.lower().rstrip(".") in _STOP:
            continue
        return name, rest
    return None


_AGE = r"\d{1,3}\s*(?:y|yo|y\.o\.|yrs?|years?)?\.?"
_SEX_PATTERNS = [
    # "Sex: F", "Gender : Male", "Age / Gender : 37 Y / Male", "DOB/AGE/SEX: 04/07/1970 / 56 / F"
    re.compile(
        r"\b(?:sex|gender)\b(?:\s*[/|]\s*\w+)*\s*[:：]?\s*(?:[^\n:]{0,30}?[/|]\s*)?"
        r"(female|male|f|m)\b(?!\s*[:/]\s*\d)",
        re.I,
    ),
    re.compile(
        r"\b(?:age|dob)\s*[/|]\s*(?:sex|gender)\b[^\n]{0,30}?[/|]\s*(female|male|f|m)\b", re.I
    ),
    # "19 yo M", "55Y M", "31 y.o. F", "37 yrs/M", "(58 y.o.) Sex"
    re.compile(r"\b\d{1,3}\s*(?:y|yo|y\.o\.|yrs?|years?)\.?\s*[/,]?\s*(F|M|female|male)\b"),
    # "M/37", "F / 68 / 01-23-1958"
    re.compile(r"(?:^|\s)(F|M)\s*/\s*\d{1,3}\b"),
    # A sex letter beside the date of birth in a banner: "DOE, JANE F 22/05/1964"
    re.compile(r"[A-Za-z,]\s+(F|M)\s+\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\b"),
    re.compile(r"\b(?:DOB|D\.O\.B\.?)\s*[:：]?\s*\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}\s+(F|M)\b"),
    re.compile(r"(?:性别)\s*[:：;；.]*\s*(女|男)"),
    re.compile(
        r"\b\d{1,3}[- ](?:year|yr)s?[- ]old\s+(female|male|woman|man|lady|gentleman|girl|boy)\b",
        re.I,
    ),
]


_BANNER_ID = re.compile(r"(?=[A-Z0-9\-]*\d{5})[A-Z]{0,4}-?\d[\d\-]{4,}\b")


def banner_mrn(rest: str) -> str | None:
    """An unlabelled record number printed straight after a banner name."""
    m = _BANNER_ID.match(rest.strip())
    return (
        m.group()
        if m and not re.fullmatch(r"[\d\-]{8,10}", m.group()) or (m and m.group().isdigit())
        else None
    )


def banner_sex(text: str) -> str | None:
    """'female' / 'male' as a banner or a note states it, or None."""
    for pattern in _SEX_PATTERNS:
        m = pattern.search(text)
        if m:
            value = m.group(1).lower()
            return "female" if value in ("f", "female", "woman", "lady", "girl", "女") else "male"
    return None


_ID_LABEL_AHEAD = re.compile(
    r"^[\s|(,\-–—]*(?:DOB|D\.O\.B|date\s+of\s+birth|born|MRN|UHID|URN|NHS)\b", re.I
)
# Where a name may start on a banner line: the line's start or after a separator.
_SEGMENT_START = re.compile(r"^|\s[-–—|]\s|\|\s*")


def _full_name(name: str) -> bool:
    return len(_real_tokens(name)) >= 2


def name_before_identifier(text: str, lines: int = 15) -> tuple[str, str] | None:
    """A name printed straight before a DOB or record-number label, with no label of its
    own: 'Jane Q Doe | DOB 01/02/1960 | MRN 123', 'Medication list - Jane Doe (DOB ...)'."""
    for line in text.splitlines()[:lines]:
        for m in _SEGMENT_START.finditer(line):
            name, rest = capture_name(line[m.end() :])
            if _full_name(name) and _ID_LABEL_AHEAD.match(rest):
                return name, rest
    return None


_ID_VALUE = re.compile(
    r"\b(?:MRN|UHID|URN|Hosp(?:ital)?\.?\s+No\.?|NHS\s+No\.?)\s*[:#]?\s*"
    r"(?=[A-Z0-9\-/]*\d)[A-Z0-9][A-Z0-9\-/]{4,}\s+"
)


def name_after_identifier(text: str, lines: int = 15) -> tuple[str, str] | None:
    """A capitalised name printed after the record number on a banner line:
    'UHID AB-2024-1188   DOE JANE K   F/52'."""
    for line in text.splitlines()[:lines]:
        for m in _ID_VALUE.finditer(line):
            name, rest = capture_name(line[m.end() :])
            letters = re.sub(r"[^A-Za-z]", "", name)
            if _full_name(name) and letters.isupper():
                return name, rest
    return None


def lone_banner_name(text: str, lines: int = 10) -> tuple[str, str] | None:
    """'DOE, JANE Q' alone at the top of a report (or before another label), with the
    patient's identifiers on the lines just below: a banner split over rows."""
    top = text.splitlines()[:lines]
    for i, line in enumerate(top):
        m = _BANNER_START.match(line)
        if not m:
            continue
        name, rest = capture_name(line[m.end() :])
        if "," not in name or not _full_name(name):
            continue
        if rest.strip() and rest.split()[0].lower().rstrip(":") not in _STOP:
            continue
        if any(_has_identifier(below) for below in text.splitlines()[i + 1 : i + 5]):
            return name, rest
    return None


_SUBJECT = re.compile(r"^[^\w\n]{0,3}(?:re|sub|subject|regarding)\s*[:：.]\s*(.+)$", re.I | re.M)
_TITLED = re.compile(r"(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Master)\.?\s+(?=[A-Z])")
_COMMA_NAME = re.compile(r"(?:^|\s[-–—:»]\s*)(?=[A-Z][A-Za-z'’\-]+,\s*[A-Z][A-Za-z]{2,})")


def subject_name(text: str) -> tuple[str, str] | None:
    """The patient a subject line is about: 'Sub: Referral of Mr. John Doe (52 Y / M)',
    'Subject: Case status - DOE, JANE'."""
    for m in _SUBJECT.finditer(text):
        line = m.group(1)
        for start in list(_TITLED.finditer(line)) + list(_COMMA_NAME.finditer(line)):
            name, rest = capture_name(line[start.end() :])
            if _full_name(name):
                return name, rest
    return None


_SALUTATION = re.compile(
    r"^Dear\s+(?:(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+)?(?!(?:Dr|Prof|Doctor|Sir|Madam)\b)([A-Z][a-z'’\-]+(?:\s+[A-Z]\.?)?(?:\s+[A-Z][\w'’\-]+){1,2})\s*[,:]",
    re.M,
)


def salutation_name(text: str) -> str | None:
    """A letter to the patient greets them by full name ('Dear Jane Doe,'); a letter to a
    doctor greets 'Dear Dr Roe' or 'Dear Colleague', which is not the patient."""
    m = _SALUTATION.search(text)
    return m.group(1) if m else None
