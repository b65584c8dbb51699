"""Fitness measures: LVEF, FEV1 % predicted (inline or from a spirometry table) and ECOG."""

from __future__ import annotations

import re

from extractors.fields_text import clean, context_ok, split_cells

LVEF_LABEL = (
    r"(?:lvef|l\.?v\.?\s*e\.?f\.?|left\s+ventricular\s+ejection\s+fraction|ejection\s+fraction|\bef\b|"
    r"左室射血分数|射血分数|\(?lvef\)?)"
)


def _table_percent_predicted(text: str, row_label: str) -> float | None:
    """A value in the '% predicted' column of a spirometry table (cells split on wide gaps)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        header = split_cells(line)
        column = next(
            (
                j
                for j, c in enumerate(header)
                if re.fullmatch(
                    r"%\s*pred(?:icted)?\.?|pred(?:icted)?\s*%|percent\s+predicted|% of pred(?:icted)?",
                    c,
                    re.I,
                )
            ),
            None,
        )
        if column is None:
            continue
        for row in lines[i + 1 : i + 30]:
            cells = split_cells(row)
            if not cells or not re.fullmatch(row_label, cells[0], re.I):
                continue
            # Rows may lack the header's first (label) cell name; align from the right.
            offset = len(header) - len(cells)
            index = column - offset if offset > 0 else column
            if 0 < index < len(cells):
                m = re.match(r"(\d{1,3}(?:\.\d+)?)\s*%?$", cells[index])
                if m:
                    return clean(float(m.group(1)))
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
        row = re.search(
            r"\n\s*fev\s*1(?!\s*/)(?:\.0)?\s*(?:\([^)\n]*\))?([^\n]*)", text[header.end() :], re.I
        )
        if row:
            numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", row.group(1))
            if len(numbers) == len(columns):
                return clean(float(numbers[target]))
    return None


def read_fev1(text: str) -> float | None:
    tabled = _table_percent_predicted(text, r"fev\s*1(?:\.0)?(?:\s*\((?:l|litres|liters)\))?")
    if tabled is None:
        tabled = _numeric_column_percent(text)
    if tabled is not None:
        return tabled
    for m in re.finditer(r"(?<![A-Za-z])fev\s*1(?!\s*/\s*fvc)(?![0-9])([^\n]{0,80})", text, re.I):
        if not context_ok(text, m.start()):
            continue
        rest = m.group(1)
        labelled = re.search(
            r"(\d{1,3}(?:\.\d+)?)\s*%\s*(?:of\s+)?pred(?:icted)?|"
            r"(?:%\s*pred(?:icted)?|percent\s+predicted)\D{0,12}(\d{1,3}(?:\.\d+)?)",
            rest,
            re.I,
        )
        if labelled:
            return clean(float(labelled.group(1) or labelled.group(2)))
        percent = re.search(r"(\d{1,3}(?:\.\d+)?)\s*%", rest)
        if percent:
            return clean(float(percent.group(1)))
    return None


# ECOG as written: "ECOG 1", "ECOG PS 1", "WHO performance status 1", "PS 1" opening a line,
# "ECOG评分1分". "WHO" alone is not a scale ("WHO 5th edition" is a classification).
_ECOG = re.compile(
    r"(?:(?<![A-Za-z])ecog(?![A-Za-z])|\bwho\s+(?=performance|ps\b)|zubrod|performance\s+status|"
    r"(?:^|\n)[ \t]*ps(?=[ \t]*[:=]?[ \t]*[0-5]\b))(?:\s*\((?:ecog|who)\))?"
    r"[^\n.;\d]{0,40}?(?:\b(?:is|was|of|score|grade|ps)\b|[=:：]|\s|评分)\s*([0-5])(?:分)?"
    r"(?!\s*(?:-|–|to|or)\s*[0-5])(?![0-9%]|\.\d)",
    re.I,
)
_KARNOFSKY = re.compile(
    r"(?:karnofsky|\bkps\b)(?:\s+performance\s+(?:status|score))?[^\n.;\d]{0,30}?(\d{2,3})\s*%?",
    re.I,
)


def _ecog_from_karnofsky(kps: int) -> int | None:
    """The ECOG-ACRIN conversion: 100 -> 0, 80-90 -> 1, 60-70 -> 2, 40-50 -> 3, 10-30 -> 4."""
    if not 10 <= kps <= 100 or kps % 10:
        return None
    return 0 if kps == 100 else 1 if kps >= 80 else 2 if kps >= 60 else 3 if kps >= 40 else 4


def read_ecog(text: str) -> int | None:
    """ECOG as stated; a record that gives only Karnofsky gets the converted ECOG."""
    for m in _ECOG.finditer(text):
        if context_ok(text, m.start()) and not re.search(r"karnofsky|lansky", m.group(0), re.I):
            return int(m.group(1))
    for m in _KARNOFSKY.finditer(text):
        if context_ok(text, m.start()):
            converted = _ecog_from_karnofsky(int(m.group(1)))
            if converted is not None:
                return converted
    return None
