"""What an unreadable upload probably is, from its file name alone.

A faded fax or a dark photo yields no usable text, yet a person can still look at it. When
its name says what it is ("pet_ct_fax_copy.pdf", "echo.jpg"), the requirement it would
satisfy becomes `needs_review` (someone should look) instead of `missing` (ask for it).
The guess is recorded as a document with confidence 0 and `needs_review`, and its evidence
says it came from the file name, so it can never count as met.
"""

from __future__ import annotations

import re

from extractors.vocabulary import DocType, Document, Evidence, Fields, FileText

# (pattern on the file name, document type, modality, body region); first match wins.
_HINTS: list[tuple[re.Pattern[str], DocType, str | None, str | None]] = [
    (re.compile(r"pet[\s_\-]?ct|\bpet\b|fdg"), DocType.IMAGING_REPORT, "PET-CT", None),
    (
        re.compile(r"\bmri\b.*\b(brain|head)\b|\b(brain|head)\b.*\bmri\b"),
        DocType.IMAGING_REPORT,
        "MRI",
        "brain",
    ),
    (re.compile(r"\bmri\b|\bmr\b"), DocType.IMAGING_REPORT, "MRI", None),
    (re.compile(r"\bct\b|cat[\s_\-]?scan|\bcta\b"), DocType.IMAGING_REPORT, "CT", None),
    (re.compile(r"\becho|\bmuga\b|\btte\b|\blvef\b"), DocType.CARDIAC_FUNCTION, None, None),
    (
        re.compile(r"\bpft\b|spirometr|lung[\s_\-]?function|pulmonary[\s_\-]?function"),
        DocType.PULMONARY_FUNCTION,
        None,
        None,
    ),
    (re.compile(r"\bhla\b"), DocType.HLA_TYPING, None, None),
    (
        re.compile(r"\bfish\b|\bngs\b|molecular|genomic|cytogenetic|karyotype|mutation|fusion"),
        DocType.MOLECULAR_REPORT,
        None,
        None,
    ),
    (
        re.compile(r"patholog|biopsy|histolog|\bpath\b|marrow|病理"),
        DocType.PATHOLOGY_REPORT,
        None,
        None,
    ),
    (
        re.compile(r"\blabs?\b|\bcbc\b|\bcmp\b|bloods?\b|serolog|chemistry|检验|化验"),
        DocType.LAB_RESULTS,
        None,
        None,
    ),
    (re.compile(r"referral"), DocType.REFERRAL_LETTER, None, None),
    (re.compile(r"discharge|出院"), DocType.DISCHARGE_SUMMARY, None, None),
    (
        re.compile(r"operative|op[\s_\-]?note|surgery|surgical"),
        DocType.OPERATIVE_REPORT,
        None,
        None,
    ),
    (re.compile(r"medication|\bmeds?\b"), DocType.MEDICATION_LIST, None, None),
    (
        re.compile(r"treatment[\s_\-]?(summary|history)|\btx\b"),
        DocType.TREATMENT_SUMMARY,
        None,
        None,
    ),
    (re.compile(r"clinic|consult|progress[\s_\-]?note|visit"), DocType.CLINIC_NOTE, None, None),
]


_GUESS_EVIDENCE = "file name only: no readable text"


def is_name_guess(doc: Document) -> bool:
    return doc.confidence == 0.0 and any(e.text == _GUESS_EVIDENCE for e in doc.evidence)


def _words(name: str) -> str:
    stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = re.sub(r"([a-z])([A-Z])", r"\1 \2", stem)  # petCtScan -> pet Ct Scan
    return re.sub(r"[_\-.]+", " ", stem).lower()


def guess_from_name(file: FileText) -> Document | None:
    """A zero-confidence document for an unreadable file whose name says what it is."""
    words = _words(file.file)
    for pattern, doc_type, modality, region in _HINTS:
        if pattern.search(words):
            last = max((p.number for p in file.pages), default=1)
            return Document(
                file=file.file,
                pages=(1, last),
                doc_type=doc_type,
                confidence=0.0,
                needs_review=True,
                fields=Fields(modality=modality, body_region=region),
                evidence=[Evidence(page=1, text=_GUESS_EVIDENCE)],
                sha256=file.sha256,
            )
    return None
