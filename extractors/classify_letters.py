"""Letters are typed by their purpose, not by the tables and reports they quote.

A letter (a salutation, "Dear ...", with a sign-off or a "Re:" line) may carry a treatment
table, a list of results or a medication list; phrase scores then say "treatment summary" or
"lab results". A reviewer reads a letter's purpose instead:
- asking the recipient to see the patient ("Thank you for seeing", "I am referring", "I would
  be grateful if you would assess") is a referral letter;
- reporting a visit the writer held ("I reviewed her today", "Thank you for asking me to see",
  "Clinic date:") is a clinic letter, filed as a clinic note;
- an insurer's or an office's letter about coverage, authorisation or benefits is
  administrative.
When the purpose is clear, that type leads the scores by LETTER_MARGIN; when it is not (a
discharge letter, a letter with no purpose cue), the phrase scores decide as before.
"""

from __future__ import annotations

import re

from extractors.vocabulary import DocType

# How far the letter's purpose leads the next type: enough to be confident (softmax share
# about 0.9 at the classifier's temperature), not so much that evidence is hidden.
LETTER_MARGIN = 4.0
# A salutation opens a letter: it stands near the top, not in the middle of a report.
_SALUTATION_LINES = 25

_SALUTATION = re.compile(
    r"^\W{0,3}(?:dear\s+\S|respected\s+(?:sir|madam|dr|doctor|colleague)|"
    r"to\s+whom\s+it\s+may\s+concern)",
    re.I | re.M,
)
_SIGN_OFF = re.compile(
    r"^\W{0,3}(?:yours\s+(?:sincerely|faithfully|truly)|sincerely|(?:with\s+)?(?:kind|best|warm)"
    r"(?:est)?\s+regards|regards|with\s+(?:best|kind)\s+wishes|thanking\s+you|respectfully)\b"
    r"[ \t]*[,.]?[ \t]*$",
    re.I | re.M,
)
_RE_LINE = re.compile(r"^\W{0,3}(?:re|sub|subject)\s*[:.]", re.I | re.M)

# The writer asks the recipient to take the patient on.
_REFERRAL = [
    r"thank\s+you\s+(?:very\s+much\s+)?for\s+(?:seeing|agreeing\s+to\s+see|evaluating|assessing)",
    r"many\s+thanks\s+for\s+(?:seeing|evaluating|assessing)",
    r"\b(?:i|we)\s+(?:am|are|'m|'re)\s+(?:writing\s+to\s+)?refer(?:ring)?\b",
    r"\b(?:i|we)\s+(?:would\s+like\s+to|wish\s+to)\s+refer\b",
    r"\breferral\s+of\s+(?:mr|mrs|ms|miss|dr|master|our|my|this)\b",
    r"grateful\s+if\s+you\s+(?:would|could|can)\s+(?:kindly\s+)?"
    r"(?:see|assess|evaluate|review|consider|accept)",
    r"\bfor\s+your\s+(?:kind\s+)?(?:evaluation|assessment|opinion|consideration|review)\b",
    r"\b(?:introduction|reintroduction)\s+(?:to|of)\s+my\s+patient\b",
    r"\bwho\s+will\s+be\s+seeing\s+you\b",
    r"\basking\s+you\s+to\s+see\b",
    r"\bplease\s+(?:kindly\s+)?(?:see|assess|evaluate)\s+(?:him|her|them|this|mr|mrs|ms)\b",
    r"\bto\s+assess\s+(?:his|her|their)\s+suitability\b",
]
# The writer saw the patient and reports back.
_REPLY = [
    r"thank\s+you\s+(?:very\s+much\s+)?for\s+(?:asking\s+me|referring|your\s+(?:kind\s+)?referral|"
    r"the\s+referral)",
    r"\b(?:i|we)\s+(?:saw|reviewed|met|examined|assessed)\b[^.\n]{0,40}?"
    r"\b(?:today|this\s+(?:morning|afternoon)|in\s+(?:the\s+|my\s+|our\s+)?clinic)\b",
    r"\bseen\s+(?:today\s+)?in\s+(?:the\s+|my\s+|our\s+)?(?:\w+\s+)?clinic\s+today\b",
    r"^\W{0,3}clinic\s+date\s*[:.]",
    r"\b(?:it\s+was\s+a\s+pleasure|i\s+had\s+the\s+pleasure)\s+(?:to\s+see|of\s+seeing|to\s+meet)",
]
# The letter is about cover, authorisation or benefits, not about the patient's care.
_ADMINISTRATIVE = [
    r"\bmember\s+(?:id|services|number)\b",
    r"\b(?:coverage|covered\s+benefit|benefits?\s+(?:are|is)\s+subject)\b",
    r"\bprior\s+authori[sz]ation\b",
    r"\butili[sz]ation\s+(?:review|management)\b",
    r"\bguarantee\s+of\s+payment\b",
    r"\b(?:claims?\s+(?:number|department)|policy\s+number)\b",
]


def _count(patterns: list[str], text: str) -> int:
    return sum(bool(re.search(p, text, re.I | re.M)) for p in patterns)


def is_letter(text: str) -> bool:
    """A salutation near the top, with a sign-off or a "Re:" line to show it is a letter."""
    top = "\n".join(line for line in text.splitlines() if line.strip())
    top = "\n".join(top.splitlines()[:_SALUTATION_LINES])
    if not _SALUTATION.search(top):
        return False
    return bool(_SIGN_OFF.search(text) or _RE_LINE.search(top))


def letter_purpose(text: str) -> DocType | None:
    """The type a letter's purpose gives it, or None when it is not a letter or says no purpose."""
    if not is_letter(text):
        return None
    administrative = _count(_ADMINISTRATIVE, text)
    referral = _count(_REFERRAL, text)
    reply = _count(_REPLY, text)
    if administrative >= 2 and administrative > referral + reply:
        return DocType.ADMINISTRATIVE
    if referral > reply:
        return DocType.REFERRAL_LETTER
    if reply > referral:
        return DocType.CLINIC_NOTE
    return None


def with_letter_purpose(text: str, scores: dict[DocType, float]) -> dict[DocType, float]:
    """Scores where a letter's purpose type leads the others by LETTER_MARGIN."""
    purpose = letter_purpose(text)
    if purpose is None:
        return scores
    others = max(s for t, s in scores.items() if t != purpose)
    adjusted = dict(scores)
    adjusted[purpose] = max(scores[purpose], others + LETTER_MARGIN)
    return adjusted
