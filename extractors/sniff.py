"""Decide what a file is from its bytes, never from its name.

Names lie: a scan saved as `.pdf.jpg`, a PDF mailed as `attachment.dat`. The magic
numbers and a few structural checks below are what the readers actually need.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from enum import StrEnum

import olefile

from extractors.textcodec import is_text, narrow

# Everything zipfile (and zlib under it) raises for damaged or exotic archives.
ZIP_ERRORS: tuple[type[BaseException], ...] = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    IndexError,
    KeyError,
    struct.error,
    UnicodeDecodeError,
)


class Kind(StrEnum):
    PDF = "pdf"
    IMAGE = "image"
    ZIP = "zip"
    DOCX = "docx"
    DOC = "doc"
    ODT = "odt"
    RTF = "rtf"
    EML = "eml"
    MSG = "msg"
    CCDA = "ccda"
    DICOM = "dicom"
    TEXT = "text"
    EMPTY = "empty"
    UNKNOWN = "unknown"


# Brands of the ISO base media file format that pillow-heif opens.
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}

_MAIL_HEADERS = {
    "from",
    "to",
    "cc",
    "subject",
    "date",
    "message-id",
    "mime-version",
    "content-type",
    "received",
    "return-path",
    "reply-to",
    "delivered-to",
    "x-mailer",
    "sender",
}
_HEADER_LINE = re.compile(rb"^([A-Za-z][A-Za-z0-9-]{0,60}):[ \t]?")


# A C-CDA's root element, namespace prefix or not, within the first bytes of an XML file.
_CDA_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?ClinicalDocument[\s>/]")
_XML_START = re.compile(rb"^(?:\xef\xbb\xbf)?\s*<")


def is_dicom(data: bytes) -> bool:
    """A DICOM Part 10 file: 128 bytes of preamble, then the magic 'DICM'."""
    return len(data) > 132 and data[128:132] == b"DICM"


def is_ccda(data: bytes) -> bool:
    """An HL7 CDA document (C-CDA, CCD, C32): XML whose root is ClinicalDocument."""
    head = data[:65536]
    return _XML_START.match(head) is not None and _CDA_ROOT.search(head) is not None


def image_format(data: bytes) -> str | None:
    """The image format named by the magic number, or None."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith((b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")):
        return "tiff"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "heif"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head.startswith(b"BM") and len(data) > 26:
        return "bmp"
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        return "webp"
    return None


def _is_pdf(data: bytes) -> bool:
    # The header may follow a little junk (some mailers prepend bytes); readers accept 1 KiB.
    return b"%PDF-" in data[:1024]


def _is_mail(data: bytes) -> bool:
    known = 0
    for raw in data[:8192].splitlines()[:60]:
        if not raw.strip():
            break
        if raw[:1] in (b" ", b"\t"):
            continue  # folded continuation of the previous header
        match = _HEADER_LINE.match(raw)
        if match is None:
            return False
        if match.group(1).decode("ascii").lower() in _MAIL_HEADERS:
            known += 1
    return known >= 2


def _zip_kind(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except ZIP_ERRORS:
        return Kind.ZIP  # a damaged zip is still a zip; unpacking reports it
    if "word/document.xml" in names:
        return Kind.DOCX
    if "mimetype" in names and "content.xml" in names:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                mimetype = zf.read("mimetype")[:100].strip()
        except ZIP_ERRORS:
            return Kind.UNKNOWN
        if mimetype == b"application/vnd.oasis.opendocument.text":
            return Kind.ODT
    if "[Content_Types].xml" in names or "mimetype" in names:
        return Kind.UNKNOWN  # spreadsheets, slides, OpenDocument: not documents we read
    return Kind.ZIP


def looks_like_text(data: bytes) -> bool:
    """Text in any encoding we can tell: UTF-8, UTF-16 with or without a BOM, Latin-1, ..."""
    return is_text(data)


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_kind(data: bytes) -> Kind:
    """An OLE compound file: an Outlook message, a Word 97-2003 document, or something else.

    Only the directory is read (olefile bounds it); the streams are the readers' business."""
    try:
        with olefile.OleFileIO(data) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True)}
    except Exception:  # olefile raises many types for damaged directories
        return Kind.UNKNOWN
    if "worddocument" in streams:
        return Kind.DOC
    if "__properties_version1.0" in streams or any(s.startswith("__substg1.0_") for s in streams):
        return Kind.MSG
    return Kind.UNKNOWN  # Excel, PowerPoint, ...: not documents we read


def sniff(data: bytes) -> Kind:
    if not data.strip():
        return Kind.EMPTY
    # Before the others: a DICOM preamble may hold a TIFF header, its body a whole PDF.
    if is_dicom(data):
        return Kind.DICOM
    if data.startswith(b"%PDF-"):
        return Kind.PDF
    if image_format(data) is not None:
        return Kind.IMAGE
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data)
    if _is_pdf(data):
        return Kind.PDF
    if data.startswith(_OLE_MAGIC):
        return _ole_kind(data)
    if data.lstrip().startswith(b"{\\rtf"):
        return Kind.RTF
    if is_ccda(data):
        return Kind.CCDA
    if _is_mail(data) or _is_mail(narrow(data[:16384])):
        return Kind.EML
    if looks_like_text(data):
        return Kind.TEXT
    return Kind.UNKNOWN
