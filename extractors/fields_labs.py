"""Laboratory values with units normalised (counts per uL, g/dL, mg/dL, U/L) and
serology/pregnancy results as "negative"/"positive".

Counts: K/uL, x10^3/uL and x10^9/L (also G/L) are thousands per uL; a bare value is read by
its magnitude. Haemoglobin in g/L and creatinine/bilirubin in umol/L are converted."""

from __future__ import annotations

import re
from collections.abc import Callable

from extractors.fields_text import (
    NEGATIVE_WORDS,
    NUM,
    POSITIVE_WORDS,
    clean,
    context_ok,
    labelled_values,
    to_float,
)

_COUNT_UNIT = (
    r"(?:x\s*|×\s*|\*\s*)?10\s*(?:\^|\*|e)?\s*\(?(?:3|9|³|⁹)\)?\s*/\s*(?:u|µ|μ|m|mc)?(?:l|mm3|mm³)|"
    r"k\s*/\s*(?:u|µ|μ|mc)l|k/mm3|k(?![a-z/])|thou/(?:u|µ)l|g/l|/\s*(?:u|µ|μ|mc)l|/mm3|/mm³|cells/(?:u|µ|μ)l|"
    # Indian reports: "2.1 lakhs/cumm" (1 lakh = 100,000), "4,150 cells/cumm" (per uL).
    r"la(?:kh|c)s?\s*/\s*cu\.?\s*mm|(?:cells\s*)?/\s*cu\.?\s*mm|%"
)


def _count_per_uL(value: float, unit: str, small_means_thousands: float) -> float | None:
    u = unit.lower().replace(" ", "")
    if u == "%":
        return None
    if re.match(r"la(?:kh|c)", u):
        return value * 100_000
    if re.search(r"10\W*(?:\^|\*|e)?\W*\(?(?:3|9|³|⁹)|^k/|^k|thou|^g/l", u):
        return value * 1000
    if u:
        return value
    return value * 1000 if value < small_means_thousands else value


def _first(
    values: list[tuple[float, str, int]], convert: Callable[[float, str], float | None]
) -> float | None:
    for value, unit, _ in values:
        converted = convert(value, unit)
        if converted is not None:
            return clean(converted)
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


def read_labs(text: str, fields: dict[str, object]) -> None:
    anc = _first(labelled_values(text, _ANC, _COUNT_UNIT), lambda v, u: _count_per_uL(v, u, 100))
    if anc is not None:
        fields["anc_per_uL"] = anc
    plt = _first(labelled_values(text, _PLT, _COUNT_UNIT), lambda v, u: _count_per_uL(v, u, 2000))
    if plt is not None:
        fields["platelets_per_uL"] = plt

    def hgb(value: float, unit: str) -> float | None:
        u = unit.lower()
        if "mmol" in u:
            return value * 1.611
        if u in ("g/l",) or (not u and value > 30):
            return value / 10
        return value if value < 30 else None

    value = _first(labelled_values(text, _HGB, r"g\s*/\s*dl|g\s*/\s*l|mmol\s*/\s*l"), hgb)
    if value is not None:
        fields["hemoglobin_g_dL"] = round(value, 1)

    def creat(value: float, unit: str) -> float | None:
        u = unit.lower()
        if "mol" in u or (not u and value > 20):
            return value / 88.42
        return value

    creat_units = r"mg\s*/\s*dl|[uµμ]mol\s*/\s*l"
    value = _first(
        labelled_values(text, _CREAT, creat_units)
        or labelled_values(text, _CREAT_SHORT, creat_units, unit_required=True),
        creat,
    )
    if value is not None:
        fields["creatinine_mg_dL"] = round(value, 2)
    value = _first(labelled_values(text, _CRCL, r"ml\s*/\s*min(?:/1\.73\s*m2)?"), lambda v, u: v)
    if value is not None:
        fields["crcl_mL_min"] = value

    def bili(value: float, unit: str) -> float | None:
        u = unit.lower()
        if "mol" in u or (not u and value > 6):
            return value / 17.1
        return value

    value = _first(labelled_values(text, _BILI, r"mg\s*/\s*dl|[uµμ]mol\s*/\s*l"), bili)
    if value is not None:
        fields["bilirubin_mg_dL"] = round(value, 2)
    for name, label in (("alt_U_L", _ALT), ("ast_U_L", _AST)):
        value = _first(labelled_values(text, label, r"i?u\s*/\s*l"), lambda v, u: v)
        if value is not None:
            fields[name] = value


# Long words are spelled loosely ('Hepattis B Surtace Antigen', 'Hepatitis © Antibody'):
# OCR misreads a letter or two of them on faxes and photos.
STATUS_LABELS: dict[str, str] = {
    "hiv": r"(?:hiv[- ]?1?\s*(?:/\s*2|&\s*2|and\s*2)?(?:\s*(?:ag\s*/\s*ab|antigen\s*/\s*antibody|ab|antibody|"
    r"antibodies|combo|screen|serology|4th\s+gen(?:eration)?))*|human\s+immunodeficiency\s+virus"
    r"(?:\s+\d\s*/\s*\d)?(?:\s+(?:ag/ab|antibody|antigen/antibody))?|艾滋病抗体|hiv抗体)",
    "hbsag": r"(?:hbs\s*ag|hbsag|hep[a-z]{3,6}\s+b\s+s[a-z]{5,6}\s+(?:antigen|ag)|hep\s+b\s+s(?:urface)?\s+ag|乙肝表面抗原|乙型肝炎表面抗原)",
    "hcv_ab": r"(?:hcv\s*(?:ab|antibody|antibodies|igg)|anti[- ]?hcv|hep[a-z]{3,6}\s+[c©]\s+(?:virus\s+)?(?:antibody|ab)|"
    r"hep\s+c\s+ab|丙肝抗体|丙型肝炎抗体|hcv)",
    "pregnancy": r"(?:(?:serum|urine|urinary)?\s*(?:pregnancy\s+test|β[- ]?hcg|beta[- ]?hcg|b-hcg|hcg)(?:,?\s*"
    r"(?:serum|urine|qualitative|quantitative))*|upt|妊娠试验|hcg)",
}


def read_status(text: str, label: str, allow_quantity: bool = False) -> str | None:
    pattern = re.compile(
        rf"(?<![A-Za-z]){label}(?![A-Za-z])[^\n]{{0,40}}?(?:({NEGATIVE_WORDS})|({POSITIVE_WORDS})|"
        rf"(<\s*{NUM}|{NUM})\s*m?iu\s*/\s*m?l)",
        re.I,
    )
    for m in pattern.finditer(text):
        if not context_ok(text, m.start()):
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
            value = to_float(re.sub(r"[<\s]", "", raw))
            return (
                "negative"
                if raw.startswith("<") or value < 5
                else "positive"
                if value >= 25
                else None
            )
    return None
