"""Values stated in a document, with units normalised to the vocabulary's (see Fields).

Each value is read from a labelled statement ("ANC 1.2 K/uL", "LVEF: 55%", "HBsAg
Non-reactive"), the label first and the value within the same line, so reference ranges and
other rows are not picked up. Units are converted (K/uL and x10^9/L to /uL, g/L to g/dL,
umol/L to mg/dL); where a unit is missing the magnitude decides, as a reader would. Mentions
that are negated ("no ... testing"), historical ("prior", "previous", "history of") or
planned ("will obtain") are not values.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractors.identity import extract_sex
from extractors.vocabulary import DocType, Fields

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_GAP = r"[^\n\d]{0,40}?"  # label to value: words, colons, table spacing; never another number
_SKIP_BEFORE = re.compile(
    r"(?:history\s+of|h/o|prior|previous(?:ly)?|baseline\s+was|was\s+noted|in\s+\d{4}|last\s+year|"
    r"months?\s+ago|years?\s+ago|at\s+diagnosis|will\s+(?:obtain|check|repeat|order)|to\s+be\s+(?:done|checked)|"
    r"pending|not\s+(?:done|performed|tested|available)|no\s+(?:recent\s+)?|target|goal|required|"
    r"criteria|threshold|must\s+be|should\s+be|at\s+least|既往)\W+(?:[\w/-]+\W+){0,3}$",
    re.I,
)
_NEGATIVE_WORDS = r"(?:non[- ]?reactive|negative|neg\b|not\s+detected|undetected|absent|阴性|\(-\)|（-）)"
_POSITIVE_WORDS = r"(?:reactive|positive|pos\b|detected|present|阳性|\(\+\)|（\+）)"


def _to_float(raw: str) -> float:
    return float(raw.replace(",", ""))


def _clean(value: float) -> float:
    return float(round(value, 2)) if value != int(value) else float(int(value))


def _context_ok(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    sentence_start = max(line_start, text.rfind(". ", 0, start) + 1)
    return not _SKIP_BEFORE.search(text[max(sentence_start, start - 80):start])


def _labelled_values(
    text: str, label: str, unit: str = r"", unit_required: bool = False
) -> list[tuple[float, str, int]]:
    """(value, unit-as-written, position) for each 'label ... number unit' on one line."""
    pattern = re.compile(
        rf"(?<![A-Za-z]){label}(?![A-Za-z]){_GAP}(<|>|≤|≥)?[ \t]*(?<![A-Za-z]){_NUM}[ \t]*(?:\(?[HL]\)?[ \t]+|\*[ \t]*)?({unit})?",
        re.I,
    )
    out = []
    for m in pattern.finditer(text):
        if not _context_ok(text, m.start()) or (unit_required and not m.group(3)):
            continue
        out.append((_to_float(m.group(2)), (m.group(3) or "").strip(), m.start()))
    return out


_COUNT_UNIT = (
    r"(?:x\s*|×\s*|\*\s*)?10\s*(?:\^|\*|e)?\s*\(?(?:3|9|³|⁹)\)?\s*/\s*(?:u|µ|μ|m|mc)?(?:l|mm3|mm³)|"
    r"k\s*/\s*(?:u|µ|μ|mc)l|k/mm3|thou/(?:u|µ)l|g/l|/\s*(?:u|µ|μ|mc)l|/mm3|/mm³|cells/(?:u|µ|μ)l|%"
)


def _count_per_uL(value: float, unit: str, small_means_thousands: float) -> float | None:
    u = unit.lower().replace(" ", "")
    if u == "%":
        return None
    if re.search(r"10\W*(?:\^|\*|e)?\W*\(?(?:3|9|³|⁹)|^k/|^k|thou|^g/l", u):
        return value * 1000
    if u:
        return value
    return value * 1000 if value < small_means_thousands else value


def _first(values: list[tuple[float, str, int]], convert: Callable[[float, str], float | None]) -> float | None:
    for value, unit, _ in values:
        converted = convert(value, unit)
        if converted is not None:
            return _clean(converted)
    return None


_ANC = (
    r"(?:anc|absolute\s+neutrophil(?:\s+count)?s?|neutrophils?,?\s*(?:absolute|abs\.?|#|count)|"
    r"abs(?:olute)?\.?\s+neut(?:rophil)?s?|neut(?:rophil)?s?\s*(?:\(abs(?:olute)?\)|#|abs)|中性粒细胞(?:绝对值|计数)?|"
    r"neutrophil\s+count|neutrophils)"
)
_PLT = r"(?:platelets?(?:\s+count)?|plt|platelet\s+ct|血小板(?:计数)?)"
_HGB = r"(?:ha?emoglobin|hgb|hb|血红蛋白)"
_CREAT = r"(?:creatinine(?!\s+clearance)(?:,?\s*serum)?|creat|肌酐)"
# "Cr"/"SCr" are creatinine only with a unit ("CR" alone is also complete response).
_CREAT_SHORT = r"(?:s?cr)"
_CRCL = r"(?:crcl|creatinine\s+clearance|cr\s*cl|estimated\s+crcl|cockcroft[- ]gault(?:\s+crcl)?|肌酐清除率)"
_BILI = r"(?:total\s+bilirubin|bilirubin,?\s*total|t\.?\s*bili(?:rubin)?|bilirubin|tbil|总胆红素)"
_ALT = r"(?:alt|sgpt|alanine\s+(?:amino)?transaminase|alanine\s+aminotransferase|谷丙转氨酶)"
_AST = r"(?:ast|sgot|aspartate\s+(?:amino)?transaminase|aspartate\s+aminotransferase|谷草转氨酶)"


def _labs(text: str, fields: dict[str, object]) -> None:
    anc = _first(_labelled_values(text, _ANC, _COUNT_UNIT), lambda v, u: _count_per_uL(v, u, 100))
    if anc is not None:
        fields["anc_per_uL"] = anc
    plt = _first(_labelled_values(text, _PLT, _COUNT_UNIT), lambda v, u: _count_per_uL(v, u, 2000))
    if plt is not None:
        fields["platelets_per_uL"] = plt

    def hgb(value: float, unit: str) -> float | None:
        u = unit.lower()
        if "mmol" in u:
            return value * 1.611
        if u in ("g/l",) or (not u and value > 30):
            return value / 10
        return value if value < 30 else None

    value = _first(_labelled_values(text, _HGB, r"g\s*/\s*dl|g\s*/\s*l|mmol\s*/\s*l"), hgb)
    if value is not None:
        fields["hemoglobin_g_dL"] = round(value, 1)

    def creat(value: float, unit: str) -> float | None:
        u = unit.lower()
        if "mol" in u or (not u and value > 20):
            return value / 88.42
        return value

    creat_units = r"mg\s*/\s*dl|[uµμ]mol\s*/\s*l"
    value = _first(
        _labelled_values(text, _CREAT, creat_units)
        or _labelled_values(text, _CREAT_SHORT, creat_units, unit_required=True),
        creat,
    )
    if value is not None:
        fields["creatinine_mg_dL"] = round(value, 2)
    value = _first(_labelled_values(text, _CRCL, r"ml\s*/\s*min(?:/1\.73\s*m2)?"), lambda v, u: v)
    if value is not None:
        fields["crcl_mL_min"] = value

    def bili(value: float, unit: str) -> float | None:
        u = unit.lower()
        if "mol" in u or (not u and value > 6):
            return value / 17.1
        return value

    value = _first(_labelled_values(text, _BILI, r"mg\s*/\s*dl|[uµμ]mol\s*/\s*l"), bili)
    if value is not None:
        fields["bilirubin_mg_dL"] = round(value, 2)
    for name, label in (("alt_U_L", _ALT), ("ast_U_L", _AST)):
        value = _first(_labelled_values(text, label, r"i?u\s*/\s*l"), lambda v, u: v)
        if value is not None:
            fields[name] = value


_STATUS_LABELS: dict[str, str] = {
    "hiv": r"(?:hiv[- ]?1?\s*(?:/\s*2|&\s*2|and\s*2)?(?:\s*(?:ag\s*/\s*ab|antigen\s*/\s*antibody|ab|antibody|"
           r"antibodies|combo|screen|serology|4th\s+gen(?:eration)?))*|human\s+immunodeficiency\s+virus"
           r"(?:\s+\d\s*/\s*\d)?(?:\s+(?:ag/ab|antibody|antigen/antibody))?|艾滋病抗体|hiv抗体)",
    "hbsag": r"(?:hbs\s*ag|hbsag|hepatitis\s+b\s+surface\s+antigen|hep\s+b\s+s(?:urface)?\s+ag|乙肝表面抗原|乙型肝炎表面抗原)",
    "hcv_ab": r"(?:hcv\s*(?:ab|antibody|antibodies|igg)|anti[- ]?hcv|hepatitis\s+c\s+(?:virus\s+)?(?:antibody|ab)|"
              r"hep\s+c\s+ab|丙肝抗体|丙型肝炎抗体|hcv)",
    "pregnancy": r"(?:(?:serum|urine|urinary)?\s*(?:pregnancy\s+test|β[- ]?hcg|beta[- ]?hcg|b-hcg|hcg)(?:,?\s*"
                 r"(?:serum|urine|qualitative|quantitative))*|upt|妊娠试验|hcg)",
}


def _status(text: str, label: str, allow_quantity: bool = False) -> str | None:
    pattern = re.compile(
        rf"(?<![A-Za-z]){label}(?![A-Za-z])[^\n]{{0,40}}?(?:({_NEGATIVE_WORDS})|({_POSITIVE_WORDS})|"
        rf"(<\s*{_NUM}|{_NUM})\s*m?iu\s*/\s*m?l)",
        re.I,
    )
    for m in pattern.finditer(text):
        if not _context_ok(text, m.start()):
            continue
        between = m.group(0)
        # "HIV ... history" or a question on a form is not a result.
        if re.search(r"\b(?:history|risk|counsel|consent)\b", between, re.I):
            continue
        if m.group(1):
            return "negative"
        if m.group(2):
            return "positive"
        if allow_quantity and m.group(3):
            raw = m.group(3)
            value = _to_float(re.sub(r"[<\s]", "", raw))
            return "negative" if raw.startswith("<") or value < 5 else "positive" if value >= 25 else None
    return None


_MARKERS: dict[str, str] = {
    "cd19": r"cd\s*19",
    "bcma": r"bcma|b[- ]cell\s+maturation\s+antigen",
    "mage_a4": r"mage[- ]?a4",
}


def _marker(text: str, label: str) -> str | None:
    direct = re.compile(
        rf"(?<![A-Za-z0-9])(?:{label})(?![0-9])(?:\s*(?:expression|status|ihc|by\s+ihc|by\s+flow(?:\s+cytometry)?|"
        rf"immunohistochemistry|\([^)\n]{{0,30}}\)))*\s*[:=\-]?\s*(?:is\s+)?(?:(positive|pos\b|\+|expressed|detected)|"
        rf"(negative|neg\b|−|not\s+expressed|not\s+detected|absent|lost|loss))",
        re.I,
    )
    for m in direct.finditer(text):
        if _context_ok(text, m.start()):
            return "positive" if m.group(1) else "negative"
    listed = re.compile(r"(positive|negative|express(?:es|ing)?|lack(?:s|ing)?)\s+(?:for\s+)?([^.;\n]*)", re.I)
    for m in listed.finditer(text):
        items = re.split(r"\b(?:but|while|whereas|and\s+(?:are\s+)?(?:negative|positive))\b", m.group(2))[0]
        if re.search(rf"(?<![A-Za-z0-9])(?:{label})(?![0-9])", items, re.I) and _context_ok(text, m.start()):
            word = m.group(1).lower()
            return "negative" if word.startswith(("negative", "lack")) else "positive"
    return None


def _percent_after(text: str, label: str, span: int = 60) -> float | None:
    pattern = re.compile(
        rf"(?<![A-Za-z]){label}(?![A-Za-z/])[^\n%]{{0,{span}}}?(\d{{1,3}}(?:\.\d+)?)"
        rf"(?:\s*(?:-|–|to)\s*(\d{{1,3}}(?:\.\d+)?))?\s*%",
        re.I,
    )
    for m in pattern.finditer(text):
        if not _context_ok(text, m.start()):
            continue
        low = float(m.group(1))
        high = float(m.group(2)) if m.group(2) else low
        value = (low + high) / 2
        if 0 < value <= 100:
            return _clean(value)
    return None


_LVEF = (
    r"(?:lvef|l\.?v\.?\s*e\.?f\.?|left\s+ventricular\s+ejection\s+fraction|ejection\s+fraction|\bef\b|"
    r"左室射血分数|射血分数|\(?lvef\)?)"
)


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"\s{2,}|\t|\|", line) if c.strip()]


def _table_percent_predicted(text: str, row_label: str) -> float | None:
    """A value in the '% predicted' column of a spirometry table (cells split on wide gaps)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        header = _cells(line)
        column = next((j for j, c in enumerate(header)
                       if re.fullmatch(r"%\s*pred(?:icted)?\.?|pred(?:icted)?\s*%|percent\s+predicted|% of pred(?:icted)?", c, re.I)), None)
        if column is None:
            continue
        for row in lines[i + 1:i + 30]:
            cells = _cells(row)
            if not cells or not re.fullmatch(row_label, cells[0], re.I):
                continue
            # Rows may lack the header's first (label) cell name; align from the right.
            offset = len(header) - len(cells)
            index = column - offset if offset > 0 else column
            if 0 < index < len(cells):
                m = re.match(r"(\d{1,3}(?:\.\d+)?)\s*%?$", cells[index])
                if m:
                    return _clean(float(m.group(1)))
    return None


_VALUE_COLUMN = re.compile(
    r"%\s*(?:of\s+)?pred(?:icted)?|percent\s+pred(?:icted)?|pred(?:icted)?|ref(?:erence)?|"
    r"actual|measured|observed|best|pre(?:-bd)?|post(?:-bd)?|lln|uln|z[- ]?score",
    re.I,
)


def _numeric_column_percent(text: str) -> float | None:
    """FEV1 % predicted where OCR collapsed the table's gaps to single spaces: the header names
    the value columns in order, and the FEV1 row has one number per column."""
    for header in re.finditer(r"(?:^|\n)([^\n]*pred[^\n]*)", text, re.I):
        columns = [m.group(0).lower() for m in _VALUE_COLUMN.finditer(header.group(1))]
        target = next((i for i, c in enumerate(columns) if "%" in c or "percent" in c), None)
        if target is None:
            continue
        row = re.search(r"\n\s*fev\s*1(?!\s*/)(?:\.0)?\s*(?:\([^)\n]*\))?([^\n]*)", text[header.end():], re.I)
        if row:
            numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", row.group(1))
            if len(numbers) == len(columns):
                return _clean(float(numbers[target]))
    return None


def _fev1(text: str) -> float | None:
    tabled = _table_percent_predicted(text, r"fev\s*1(?:\.0)?(?:\s*\((?:l|litres|liters)\))?")
    if tabled is None:
        tabled = _numeric_column_percent(text)
    if tabled is not None:
        return tabled
    for m in re.finditer(r"(?<![A-Za-z])fev\s*1(?!\s*/\s*fvc)(?![0-9])([^\n]{0,80})", text, re.I):
        if not _context_ok(text, m.start()):
            continue
        rest = m.group(1)
        labelled = re.search(r"(\d{1,3}(?:\.\d+)?)\s*%\s*(?:of\s+)?pred(?:icted)?|"
                             r"(?:%\s*pred(?:icted)?|percent\s+predicted)\D{0,12}(\d{1,3}(?:\.\d+)?)", rest, re.I)
        if labelled:
            return _clean(float(labelled.group(1) or labelled.group(2)))
        percent = re.search(r"(\d{1,3}(?:\.\d+)?)\s*%", rest)
        if percent:
            return _clean(float(percent.group(1)))
    return None


_WORD_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
}
_COUNT = r"(\d{1,2}|zero|one|two|three|four|five|six|seven|eight|nine|ten)"


def _ecog(text: str) -> int | None:
    pattern = re.compile(
        r"(?:(?<![A-Za-z])ecog(?![A-Za-z])|\bwho\b|zubrod|performance\s+status)(?:\s*\((?:ecog|who)\))?"
        r"[^\n.;\d]{0,40}?(?:\b(?:is|was|of|score|grade|ps)\b|[=:：]|\s)\s*([0-5])(?:分)?"
        r"(?!\s*(?:-|–|to|or)\s*[0-5])(?![0-9%]|\.\d)",
        re.I,
    )
    for m in pattern.finditer(text):
        if _context_ok(text, m.start()) and not re.search(r"karnofsky|lansky", m.group(0), re.I):
            return int(m.group(1))
    return None


def _prior_lines(text: str) -> int | None:
    patterns = [
        rf"(?:number\s+of\s+)?prior\s+(?:systemic\s+)?(?:lines?|regimens?)(?:\s+of\s+(?:systemic\s+)?(?:therapy|treatment))?"
        rf"\s*[:=]\s*{_COUNT}\b",
        rf"\b{_COUNT}\s+(?:prior|previous)\s+(?:systemic\s+)?(?:lines?|regimens?)\b",
        rf"\b{_COUNT}\s+(?:lines?|regimens?)\s+of\s+(?:prior\s+)?(?:systemic\s+)?(?:therapy|treatment|chemotherapy)",
        rf"(?:after|following|received|completed|failed)\s+{_COUNT}\s+(?:prior\s+)?(?:lines?|regimens?)\b",
        r"(?:既往|先前)?(?:接受过?)?(\d)\s*线(?:治疗)?",
    ]
    for pattern in patterns:
        m = re.search(pattern, text, re.I)
        if m:
            raw = m.group(1).lower()
            return int(raw) if raw.isdigit() else _WORD_NUMBERS[raw]
    numbered = {int(n) for n in re.findall(r"(?:^|\n)\s*(?:line|ln)\s*(\d)\b", text, re.I)}
    if numbered:
        return max(numbered)
    ordinals = re.findall(r"(?:^|\n)\s*(first|second|third|fourth|fifth)[- ]line\b", text, re.I)
    if ordinals:
        return max(_WORD_NUMBERS[o.lower()] for o in ordinals)
    return None


# Common named regimens (acronyms are how oncologists write them in every region).
_REGIMEN_NAMES = [
    "DA-EPOCH-R", "R-DA-EPOCH", "DA-R-EPOCH", "R-EPOCH", "R-CHOP", "R-mini-CHOP", "R-CHOEP", "Pola-R-CHP",
    "R-CVP", "R-ICE", "R-DHAP", "R-DHAX", "R-ESHAP", "R-GDP", "R-GemOx", "R-GEMOX", "Pola-BR", "BR",
    "R-Bendamustine", "CHOP", "CHOEP", "ABVD", "BEACOPP", "ICE", "DHAP", "GDP", "GemOx", "BEAM",
    "VRd", "RVd", "KRd", "DRd", "D-VRd", "Dara-VRd", "DVRd", "DPd", "D-Pd", "Pd", "Kd", "DKd", "IsaKd",
    "Isa-Pd", "VCd", "CyBorD", "Rd", "Elo-Pd", "Hyper-CVAD", "hyper-CVAD", "R-hyper-CVAD", "FLAG-IDA",
    "blinatumomab", "inotuzumab", "dasatinib", "imatinib", "ponatinib", "AIEOP-BFM", "COG AALL",
    "AI", "MAID", "doxorubicin/ifosfamide", "doxorubicin and ifosfamide", "gemcitabine/docetaxel",
    "trabectedin", "pazopanib", "ifosfamide", "doxorubicin",
    "nivolumab", "pembrolizumab", "ipilimumab/nivolumab", "nivolumab/ipilimumab", "ipilimumab",
    "dabrafenib/trametinib", "encorafenib/binimetinib", "vemurafenib/cobimetinib", "relatlimab/nivolumab",
    "FOLFIRINOX", "mFOLFIRINOX", "FOLFOX", "FOLFIRI", "CAPOX", "gemcitabine/nab-paclitaxel",
    "carboplatin/paclitaxel", "tafasitamab", "loncastuximab", "glofitamab", "epcoritamab",
    "teclistamab", "talquetamab", "elranatamab", "selinexor", "lenalidomide", "pomalidomide",
    "bortezomib", "carfilzomib", "daratumumab",
]
_REGIMEN_RE = re.compile(
    r"(?<![A-Za-z0-9-])(" + "|".join(re.escape(n) for n in sorted(_REGIMEN_NAMES, key=len, reverse=True)) + r")(?![A-Za-z0-9-])",
)
_REGIMEN_WORDS = re.compile(
    r"(?<![A-Za-z0-9-])(" + "|".join(re.escape(n) for n in sorted(_REGIMEN_NAMES, key=len, reverse=True) if n.islower()) + r")(?![A-Za-z0-9-])",
    re.I,
)


_PLANNED = re.compile(
    r"(?:plan(?:ned)?|consider(?:ing|ation)?|will\s+(?:start|begin|receive|get)|candidate\s+for|eligible\s+for|"
    r"recommend(?:ed)?|discuss(?:ed)?|option|offer(?:ed)?|not\s+(?:received|given)|no\s+prior)\W+(?:[\w/-]+\W+){0,4}$",
    re.I,
)


def _pd_l1(text: str) -> float | None:
    # The clone in brackets ("PD-L1 (22C3)") is not the score; the score follows TPS/CPS or carries %.
    for pattern in (
        r"pd-?l1[^\n]{0,60}?(?:tps|cps|tumou?r\s+proportion\s+score|combined\s+positive\s+score)\s*[:=]?\s*"
        r"(<\s*)?(\d{1,3}(?:\.\d+)?)",
        r"pd-?l1(?:\s*\([^)\n]*\))?[^\n\d%]{0,40}(<\s*)?(\d{1,3}(?:\.\d+)?)\s*%",
    ):
        for m in re.finditer(pattern, text, re.I):
            if _context_ok(text, m.start()):
                return 0.0 if m.group(1) else _clean(float(m.group(2)))
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
        column = next((j for j, c in enumerate(cells) if re.fullmatch(r"(?:regimen|treatment|therapy|drugs?)", c, re.I)), None)
        if column is None or len(cells) < 2:
            continue
        for row in lines[i + 1:]:
            row_cells = [c.strip() for c in re.split(r"\s{2,}|\t|\|", row) if c.strip()]
            if len(row_cells) < len(cells) - 1:
                break
            if column < len(row_cells):
                found.append(row_cells[column])
        if found:
            return found
    # A sentence listing them: "... lines of therapy: R-CHOP (CR); R-ICE (PD); ..."
    m = re.search(r"(?:lines?|regimens?)\s+of\s+(?:prior\s+)?(?:systemic\s+)?(?:therapy|treatment)\s*:\s*([^\n]+(?:\n[^\n]+){0,3})", text, re.I)
    if m:
        body = re.split(r"\.\s|\.$|\n\s*\n", m.group(1))[0]
        parts = [re.sub(r"\s*\([^)]*\)\s*$", "", part.replace("\n", " ")).strip(" ,.") for part in body.split(";")]
        found = [p for p in parts if p and len(p) <= 120]
    return found


def _regimens(text: str) -> list[str] | None:
    stated = _stated_regimens(text)
    if stated:
        return stated
    found: list[str] = []
    seen: set[str] = set()
    for m in sorted([*_REGIMEN_RE.finditer(text), *_REGIMEN_WORDS.finditer(text)], key=lambda x: x.start()):
        # Regimens are history by nature; only planned or hypothetical ones are not given regimens.
        line_start = text.rfind("\n", 0, m.start()) + 1
        if _PLANNED.search(text[max(line_start, m.start() - 60):m.start()]):
            continue
        name = m.group(1)
        # Short bare acronyms ("AI", "BR", "Rd") only count where the line names a line of therapy.
        if len(name) <= 3:
            line = text[text.rfind("\n", 0, m.start()) + 1:m.end()]
            if not re.search(r"line|regimen|cycle|x\s*\d|therapy|线", line, re.I):
                continue
        key = name.lower()
        if any(key != s and key in s.split("/") for s in seen):
            continue
        if key not in seen:
            seen.add(key)
            found.append(name)
    return found or None


def _hla_a(text: str) -> list[str] | None:
    alleles = [
        f"A*{m.group(1)}:{m.group(2)}"
        for m in re.finditer(r"(?<![A-Za-z])(?:HLA-)?A\s*\*\s*(\d{2,3})\s*:\s*(\d{2,3})(?::\d{2,3})*[A-Z]?", text)
    ]
    if not alleles:
        for m in re.finditer(r"HLA[- ]?A\b[^\n]{0,10}?((?:\d{2}:\d{2,3}(?::\d{2,3})*\W+){1,2})", text):
            alleles += [f"A*{a}:{b}" for a, b in re.findall(r"(\d{2}):(\d{2,3})", m.group(1))]
    return alleles[:2] or None


_DIAGNOSIS_LABELS = [
    r"final\s+(?:pathologic(?:al)?\s+)?diagnos[ie]s", r"patholog(?:ic|ical)\s+diagnos[ie]s", r"病理诊断",
    r"(?:primary|principal|clinical|working|oncologic(?:al)?)\s+diagnosis", r"diagnos[ie]s",
    r"post-?operative\s+diagnosis", r"discharge\s+diagnos[ie]s", r"出院诊断", r"诊断",
]


def _diagnosis(text: str) -> str | None:
    for label in _DIAGNOSIS_LABELS:
        pattern = re.compile(
            rf"(?:^|\n)[ \t]*(?:\d\.\s*)?{label}[ \t]*(?:\([^)\n]*\))?[ \t]*(?:[:：\-][ \t]*([^\n]*)|(?=\n))"
            r"(?:\n\s*([^\n]+))?", re.I
        )
        for m in pattern.finditer(text):
            if re.search(r"differential|date|code", text[m.start():m.start() + 40], re.I):
                continue
            value = (m.group(1) or "").strip() or (m.group(2) or "").strip()
            value = re.sub(r"^(?:\d+[.)]|[-•*A-Z][.)])\s+", "", value)
            value = re.split(r"\s{2,}|(?<=[a-z)])\.\s|;|\s+-\s+|\|", value)[0].strip(" .,:")
            if 3 <= len(value) <= 150 and not re.match(r"(?:see|none|n/a|pending)\b", value, re.I):
                return value
    return None


_MODALITIES: list[tuple[str, str]] = [
    ("PET-CT", r"pet\s*[-/ ]?\s*ct|pet\s+scan|fdg[- ]pet|pet/ct|18f-fdg|petct|正电子"),
    ("MUGA", r"muga|multi-?gated\s+acquisition|radionuclide\s+ventriculogra"),
    ("echo", r"echocardiogra|\becho\b|\btte\b|\btee\b|超声心动|心脏彩超|心脏超声"),
    ("ECG", r"electrocardiogra|\becg\b|\bekg\b|心电图"),
    ("MRI", r"\bmri\b|\bMR\s+(?:brain|head|spine|angiogra)|magnetic\s+resonance|磁共振|\bmra\b"),
    ("CT", r"\bct\b|\bcta\b|computed\s+tomograph|\bcat\s+scan|[^a-z]ct(?=[^a-z]|$)"),
    ("bone scan", r"bone\s+scan|skeletal\s+scintigra|骨扫描"),
    ("ultrasound", r"ultrasound|sonogra|\bus\b|doppler|超声"),
    ("X-ray", r"x-?ray|radiograph|\bcxr\b|chest\s+film|\bviews?\b|x线|平片"),
]


_EXAM_LINE = re.compile(
    r"(?:^|\n)[ \t]*(?:exam(?:ination)?|study|procedure|test|examination\s+performed|scan|modality|"
    r"检查(?:项目|名称|方法|部位)?)[ \t]*(?:[:：][ \t]*([^\n]+)|\n[ \t]*([^\n]+))",
    re.I,
)


def _exam_lines(text: str) -> list[str]:
    """What was examined: 'EXAM: CT chest', or 'Exam' with the study on the next line."""
    return [m.group(1) or m.group(2) for m in _EXAM_LINE.finditer(text)]


def _head(text: str, lines: int) -> str:
    # The top of the page without identity lines ("Mr", "MRN" are not imaging words).
    return "\n".join(
        line for line in text.splitlines()[:lines]
        if not re.search(r"patient|name|d\.?o\.?b|mrn|birth|hospital\s+no|姓名", line, re.I)
    )


def _modality(text: str, doc_type: DocType) -> str | None:
    for region in [*_exam_lines(text), _head(text, 12), text]:
        for name, pattern in _MODALITIES:
            if doc_type == DocType.IMAGING_REPORT and name in ("echo", "ECG", "MUGA"):
                continue
            if doc_type == DocType.CARDIAC_FUNCTION and name not in ("echo", "ECG", "MUGA", "MRI"):
                continue
            if re.search(pattern, region, re.I):
                return name
    return None


_REGIONS: list[tuple[str, str]] = [
    ("brain", r"brain|head\b|cranial|intracranial|头颅|颅脑|脑"),
    ("neck", r"neck|颈部"),
    ("chest", r"chest|thorax|thoracic|lungs?\b|胸部|胸"),
    ("abdomen", r"abdomen|abdominal|腹部|腹"),
    ("pelvis", r"pelvis|pelvic|盆腔"),
    ("spine", r"spine|spinal|脊柱"),
]
_WHOLE_BODY = r"whole[- ]body|skull\s+base\s+to\s+(?:mid-?)?thigh|vertex\s+to\s+(?:mid-?)?thighs?|eyes\s+to\s+thighs|全身"


def _body_region(text: str) -> str | None:
    for region in [*_exam_lines(text), _head(text, 10)]:
        if re.search(_WHOLE_BODY, region, re.I):
            return "whole body"
        named = [name for name, pattern in _REGIONS if re.search(pattern, region, re.I)]
        if re.search(r"\bcap\b|c/a/p", region, re.I):
            named = ["chest", "abdomen", "pelvis"]
        if named:
            if named == ["brain", "neck"]:
                return "head/neck"
            return "/".join(named)
    return None


def extract_fields(text: str, doc_type: DocType) -> Fields:
    """The values stated in one document's text (already joined across its pages)."""
    fields: dict[str, object] = {}
    sex = extract_sex(text)
    if sex:
        fields["sex"] = sex
    if doc_type in (DocType.IMAGING_REPORT, DocType.CARDIAC_FUNCTION):
        modality = _modality(text, doc_type)
        if modality:
            fields["modality"] = modality
        if doc_type == DocType.IMAGING_REPORT:
            region = _body_region(text)
            if region:
                fields["body_region"] = region
    lvef = _percent_after(text, _LVEF)
    if lvef is not None:
        fields["lvef_percent"] = lvef
    fev1 = _fev1(text)
    if fev1 is not None:
        fields["fev1_percent_predicted"] = fev1
    ecog = _ecog(text)
    if ecog is not None:
        fields["ecog"] = ecog
    _labs(text, fields)
    for name, label in _STATUS_LABELS.items():
        status = _status(text, label, allow_quantity=name == "pregnancy")
        if status:
            fields[name] = status
    hla = _hla_a(text)
    if hla:
        fields["hla_a"] = hla
    diagnosis = _diagnosis(text)
    if diagnosis:
        fields["diagnosis"] = diagnosis
    for name, label in _MARKERS.items():
        marker = _marker(text, label)
        if marker:
            fields[name] = marker
    pd_l1 = _pd_l1(text)
    if pd_l1 is not None:
        fields["pd_l1"] = pd_l1
    if doc_type in (DocType.TREATMENT_SUMMARY, DocType.REFERRAL_LETTER, DocType.DISCHARGE_SUMMARY,
                    DocType.CLINIC_NOTE):
        lines = _prior_lines(text)
        if lines is not None:
            fields["prior_lines"] = lines
        regimens = _regimens(text)
        if regimens:
            fields["regimens"] = regimens
    return Fields(**fields)
