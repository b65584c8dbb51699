"""Disease facts: diagnosis line, CD19/BCMA/MAGE-A4 status, PD-L1, HLA-A alleles, prior
lines of therapy and the regimens as stated."""

from __future__ import annotations

import re

from extractors.fields_text import clean, context_ok

MARKERS: dict[str, str] = {
    "cd19": r"cd\s*19",
    "bcma": r"bcma|b[- ]cell\s+maturation\s+antigen",
    "mage_a4": r"mage[- ]?a4",
}


def read_marker(text: str, label: str) -> str | None:
    direct = re.compile(
        rf"(?<![A-Za-z0-9])(?:{label})(?![0-9])(?:\s*(?:expression|status|ihc|by\s+ihc|by\s+flow(?:\s+cytometry)?|"
        rf"immunohistochemistry|\([^)\n]{{0,30}}\)))*\s*[:=\-]?\s*(?:is\s+)?(?:(positive|pos\b|\+|expressed|detected)|"
        rf"(negative|neg\b|−|not\s+expressed|not\s+detected|absent|lost|loss))",
        re.I,
    )
    for m in direct.finditer(text):
        if context_ok(text, m.start()):
            return "positive" if m.group(1) else "negative"
    listed = re.compile(
        r"(positive|negative|express(?:es|ing)?|lack(?:s|ing)?)\s+(?:for\s+)?([^.;\n]*)", re.I
    )
    for m in listed.finditer(text):
        items = re.split(
            r"\b(?:but|while|whereas|and\s+(?:are\s+)?(?:negative|positive))\b", m.group(2)
        )[0]
        if re.search(rf"(?<![A-Za-z0-9])(?:{label})(?![0-9])", items, re.I) and context_ok(
            text, m.start()
        ):
            word = m.group(1).lower()
            return "negative" if word.startswith(("negative", "lack")) else "positive"
    return None


# Common named regimens (acronyms are how oncologists write them in every region).
_REGIMEN_NAMES = [
    "DA-EPOCH-R",
    "R-DA-EPOCH",
    "DA-R-EPOCH",
    "R-EPOCH",
    "R-CHOP",
    "R-mini-CHOP",
    "R-CHOEP",
    "Pola-R-CHP",
    "R-CVP",
    "R-ICE",
    "R-DHAP",
    "R-DHAX",
    "R-ESHAP",
    "R-GDP",
    "R-GemOx",
    "R-GEMOX",
    "Pola-BR",
    "BR",
    "R-Bendamustine",
    "CHOP",
    "CHOEP",
    "ABVD",
    "BEACOPP",
    "ICE",
    "DHAP",
    "GDP",
    "GemOx",
    "BEAM",
    "VRd",
    "RVd",
    "KRd",
    "DRd",
    "D-VRd",
    "Dara-VRd",
    "DVRd",
    "DPd",
    "D-Pd",
    "Pd",
    "Kd",
    "DKd",
    "IsaKd",
    "Isa-Pd",
    "VCd",
    "CyBorD",
    "Rd",
    "Elo-Pd",
    "Hyper-CVAD",
    "hyper-CVAD",
    "R-hyper-CVAD",
    "FLAG-IDA",
    "blinatumomab",
    "inotuzumab",
    "dasatinib",
    "imatinib",
    "ponatinib",
    "AIEOP-BFM",
    "COG AALL",
    "AI",
    "MAID",
    "doxorubicin/ifosfamide",
    "doxorubicin and ifosfamide",
    "gemcitabine/docetaxel",
    "trabectedin",
    "pazopanib",
    "ifosfamide",
    "doxorubicin",
    "nivolumab",
    "pembrolizumab",
    "ipilimumab/nivolumab",
    "nivolumab/ipilimumab",
    "ipilimumab",
    "dabrafenib/trametinib",
    "encorafenib/binimetinib",
    "vemurafenib/cobimetinib",
    "relatlimab/nivolumab",
    "FOLFIRINOX",
    "mFOLFIRINOX",
    "FOLFOX",
    "FOLFIRI",
    "CAPOX",
    "gemcitabine/nab-paclitaxel",
    "carboplatin/paclitaxel",
    "tafasitamab",
    "loncastuximab",
    "glofitamab",
    "epcoritamab",
    "teclistamab",
    "talquetamab",
    "elranatamab",
    "selinexor",
    "lenalidomide",
    "pomalidomide",
    "bortezomib",
    "carfilzomib",
    "daratumumab",
]


_REGIMEN_RE = re.compile(
    r"(?<![A-Za-z0-9-])("
    + "|".join(re.escape(n) for n in sorted(_REGIMEN_NAMES, key=len, reverse=True))
    + r")(?![A-Za-z0-9-])",
)


_REGIMEN_WORDS = re.compile(
    r"(?<![A-Za-z0-9-])("
    + "|".join(re.escape(n) for n in sorted(_REGIMEN_NAMES, key=len, reverse=True) if n.islower())
    + r")(?![A-Za-z0-9-])",
    re.I,
)


# Public for the history reader, which tells therapy lines from other dated events.
REGIMEN_NAMES_RE = _REGIMEN_RE
REGIMEN_WORDS_RE = _REGIMEN_WORDS


_PLANNED = re.compile(
    r"(?:plan(?:ned)?|consider(?:ing|ation)?|will\s+(?:start|begin|receive|get)|candidate\s+for|eligible\s+for|"
    r"recommend(?:ed)?|discuss(?:ed)?|option|offer(?:ed)?|not\s+(?:received|given)|no\s+prior)\W+(?:[\w/-]+\W+){0,4}$",
    re.I,
)


def read_pd_l1(text: str) -> float | None:
    # The clone in brackets ("PD-L1 (22C3)") is not the score; the score follows TPS/CPS or carries %.
    for pattern in (
        r"pd-?l1[^\n]{0,60}?(?:tps|cps|tumou?r\s+proportion\s+score|combined\s+positive\s+score)\s*[:=]?\s*"
        r"(<\s*)?(\d{1,3}(?:\.\d+)?)",
        r"pd-?l1(?:\s*\([^)\n]*\))?[^\n\d%]{0,40}(<\s*)?(\d{1,3}(?:\.\d+)?)\s*%",
    ):
        for m in re.finditer(pattern, text, re.I):
            if context_ok(text, m.start()):
                return 0.0 if m.group(1) else clean(float(m.group(2)))
    return None


_LINE_ENTRY = re.compile(
    r"(?:^|\n)[ \t]*(?:line|ln\.?|(?:first|second|third|fourth|fifth)[- ]line|\d(?:st|nd|rd|th)[- ]line)"
    r"[ \t]*(?:\d{1,2})?[ \t]*(?:therapy|treatment)?[ \t]*[:.)\-–][ \t]*([^\n]+)",
    re.I,
)


# Where a stated regimen ends and its cycles, dates or response begin.
_REGIMEN_END = re.compile(
    r"\s+x\s*\d|\s*[;|]|\s{2,}|,?\s*\d+\s*(?:cycles?|courses?)\b|\s*\(?\b\d{1,2}[/.-]\d{2,4}\b|"
    r"\s*\(?\b(?:19|20)\d{2}\b|\s*[,.(]?\s*best\s+response|\.\s|\.$|\s+[-–]\s+",
    re.I,
)


def _trim_regimen(raw: str) -> str | None:
    value = _REGIMEN_END.split(raw, maxsplit=1)[0].strip(" ,.:-–")
    value = re.sub(r"\s+[^\s()]$", "", value)  # a lone trailing character is a speck read as text
    if not value or len(value) > 120 or not re.search(r"[A-Za-z\u4e00-\u9fff]{2}", value):
        return None
    return value


def _stated_regimens(text: str) -> list[str]:
    """Regimens as the record states them, one per line of therapy."""
    found = [r for r in (_trim_regimen(m.group(1)) for m in _LINE_ENTRY.finditer(text)) if r]
    if found:
        return found
    # A table with a "Regimen" column.
    lines = text.splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in re.split(r"\s{2,}|\t|\|", line) if c.strip()]
        column = next(
            (
                j
                for j, c in enumerate(cells)
                if re.fullmatch(r"(?:regimen|treatment|therapy|drugs?)", c, re.I)
            ),
            None,
        )
        if column is None or len(cells) < 2:
            continue
        for row in lines[i + 1 :]:
            row_cells = [c.strip() for c in re.split(r"\s{2,}|\t|\|", row) if c.strip()]
            if len(row_cells) < len(cells) - 1:
                break
            if column < len(row_cells):
                found.append(row_cells[column])
        if found:
            return found
    # A sentence listing them: "... lines of therapy: R-CHOP (CR); R-ICE (PD); ..."
    m = re.search(
        r"(?:lines?|regimens?)\s+of\s+(?:prior\s+)?(?:systemic\s+)?(?:therapy|treatment)\s*:\s*([^\n]+(?:\n[^\n]+){0,3})",
        text,
        re.I,
    )
    if m:
        body = re.split(r"\.\s|\.$|\n\s*\n", m.group(1))[0]
        parts = [
            re.sub(r"\s*\([^)]*\)\s*$", "", part.replace("\n", " ")).strip(" ,.")
            for part in body.split(";")
        ]
        found = [p for p in parts if p and len(p) <= 120]
    return found


def read_regimens(text: str) -> list[str] | None:
    stated = _stated_regimens(text)
    if stated:
        return stated
    found: list[str] = []
    seen: set[str] = set()
    for m in sorted(
        [*_REGIMEN_RE.finditer(text), *_REGIMEN_WORDS.finditer(text)], key=lambda x: x.start()
    ):
        # Regimens are history by nature; only planned or hypothetical ones are not given regimens.
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _PLANNED.search(text[max(line_start, m.start() - 60) : m.start()]):
            continue
        name = m.group(1)
        # Short bare acronyms ("AI", "BR", "Rd") only count where the line names a line of therapy.
        if len(name) <= 3:
            line = text[text.rfind("\n", 0, m.start()) + 1 : m.end()]
            if not re.search(r"line|regimen|cycle|x\s*\d|therapy|线", line, re.I):
                continue
        key = name.lower()
        if any(key != s and key in s.split("/") for s in seen):
            continue
        if key not in seen:
            seen.add(key)
            found.append(name)
    return found or None


_DIAGNOSIS_LABELS = [
    r"final\s+(?:pathologic(?:al)?\s+)?diagnos[ie]s",
    r"patholog(?:ic|ical)\s+diagnos[ie]s",
    r"病理诊断",
    r"(?:primary|principal|clinical|working|oncologic(?:al)?)\s+diagnosis",
    r"diagnos[ie]s",
    r"post-?operative\s+diagnosis",
    r"discharge\s+diagnos[ie]s",
    r"出院诊断",
    r"诊断",
    r"(?:admission|admitting)\s+diagnos[ie]s",
    r"入院诊断",
]


# UK and European pathology reports give the diagnosis under "Conclusion" or "Opinion".
_PATHOLOGY_DIAGNOSIS_LABELS = [
    r"conclusions?",
    r"(?:histological\s+|pathologist'?s?\s+)?opinion",
    r"summary\s+diagnosis",
    r"histolog(?:ic|ical)\s+diagnosis",
]


def read_diagnosis(text: str, pathology: bool = False) -> str | None:
    labels = (
        _DIAGNOSIS_LABELS[:2] + _PATHOLOGY_DIAGNOSIS_LABELS + _DIAGNOSIS_LABELS[2:]
        if pathology
        else _DIAGNOSIS_LABELS
    )
    for label in labels:
        pattern = re.compile(
            rf"(?:^|\n)[ \t]*(?:\d\.\s*)?{label}[ \t]*(?:\([^)\n]*\))?[ \t]*(?:[:：\-][ \t]*([^\n]*)|(?=\n))"
            r"(?:\n\s*([^\n]+))?",
            re.I,
        )
        for m in pattern.finditer(text):
            if re.search(r"differential|date|code", text[m.start() : m.start() + 40], re.I):
                continue
            value = (m.group(1) or "").strip() or (m.group(2) or "").strip()
            value = re.sub(r"^(?:\d+[.)]|[-•*A-Z][.)])\s+", "", value)
            value = re.split(r"\s{2,}|(?<=[a-z)])\.\s|;|\s+-\s+|\|", value)[0].strip(" .,:")
            if 3 <= len(value) <= 150 and not re.match(r"(?:see|none|n/a|pending)\b", value, re.I):
                return value
    return None
