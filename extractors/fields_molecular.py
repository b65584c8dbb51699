"""Gene rearrangements and fusions stated in a report: SS18 in synovial sarcoma.

Pathologists state the molecular result inside the pathology report as often as in a
molecular report of its own: "SS18 rearranged", "SS18 gene rearrangement confirmed by
FISH", "SS18 break-apart FISH positive", "SS18::SSX1 fusion detected", "SS18 基因断裂阳性".
The result is read from the sentence that names the gene, so "break-apart probe" (the
method) is not a result, and "no SS18 rearrangement" or "not detected" is a negative one.
"""

from __future__ import annotations

import re

from extractors.fields_text import context_ok

REARRANGED_GENES: dict[str, str] = {
    "ss18": r"SS18|SYT",
}

# From the gene to the end of its sentence: a full stop before a space (not the one inside
# "18q11.2"), a semicolon, a Chinese full stop or a blank line; one wrapped line at most.
_SENTENCE = r"(?:[^.;。\n]|\.(?!\s))*(?:\n(?:[^.;。\n]|\.(?!\s))*)?"
_EVENT = r"(?:rearrange(?:d|ment)|fusion|break[- ]?apart|split|translocat(?:ed|ion)|断裂|融合|易位)"
_POSITIVE = re.compile(
    rf"::\s*SSX|[-/]SSX\d?\s+fusion|\brearranged\b|{_EVENT}.{{0,60}}?"
    r"(?:positive|detected|confirmed|present|identified|demonstrated|阳性)"
    r"|(?:positive|detected|confirmed|阳性)",
    re.I | re.S,
)
_NEGATIVE = re.compile(
    r"not\s+(?:detected|identified|seen|present|demonstrated|rearranged)|negative|absent|阴性"
    r"|\bno\s+(?:evidence\s+of\s+)?(?:\w+\s+)?(?:rearrangement|fusion)",
    re.I,
)
_NEGATED_BEFORE = re.compile(
    r"(?:\bno|negative\s+for|absence\s+of|without)\s+(?:\w+\s+){0,2}$", re.I
)
# "FISH showed SS18 break-apart": the verb before the gene states the finding.
_FOUND_BEFORE = re.compile(r"(?:showed|shows|revealed|demonstrated|confirmed)\s+(?:an?\s+)?$", re.I)
_NOT_YET = re.compile(r"pending|sent\s+(?:out|for)|requested|to\s+follow|in\s+progress|待", re.I)


def read_rearrangement(text: str, gene: str) -> str | None:
    """'positive' or 'negative' for the gene's rearrangement as the document states it."""
    pattern = re.compile(rf"(?<![A-Za-z0-9])(?:{gene})(?![0-9A-Za-z])({_SENTENCE})", re.I)
    for m in pattern.finditer(text):
        if not context_ok(text, m.start()):
            continue
        sentence = m.group(1)
        if _NOT_YET.search(sentence):
            continue
        before = text[max(0, m.start() - 40) : m.start()]
        if _NEGATED_BEFORE.search(before):
            return "negative"
        if _FOUND_BEFORE.search(before) and re.match(rf"\s*{_EVENT}", sentence, re.I):
            return "positive"
        positive, negative = _POSITIVE.search(sentence), _NEGATIVE.search(sentence)
        # "rearranged ..., margins negative" is positive; "rearrangement not detected" is
        # not: the positive statement counts only when it ends before any negative one.
        if positive and (negative is None or positive.end() <= negative.start()):
            return "positive"
        if negative:
            return "negative"
    return None
