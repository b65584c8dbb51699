"""File and folder names made safe to store, log and show, whatever an uploader sent.

A name is data chosen by whoever uploads it. A NUL aborted a whole batch on PostgreSQL (its
text type cannot hold one), a path of over 1024 characters overflowed the column, and a
right-to-left override made `invoice<U+202E>fdp.exe` read as "invoiceexe.pdf". Every name
is cleaned once where it enters (an upload, an inbox path, a container member):

- Unicode NFC, so one name has one spelling;
- control characters, bidirectional controls, lone surrogates and non-characters become a
  visible `[U+XXXX]`: the original stays readable and nothing is silently dropped;
- every path segment at most MAX_SEGMENT characters and the whole at most MAX_NAME; a
  longer one keeps its start and extension with a short hash of the original between, so
  two long names never become one.
"""

from __future__ import annotations

import hashlib
import unicodedata

MAX_SEGMENT = 200
MAX_NAME = 900
# Bidirectional embeddings, overrides and isolates, and the implicit marks: they reorder
# what a reader sees. Zero-width (non-)joiners stay: scripts and emoji need them.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(ch: str) -> bool:
    if ch in _BIDI:
        return True
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs"):
        return True
    code = ord(ch)
    return cat == "Cn" and (0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE)


def _visible(text: str) -> str:
    return "".join(f"[U+{ord(ch):04X}]" if _unsafe(ch) else ch for ch in text)


def _fit(text: str, limit: int, original: str) -> str:
    if len(text) <= limit:
        return text
    tag = "~" + hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    stem, dot, ext = text.rpartition(".")
    ext = dot + ext if dot and stem and len(ext) <= 10 else ""
    keep = limit - len(tag) - len(ext)
    return text[: len(text) - len(ext)][:keep] + tag + ext


def clean_name(raw: str, limit: int = MAX_NAME) -> str:
    """`raw` as it will be stored and shown (see the module's rules); "/" keeps separating
    the segments of a member's path. Cleaning a clean name changes nothing."""
    text = unicodedata.normalize("NFC", _visible(raw))
    segments = [_fit(seg, MAX_SEGMENT, seg) for seg in text.split("/")]
    return _fit("/".join(segments), limit, raw)
