"""Files embedded in a PDF (attachments and portfolio items), read as further items.

A PDF can carry other files in its EmbeddedFiles name tree: a portfolio is nothing else,
and a hospital's export often attaches the scanned originals to a cover PDF. A file can
also hang off a page as a comment (a FileAttachment annotation, the paper-clip icon a
reviewer drops on a page). Both were ignored, which could hide records. Each is now an
item named `outer.pdf/inner.pdf`,
counted and sized against the upload's container budget like a zip member, and nested no
deeper than the container limit; an embedded PDF's own attachments follow in turn.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import PurePosixPath

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.errors import FileErrorCode
from extractors.names import clean_name
from extractors.sniff import Kind
from extractors.source_items import Budget, Inner, SourceItem, rejected
from extractors.vocabulary import CodedRecord


def expand_pdf(
    name: str,
    data: bytes,
    depth: int,
    budget: Budget,
    inner: Inner,
    record: CodedRecord | None = None,
) -> Iterator[SourceItem]:
    """The PDF itself, then every file it embeds (`depth` is the PDF's own).

    `record` is what a portal's index (XDM) says of the PDF itself: its date and type.
    """
    yield SourceItem(name=name, data=data, kind=str(Kind.PDF), record=record)
    try:
        doc = pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - the PDF reader reports a damaged PDF itself
        return
    try:
        embedded = list(_embedded(name, doc, depth, budget))
    finally:
        doc.close()
    for member, payload in embedded:
        if isinstance(payload, SourceItem):
            yield payload
        else:
            yield from inner(member, payload, depth + 1, budget)


def _attachments(doc: pdfium.PdfDocument) -> Iterator[tuple[str, object]]:
    """(name, FPDF_ATTACHMENT handle) of every embedded file: the EmbeddedFiles tree, then
    each page's FileAttachment annotations. Handles live as long as the document."""
    try:
        count = doc.count_attachments()
    except Exception:  # noqa: BLE001 - an unreadable name tree embeds nothing we can use
        count = 0
    for index in range(count):
        handle = pdfium_c.FPDFDoc_GetAttachment(doc, index)
        if handle:
            yield _name_of(handle), handle
    for page_index in range(len(doc)):
        yield from _page_attachments(doc, page_index)


def _page_attachments(doc: pdfium.PdfDocument, page_index: int) -> Iterator[tuple[str, object]]:
    try:
        page = doc[page_index]
    except Exception:  # noqa: BLE001 - a page that cannot load is the page reader's to report
        return
    try:
        for i in range(pdfium_c.FPDFPage_GetAnnotCount(page)):
            annot = pdfium_c.FPDFPage_GetAnnot(page, i)
            if not annot:
                continue
            try:
                if pdfium_c.FPDFAnnot_GetSubtype(annot) != pdfium_c.FPDF_ANNOT_FILEATTACHMENT:
                    continue
                handle = pdfium_c.FPDFAnnot_GetFileAttachment(annot)
                if handle:
                    yield _name_of(handle), handle
            finally:
                pdfium_c.FPDFPage_CloseAnnot(annot)
    finally:
        page.close()


def _name_of(handle: object) -> str:
    try:
        size = pdfium_c.FPDFAttachment_GetName(handle, None, 0)
        if size <= 2:
            return ""
        buf = ctypes.create_string_buffer(size)
        pdfium_c.FPDFAttachment_GetName(
            handle, ctypes.cast(buf, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size
        )
        return buf.raw[: size - 2].decode("utf-16-le", errors="replace")
    except Exception:  # noqa: BLE001 - a nameless entry still gets a name
        return ""


def _embedded(
    name: str, doc: pdfium.PdfDocument, depth: int, budget: Budget
) -> Iterator[tuple[str, bytes | SourceItem]]:
    limits = budget.limits
    used: set[str] = set()
    for index, (raw_name, handle) in enumerate(_attachments(doc)):
        member = f"{name}/{_member_name(raw_name, index, used)}"
        if depth + 1 > limits.max_depth:
            yield (
                member,
                rejected(
                    member,
                    Kind.UNKNOWN,
                    FileErrorCode.TOO_LARGE,
                    f"containers nested deeper than {limits.max_depth} levels",
                ),
            )
            continue
        if budget.members_left <= 0:
            yield (
                member,
                rejected(
                    name,
                    Kind.PDF,
                    FileErrorCode.TOO_LARGE,
                    f"PDF embeds more than {limits.max_members} files",
                ),
            )
            return
        budget.members_left -= 1
        payload = _data(handle, min(budget.bytes_left, limits.max_file_bytes))
        if isinstance(payload, str):
            yield member, rejected(member, Kind.UNKNOWN, _CODES[payload], _WHY[payload])
            continue
        budget.bytes_left -= len(payload)
        yield member, payload


_CODES = {"large": FileErrorCode.TOO_LARGE, "bad": FileErrorCode.CORRUPT}
_WHY = {"large": "embedded file is over the size limit", "bad": "embedded file cannot be read"}


def _member_name(raw: str, index: int, used: set[str]) -> str:
    base = clean_name(PurePosixPath(str(raw).replace("\\", "/")).name or "", 200)
    base = base if base not in ("", ".", "..") else f"embedded-{index + 1}"
    candidate, n = base, 1
    while candidate in used:
        n += 1
        candidate = f"{n}-{base}"
    used.add(candidate)
    return candidate


def _data(handle: object, most: int) -> bytes | str:
    """The embedded file's bytes; "large" past `most` (checked before copying), "bad"."""
    try:
        size = ctypes.c_ulong()
        pdfium_c.FPDFAttachment_GetFile(handle, None, 0, size)
        if size.value == 0:
            return "bad"
        if size.value > most:
            return "large"
        buf = (ctypes.c_char * size.value)()
        got = ctypes.c_ulong()
        if not pdfium_c.FPDFAttachment_GetFile(handle, buf, size.value, got):
            return "bad"
        return bytes(buf)[: got.value]
    except Exception:  # noqa: BLE001 - one bad entry never hides the others
        return "bad"
