"""The institution named in a page's letterhead: where to send a records request, and a
sign (when it changes between pages) that a new document has begun."""

from __future__ import annotations

import re

_INSTITUTION = re.compile(
    r"\b(?:hospital|medical\s+cent(?:er|re)|health(?:care)?(?:\s+system)?|clinic|university|institute|"
    r"cancer\s+cent(?:er|re)|infirmary|nhs\s+(?:foundation\s+)?trust|foundation\s+trust|laborator(?:y|ies)|"
    r"diagnostics|imaging|radiology\s+associates|oncology\s+associates|cent(?:er|re)\s+for|pathology\s+"
    r"(?:associates|services|group)|health\s+board)\b|医院|中心|研究所|检验所",
    re.I,
)
_NOT_INSTITUTION = re.compile(
    r"patient|name|d\.?o\.?b|mrn|report|date|phone|tel\b|fax\b|page\s+\d|@|www\.|http|"
    r"referring|ordering|physician|dr\.?\s|doctor|姓名|报告|"
    # A document's title names a kind of record, not who wrote it: 'LABORATORY RESULTS',
    # 'Imaging Findings', 'Clinic Note' were taken for the institution to write to.
    r"results?\b|summary|findings|notes?\b|letter\b|requisition|panel\b|结果|小结|总结|记录单",
    re.I,
)


# What a printing system stamps on the header line after the letterhead, one space away:
# "Riverside Clinic Printed 10/01/2026 07:58", "... Page 2", "... Run date 2026-10-01".
_STAMP = re.compile(
    r"\s+(?:(?:re)?printed|print\s+date|generated|run\s+(?:date|on)|date\s+printed|as\s+of|"
    r"page\s+\d|\d{1,4}[/.-]\d{1,2}[/.-]\d{2,4}\b|\d{1,2}:\d{2}\b|打印|第\s*\d+\s*页).*$",
    re.I,
)


def institution_of(text: str) -> str | None:
    """The institution named in the letterhead: the first such line at the top of the page,
    without a print stamp after it (a letter is addressed with it)."""
    for line in [line.strip() for line in text.splitlines() if line.strip()][:6]:
        candidate = re.split(r"\s{3,}|\s[|·•–—]\s|\t", line)[0].strip(" ,;:-")
        candidate = _STAMP.sub("", candidate).strip(" ,;:-")
        if (
            _INSTITUTION.search(candidate)
            and not _NOT_INSTITUTION.search(candidate)
            and len(candidate) <= 80
        ):
            return candidate
    return None
