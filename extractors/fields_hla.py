"""HLA-A alleles as the typing states them, at the resolution printed.

Molecular typing is kept to two fields ("A*02:01:01G" -> "A*02:01"); serologic (antigen
level) typing keeps its antigen ("A2", "A24(9)" -> "A24", the broad antigen dropped). The
result row of a typing table ("HLA-A   A*02:01:01G   A*11:01:01G") is read first, both alleles;
otherwise alleles stated in the text, leaving out those only named as something to confirm,
exclude or compare ("to confirm A*02:01/02/03", "exclude A*02:05", "A*02:05 NOT detected").
"""

from __future__ import annotations

import re

_MOLECULAR = r"A\s*\*\s*(\d{2,3})\s*:\s*(\d{2,3})(?::\d{2,3})*[A-Z]?"
_SEROLOGIC = r"A(\d{1,2})(?:\(\d{1,2}\))?"
# A serologic antigen stands alone or after "HLA-", never inside another name ("MAGE-A4", "A1c").
_ALLELE = re.compile(
    rf"(?<![A-Za-z0-9*]){_MOLECULAR}|(?:(?<=HLA-)|(?<![A-Za-z0-9*-])){_SEROLOGIC}(?![A-Za-z\d*:])"
)
# The typing table's A-locus row: the label, then cells holding alleles.
_A_ROW = re.compile(r"^[ \t]*(?:HLA[- ]?)?A(?:[ \t]+locus)?[ \t]*[:\t]?[ \t]+(.+)$", re.I | re.M)
# Words that make an allele a question, not a result.
_NOT_A_RESULT = re.compile(
    r"(?:confirm|exclude|excluded|rule\s+out|\bvs\.?|versus|e\.g\.|such\s+as|eligible\s+alleles?|"
    r"required|requires|insufficient|not\s+an?\s+excluded|cannot\s+be\s+determined)[^.;\n]*$",
    re.I,
)
_NOT_DETECTED_AFTER = re.compile(r"^[^.;\n]{0,12}\bnot\s+(?:detected|present|found)", re.I)


def _allele(match: re.Match[str]) -> str:
    if match.group(1):
        return f"A*{match.group(1)}:{match.group(2)}"
    return f"A{int(match.group(3))}"


def _row_alleles(text: str) -> list[str]:
    for row in _A_ROW.finditer(text):
        cells = [c for c in re.split(r"\t|\s{2,}", row.group(1).strip()) if c]
        # Text layers may join the cells with single spaces: every allele on the row counts.
        alleles = [_allele(m) for m in _ALLELE.finditer(row.group(1))]
        # A locus row may print the fields without the "A*" ("HLA-A   02:01:01   03:01").
        alleles = alleles or [
            f"A*{m.group(1)}:{m.group(2)}"
            for cell in cells
            if (m := re.fullmatch(r"(\d{2,3}):(\d{2,3})(?::\d{2,3})*[A-Z]?", cell.strip()))
        ]
        if alleles:
            return alleles[:2]
    return []


def _stated_alleles(text: str) -> list[str]:
    found: list[str] = []
    for m in _ALLELE.finditer(text):
        # A serologic antigen ("A2") counts only where HLA is named on its line or just before.
        if m.group(3) is not None:
            before = text[max(0, m.start() - 80) : m.start()]
            if not re.search(r"HLA", before, re.I):
                continue
        sentence = text[max(0, m.start() - 120) : m.start()]
        sentence = re.split(r"[.;\n](?=\s)|\n", sentence)[-1]
        if _NOT_A_RESULT.search(sentence) or _NOT_DETECTED_AFTER.search(text[m.end() :]):
            continue
        allele = _allele(m)
        if allele not in found:
            found.append(allele)
    return found[:2]


def read_hla_a(text: str) -> list[str] | None:
    """Up to two HLA-A alleles, from the typing row or else as stated; None when none is."""
    return _row_alleles(text) or _stated_alleles(text) or None
