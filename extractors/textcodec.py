"""Bytes of a text file or an e-mail to text, in whatever encoding it was saved.

Clinic systems export Latin-1 and Windows-1252, Windows saves "Unicode" text as UTF-16
(often without a byte-order mark), and mail clients leave 8-bit bodies undeclared.
Reading such a file as UTF-8 drops or garbles every accented name and unit.
"""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes

# Enough of the file to judge its encoding; detection on a whole 16 MiB text is slow.
_SAMPLE = 64 * 1024
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SINGLE_BYTE = ("cp12", "iso8859", "latin", "mac_", "cp4", "cp8", "kz1048", "ptcp154")


def _bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return codec
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """UTF-16 of mostly Latin text has a NUL in every other byte; which half says the order."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
    odd = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
    if odd > 0.4 * pairs and even < 0.05 * pairs:
        return "utf-16-le"
    if even > 0.4 * pairs and odd < 0.05 * pairs:
        return "utf-16-be"
    return None


def _decodes(data: bytes, codec: str) -> bool:
    try:
        # A multi-byte character cut at the sample's end is still that encoding.
        codecs.getincrementaldecoder(codec)().decode(data, final=False)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect(data: bytes, declared: str | None = None) -> str | None:
    """The codec the bytes are in, or None when they are not text in any encoding we trust."""
    sample = data[:_SAMPLE]
    bom = _bom(sample)
    if bom:
        return bom
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = None
        if name and _decodes(sample, name):
            return name
    wide = _utf16_without_bom(sample)
    if wide and _decodes(sample[: len(sample) // 2 * 2], wide):
        return wide
    if _decodes(sample, "utf-8"):
        return "utf-8"
    best = from_bytes(sample).best()
    if best is None or not best.encoding:
        return None
    encoding = str(best.encoding)
    # On a short letter the 8-bit Latin code pages are indistinguishable ("ñ" in cp1252 is
    # "ń" in cp1250); Windows-1252 is what Western clinic systems and mail clients write.
    if encoding.startswith(_SINGLE_BYTE) and _decodes(sample, "cp1252"):
        return "cp1252"
    return encoding


def decode(data: bytes, declared: str | None = None) -> str:
    """The text of the bytes: a declared charset if it fits, else the detected one.

    Windows-1252 is the last resort because it decodes nearly every byte, and it is what
    an undeclared 8-bit body from a Windows mail client almost always is."""
    codec = detect(data, declared) or "cp1252"
    return data.decode(codec, "replace")


def is_text(data: bytes) -> bool:
    """Whether the bytes read as prose in some encoding (few control characters)."""
    sample = data[:_SAMPLE]
    codec = detect(sample)
    if codec is None:
        return False
    text = codecs.getincrementaldecoder(codec)("replace").decode(sample, final=False)
    text = text.lstrip("\ufeff")
    if not text.strip():
        return False
    control = sum(1 for ch in text if (ord(ch) < 32 and ch not in "\t\n\r\f") or ch == "\ufffd")
    return control / len(text) < 0.01


def narrow(data: bytes) -> bytes:
    """A UTF-16/32 file as UTF-8 (so an e-mail saved as "Unicode" parses); others unchanged."""
    codec = detect(data)
    if codec is None or not codec.replace("_", "-").startswith(("utf-16", "utf-32")):
        return data
    return data.decode(codec, "replace").lstrip("\ufeff").encode("utf-8")
