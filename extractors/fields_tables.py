"""Table layouts that put two results in one cell, and amended reports whose later values win.

Paired cells: result tables often print two analytes in one row, "ALT/AST   18/24 U/L   <50/<40"
or "AST / ALT   26 / 31 U/L". Read as written, both labels would take the first number. The row
is rewritten as one row per analyte ("ALT 18 U/L", "AST 24 U/L") before values are read, so
every value reader sees the usual label-then-value layout.

Amendments: an amended, corrected or addended report quotes the original figures above the
correction ("Original report ... LVEF 52%", then "*** AMENDED REPORT *** ... LVEF 40%"). The
part from the last amendment heading on holds what the report now says.
"""

from __future__ import annotations

import re

_LABEL = r"[A-Za-z][A-Za-z0-9 .-]{0,24}?"
_VALUE = r"[<>]?\s*\d+(?:\.\d+)?"
_PAIRED_ROW = re.compile(
    rf"^(?P<indent>[ \t]*)(?P<a>{_LABEL})\s*/\s*(?P<b>{_LABEL})(?P<gap>[ \t]*[:\t][ \t]*|[ \t]{{2,}})"
    rf"(?P<x>{_VALUE})\s*/\s*(?P<y>{_VALUE})(?P<unit>[ \t]*[A-Za-zµμ%][^\s\t]*)?(?P<rest>.*)$",
    re.M,
)
# "Creatinine / eGFR: 92 umol/L / 74": each value with its own unit.
_PAIRED_UNITS = re.compile(
    rf"^(?P<indent>[ \t]*)(?P<a>{_LABEL})\s*/\s*(?P<b>{_LABEL})[ \t]*[:\t][ \t]*"
    rf"(?P<x>{_VALUE}[ \t]*[A-Za-zµμ%][^\s\t]*)[ \t]+/[ \t]+(?P<y>{_VALUE}[^\t]*?)[ \t]*(?P<rest>\t.*)?$",
    re.M,
)

_AMENDMENT = re.compile(
    r"^\W{0,5}(?:(?:amended|corrected|revised|supplementary)\s+(?:report|conclusion|results?|"
    r"findings|impression|diagnosis)|addendum\b|amended\s*(?::|\*|$))",
    re.I | re.M,
)


def _one_per_analyte(m: re.Match[str]) -> str:
    unit = m.groupdict().get("unit") or ""
    rest = m.group("rest") or ""
    first = f"{m.group('indent')}{m.group('a').strip()} {m.group('x')}{unit}{rest}"
    second = f"{m.group('indent')}{m.group('b').strip()} {m.group('y')}{unit}"
    return f"{first}\n{second}"


def unpair_cells(text: str) -> str:
    """The text with each two-analyte row written as one row per analyte."""
    text = _PAIRED_UNITS.sub(_one_per_analyte, text)
    return _PAIRED_ROW.sub(_one_per_analyte, text)


def amended_part(text: str) -> str | None:
    """The text from the last amendment heading on, or None when the report has none."""
    headings = list(_AMENDMENT.finditer(text))
    return text[headings[-1].start() :] if headings else None
