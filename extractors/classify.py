"""Document type from weighted, position-aware evidence (spaCy PhraseMatcher, no model download).

Each signal in `classify_signals` is matched on spaCy tokens (`spacy.blank("en")`, and
`spacy.blank("zh")`, which segments Chinese by character). A match counts by where it
stands: report titles at the top of the document and section headers at the start of a
line decide; the same words in running text count little, and less still after "history
of", "prior", or a negation. Scores become a confidence by a softmax among the types with
any evidence, scaled down when the evidence is thin; below REVIEW_THRESHOLD the type is a
suggestion and the document is marked for review. `recordready eval` reports accuracy per
confidence band on the real corpus, which is how the temperature and threshold are checked.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher

from extractors.classify_letters import with_letter_purpose
from extractors.classify_lists import with_list_shape
from extractors.classify_signals import EN_SIGNALS, ZH_SIGNALS, Signal
from extractors.vocabulary import DocType, Evidence

Position = Literal["title", "header", "body"]

REVIEW_THRESHOLD = 0.6
# Softmax temperature over evidence scores (see the calibration table of `recordready eval`).
TEMPERATURE = 2.0
# Evidence for "other" that every document starts with: a record with nothing typical of any
# type is "other" (and, being weak, goes to review).
OTHER_PRIOR = 2.0
# Evidence worth a clear report title; below it confidence is scaled down.
STRONG_EVIDENCE = 4.0
# Caps keep long notes that mention many tests in passing from outweighing a title or headers.
_TERM_CAP = 5.0
_HEADER_CAP = 14.0
_TOP_LINES = 10
# Lines of a document's heading: a phrase opening one of them is the document's name.
_HEADING_LINES = 2

_CJK = re.compile(r"[\u3400-\u9fff]")
_CJK_NEAR = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(
    rf"(?<=[{_CJK_NEAR}])[ \t]+(?=[{_CJK_NEAR}0-9])|(?<=[0-9])[ \t]+(?=[{_CJK_NEAR}])"
)
_DISCOUNT_BEFORE = re.compile(
    r"(?:history\s+of|h/o|hx\s+of|prior|previous(?:ly)?|recent(?:ly)?|s/p|status\s+post|underwent|"
    r"had\s+an?|outside|pending|awaiting|ordered?|scheduled?|plan(?:ned)?\s+(?:for|to)|will\s+(?:obtain|get|need|"
    r"order|arrange|repeat)|recommend(?:ed)?|request(?:ed)?|review(?:ed)?\s+(?:of|the)|reviewed|"
    r"no|not|without|negative\s+for|denies|based\s+on|per|see|copy\s+of|refer(?:red)?\s+for|"
    r"既往|曾|未)\W+(?:[\w/-]+\W+){0,3}$",
    re.I,
)


class Classification(NamedTuple):
    doc_type: DocType
    confidence: float
    needs_review: bool
    evidence: list[Evidence]


@dataclass(frozen=True)
class Hit:
    signal: Signal
    page: int
    text: str
    position: Position
    contribution: float
    line: str


@lru_cache(maxsize=2)
def _pipeline(lang: str) -> tuple[Language, PhraseMatcher, dict[str, list[Signal]]]:
    """Built once per process: a blank tokenizer and a phrase matcher over the signal lists."""
    nlp = spacy.blank(lang)
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_phrase: dict[str, list[Signal]] = defaultdict(list)
    signals = ZH_SIGNALS + EN_SIGNALS if lang == "zh" else EN_SIGNALS
    for signal in signals:
        key = signal.phrase.lower()
        if key not in by_phrase:
            matcher.add(key, [nlp.make_doc(signal.phrase)])
        by_phrase[key].append(signal)
    return nlp, matcher, dict(by_phrase)


def is_chinese(text: str) -> bool:
    if not _CJK.search(text):
        return False
    letters = sum(ch.isalpha() for ch in text)
    return letters > 0 and len(_CJK.findall(text)) / letters > 0.2


def prepare(text: str) -> str:
    """Undo exports that flattened line breaks into commas ("HISTORY:,  text...,IMPRESSION:,")."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CJK.search(text):
        # OCR of Chinese puts spaces between characters ("出院日 期 : 2026 年 10 月"); printed
        # Chinese has none between characters, digits and full-width punctuation.
        text = _CJK_GAP.sub("", text)
    flattened = len(re.findall(r"[:：]\s*,", text))
    if flattened and text.count("\n") <= flattened:
        text = re.sub(r"([:：])\s*,\s*", r"\1\n", text)
        text = re.sub(r",\s*(?=[A-Z][A-Z0-9/&()'\-]*(?: [A-Z0-9/&()'\-]+){0,6}[:：])", "\n", text)
    return text


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    return line_start, (len(text) if line_end < 0 else line_end)


class _Lines:
    """Line starts of a page and how many non-empty lines precede each, for O(log n) lookups."""

    def __init__(self, text: str) -> None:
        self.starts: list[int] = [0]
        self.rank: list[int] = [0]
        seen = 0
        for m in re.finditer("\n", text):
            seen += bool(text[self.starts[-1] : m.start()].strip())
            self.starts.append(m.end())
            self.rank.append(seen)

    def index(self, offset: int) -> int:
        return self.rank[bisect.bisect_right(self.starts, offset) - 1]


def _position(
    text: str, lines: _Lines, start: int, end: int, first_page: bool
) -> tuple[Position, str]:
    line_start, line_end = _line_bounds(text, start, end)
    line = text[line_start:line_end].strip()
    span = text[start:end]
    lead = text[line_start:start]
    at_line_start = len(lead.strip(" \t-•*#0123456789.)(")) == 0
    colon_after = bool(re.match(r"\s*[:：]", text[end : end + 3]))
    # A title or header line is short; in a long line (flattened exports) nothing dominates.
    head = re.split(r"[:：]", line[:200], maxsplit=1)[0]
    in_head = start - line_start < len(text[line_start:line_end]) - len(
        text[line_start:line_end].lstrip()
    ) + len(head)
    letters_head = sum(ch.isalnum() for ch in head) or 1
    share = sum(ch.isalnum() for ch in span) / letters_head
    # A short line that the phrase dominates is a title or header ("FOLLOW-UP CLINIC NOTE",
    # "CT CHEST WITH CONTRAST"), wherever on the line the phrase stands.
    headline = head.strip().isupper() or head.strip().istitle() or bool(_CJK.search(head))
    dominant = in_head and (share >= 0.45 or (len(head) <= 70 and share >= 0.2 and headline))
    upper = span.isupper() and sum(ch.isalpha() for ch in span) >= 3
    top = first_page and lines.index(start) < _TOP_LINES
    # The opening lines of a form or letterhead name the document even in sentence case and
    # followed by its subject ("Referral for CAR-T cell therapy - Large B-cell lymphoma").
    heading = (
        first_page
        and lines.index(start) < _HEADING_LINES
        and start
        == line_start + (len(text[line_start:start]) - len(text[line_start:start].lstrip()))
    )
    if top and (dominant or (upper and at_line_start) or heading):
        return "title", line
    if (
        (at_line_start and (colon_after or dominant or upper))
        or (colon_after and upper)
        or dominant
    ):
        return "header", line
    return "body", line


def _contribution(signal: Signal, position: Position, discounted: bool) -> float:
    factor = {
        "title": {"title": 1.0, "header": 0.5, "body": 0.12},
        "header": {"title": 1.0, "header": 1.0, "body": 0.25},
        "term": {"title": 1.0, "header": 1.0, "body": 1.0},
    }[signal.kind][position]
    if discounted and position == "body":
        factor *= 0.3
    return signal.weight * factor


def find_hits(pages: list[tuple[int, str]]) -> list[Hit]:
    """Every signal match in the pages, with where it stands and what it is worth."""
    lang = "zh" if is_chinese(" ".join(text for _, text in pages)) else "en"
    hits: list[Hit] = []
    for index, (page_number, raw) in enumerate(pages):
        hits.extend(_page_hits(page_number, raw, index == 0, lang))
    return hits


# Splitting and classifying look at the same pages more than once; a page's hits depend only
# on its text, its number, whether it opens the document, and the language.
@lru_cache(maxsize=512)
def _page_hits(page_number: int, raw: str, first_page: bool, lang: str) -> tuple[Hit, ...]:
    nlp, matcher, by_phrase = _pipeline(lang)
    text = prepare(raw)
    doc = nlp.make_doc(text)
    lines = _Lines(text)
    hits: list[Hit] = []
    for match_id, start, end in matcher(doc):
        span = doc[start:end]
        key = nlp.vocab.strings[match_id]
        position, line = _position(text, lines, span.start_char, span.end_char, first_page)
        sentence_start = max(
            text.rfind(".", 0, span.start_char), text.rfind("\n", 0, span.start_char)
        )
        before = text[max(sentence_start + 1, span.start_char - 60) : span.start_char]
        discounted = bool(_DISCOUNT_BEFORE.search(before))
        for signal in by_phrase[key]:
            hits.append(
                Hit(
                    signal,
                    page_number,
                    span.text,
                    position,
                    _contribution(signal, position, discounted),
                    line,
                )
            )
    return tuple(hits)


def score_hits(hits: list[Hit]) -> dict[DocType, float]:
    """Per type: best contribution of each distinct phrase, summed, with caps per kind."""
    best: dict[tuple[DocType, str], Hit] = {}
    for hit in hits:
        key = (hit.signal.doc_type, hit.signal.phrase)
        if key not in best or hit.contribution > best[key].contribution:
            best[key] = hit
    totals: dict[DocType, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for (doc_type, _), hit in best.items():
        totals[doc_type][hit.signal.kind] += hit.contribution
    scores = {t: 0.0 for t in DocType}
    for doc_type, kinds in totals.items():
        scores[doc_type] = (
            kinds["title"] + min(kinds["header"], _HEADER_CAP) + min(kinds["term"], _TERM_CAP)
        )
    scores[DocType.OTHER] += OTHER_PRIOR
    return scores


def confidence_of(scores: dict[DocType, float]) -> tuple[DocType, float]:
    """Top type and its confidence: its share among the types with any evidence (softmax),
    scaled down when the evidence itself is thin (less than a report title's worth)."""
    top = max(scores, key=lambda t: scores[t])
    peak = scores[top]
    candidates = [s for t, s in scores.items() if s > 0 or t == DocType.OTHER]
    share = 1.0 / sum(math.exp((s - peak) / TEMPERATURE) for s in candidates)
    evidence = peak - (OTHER_PRIOR if top == DocType.OTHER else 0.0)
    return top, share * min(1.0, evidence / STRONG_EVIDENCE)


def _evidence(hits: list[Hit], doc_type: DocType, limit: int = 5) -> list[Evidence]:
    chosen = sorted(
        (h for h in hits if h.signal.doc_type == doc_type and h.contribution > 0),
        key=lambda h: -h.contribution,
    )
    out: list[Evidence] = []
    seen: set[str] = set()
    for hit in chosen:
        # A report title is shown as its line (e.g. "CT CHEST WITH CONTRAST").
        # Section headers are shown as the phrase alone: the rest of their line is content.
        title_line = hit.position == "title" and hit.signal.kind == "title" and len(hit.line) <= 80
        text = hit.line if title_line else hit.text
        if any(text.lower() in shown for shown in seen):
            continue
        seen.add(text.lower())
        out.append(Evidence(page=hit.page, text=text))
        if len(out) == limit:
            break
    return out


def classify_text(pages: list[tuple[int, str]]) -> Classification:
    """Type, confidence in [0, 1], whether a person should review it, and the deciding phrases.

    `pages` are (page number within the file, text) of one document.
    """
    hits = find_hits(pages)
    text = "\n".join(prepare(t) for _, t in pages)
    # Shape decides before phrases: a list of medicines, then a letter's purpose.
    scores = with_letter_purpose(text, with_list_shape(text, score_hits(hits)))
    doc_type, confidence = confidence_of(scores)
    return Classification(
        doc_type, round(confidence, 3), confidence < REVIEW_THRESHOLD, _evidence(hits, doc_type)
    )


def title_hits(number: int, text: str) -> list[Hit]:
    """Title-kind signals standing as a title at the top of this page (splitting uses these)."""
    return [
        h
        for h in find_hits([(number, text)])
        if h.signal.kind == "title" and h.position == "title" and h.signal.weight >= 4
    ]
