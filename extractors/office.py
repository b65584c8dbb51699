"""Text of a DOCX, page by page (split on the author's explicit page breaks)."""

from __future__ import annotations

import io
import zipfile

import docx
from lxml import etree

from extractors.errors import FileErrorCode, FileRejected
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.sniff import ZIP_ERRORS

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PAGE_BREAK = "\f"


def check_archive(name: str, data: bytes, limits: Limits, what: str = "DOCX") -> None:
    """Inflate every part once with caps: python-docx and odfpy themselves trust the archive."""
    total = 0
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                if info.flag_bits & 0x1:
                    raise FileRejected(
                        FileErrorCode.ENCRYPTED, f"{name}: document is password-protected"
                    )
                size = 0
                with zf.open(info) as fh:
                    while chunk := fh.read(1 << 20):
                        size += len(chunk)
                        total += len(chunk)
                        if total > limits.max_total_bytes or (
                            size > (1 << 20)
                            and size / max(info.compress_size, 1) > limits.max_ratio
                        ):
                            raise FileRejected(
                                FileErrorCode.TOO_LARGE,
                                f"{name}: document unpacks past the size limits",
                            )
    except ZIP_ERRORS as exc:
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: {what} archive is damaged") from exc


def docx_pages(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """One string per page of the document body; raises FileRejected for unreadable files."""
    check_archive(name, data, limits)
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        letterhead = _first_header(document)
    except (etree.XMLSyntaxError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: DOCX content is damaged") from exc
    except Exception as exc:  # python-docx raises its own types for a missing main part
        raise FileRejected(
            FileErrorCode.CORRUPT, f"{name}: not a readable DOCX ({type(exc).__name__})"
        ) from exc
    lines: list[str] = []
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            lines.append(_paragraph(child))
        elif child.tag == f"{_W}tbl":
            lines.extend(_table(child))
    # Letterheads often live in the page header: the first page shows it, so it reads first.
    text = "\n".join(([letterhead] if letterhead else []) + lines)
    pages = [p.strip("\n") for p in text.split(_PAGE_BREAK)]
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    if not any(p.strip() for p in pages):
        raise FileRejected(FileErrorCode.EMPTY, f"{name}: DOCX holds no text")
    return pages


def _first_header(document: docx.document.Document) -> str:
    if not document.sections:
        return ""
    header = document.sections[0].header
    if header.is_linked_to_previous and len(document.sections) == 1:
        # A lone section "linked to previous" has no header part of its own.
        return ""
    return "\n".join(_paragraph(p) for p in header._element.iter(f"{_W}p")).strip()


def _paragraph(p: etree._Element) -> str:
    out: list[str] = []
    ppr = p.find(f"{_W}pPr")
    if ppr is not None:
        pbb = ppr.find(f"{_W}pageBreakBefore")
        if pbb is not None and pbb.get(f"{_W}val", "true") not in ("0", "false"):
            out.append(_PAGE_BREAK)
    for el in p.iter():
        tag = el.tag
        if tag == f"{_W}t":
            out.append(el.text or "")
        elif not isinstance(tag, str) and el.getparent() is not None:
            # An entity reference (never expanded: no DTD entity is ever resolved), a comment
            # or a processing instruction inside a run's text: the text after it is its
            # tail, and was dropped ('Hemoglobin &x; 12.1 g/dL' read as 'Hemoglobin ').
            if el.getparent().tag == f"{_W}t":
                out.append(el.tail or "")
        elif tag == f"{_W}tab":
            out.append("\t")
        elif tag == f"{_W}br":
            out.append(_PAGE_BREAK if el.get(f"{_W}type") == "page" else "\n")
        elif tag == f"{_W}cr":
            out.append("\n")
    return "".join(out)


def _table(tbl: etree._Element) -> list[str]:
    rows: list[str] = []
    for tr in tbl.iter(f"{_W}tr"):
        cells = [
            " ".join(_paragraph(p) for p in tc.iter(f"{_W}p")).strip() for tc in tr.iter(f"{_W}tc")
        ]
        rows.append("\t".join(cells))
    return rows
