"""Text of the other word-processor letters: OpenDocument (.odt), RTF and Word 97-2003 (.doc).

Each returns one string per page where the file says where pages break, and raises
FileRejected (naming the file, never its text) for anything it cannot read.
  .odt: the zip is inflated once under the container limits, content.xml parsed with the
        hardened XML parser the C-CDA reader uses (no DTD, no entities, no network).
  .rtf: striprtf (a maintained pure-Python converter), in the code page the file declares.
  .doc: catdoc (Debian package), run as a separate process with a time and memory cap,
        so a hostile file can cost at most that process.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable

from lxml import etree
from striprtf import striprtf

from extractors.ccda_xml import parse
from extractors.errors import FileErrorCode, FileRejected
from extractors.limits import DEFAULT_LIMITS, Limits, MiB
from extractors.office import check_archive

_PAGE_BREAK = "\f"


def _pages(name: str, text: str, what: str) -> list[str]:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    pages = [p.strip("\n") for p in text.split(_PAGE_BREAK)]
    while len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    if not any(p.strip() for p in pages):
        raise FileRejected(FileErrorCode.EMPTY, f"{name}: {what} holds no text")
    return pages


# --- OpenDocument text -------------------------------------------------------------------

_ODT_LINES = {"p", "h"}


def odt_pages(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    check_archive(name, data, limits, "OpenDocument")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("content.xml")
            if info.file_size > limits.max_xml_bytes:
                raise FileRejected(FileErrorCode.TOO_LARGE, f"{name}: document text is too large")
            content = zf.read(info)
    except KeyError as exc:
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: OpenDocument has no content") from exc
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: OpenDocument is damaged") from exc
    if "encryption-data" in _manifest(data):
        raise FileRejected(FileErrorCode.ENCRYPTED, f"{name}: document is password-protected")
    root = parse(name, content)
    breaks = _page_break_styles(root)
    body = root.find("body")
    text_root = body.find("text") if body is not None else None
    if text_root is None:
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: OpenDocument has no text body")
    lines: list[str] = []
    _odt_block(text_root, lines, breaks)
    return _pages(name, "\n".join(lines), "OpenDocument")


def _manifest(data: bytes) -> str:
    """The manifest, where an encrypted document lists how each part is encrypted."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("META-INF/manifest.xml")
            if info.file_size > 4 * MiB:
                return ""
            return zf.read(info).decode("utf-8", "replace")
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return ""


_STYLE_NAME = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}name"
_TEXT_STYLE = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}style-name"
_BREAK_BEFORE = "{urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0}break-before"


def _page_break_styles(root: etree._Element) -> set[str]:
    """Paragraph styles that start a new page: how a writer stores an explicit page break."""
    found: set[str] = set()
    styles = root.find("automatic-styles")
    for style in styles if styles is not None else []:
        props = style.find("paragraph-properties")
        if props is not None and props.get(_BREAK_BEFORE) == "page":
            found.add(style.get(_STYLE_NAME, ""))
    return found


def _odt_block(el: etree._Element, lines: list[str], breaks: set[str]) -> None:
    """Paragraphs and headings as lines, table rows as tab-separated cells, in document order."""
    for child in el:
        tag = child.tag
        if tag in _ODT_LINES:
            lead = _PAGE_BREAK if child.get(_TEXT_STYLE) in breaks and lines else ""
            lines.append(lead + _odt_inline(child))
        elif tag == "table":
            for row in child.iter("table-row"):
                cells = []
                for cell in row.iter("table-cell"):
                    inner: list[str] = []
                    _odt_block(cell, inner, breaks)
                    cells.append(" ".join(s.strip() for s in inner if s.strip()))
                lines.append("\t".join(cells))
        elif tag == "soft-page-break":
            # Where the writer laid out a new page: the reader's page numbers follow it.
            lines.append(_PAGE_BREAK)
        elif tag in ("tracked-changes", "sequence-decls", "variable-decls", "user-field-decls"):
            continue  # deleted text and declarations are not what the letter says
        elif isinstance(tag, str):
            _odt_block(child, lines, breaks)  # sections, lists, list items, frames, text boxes


def _odt_inline(p: etree._Element) -> str:
    out: list[str] = [p.text or ""]
    for child in p:
        tag = child.tag
        if tag == "tab":
            out.append("\t")
        elif tag == "s":
            try:
                count = max(1, min(int(child.get(_TEXT_C, "1")), 100))
            except ValueError:
                count = 1
            out.append(" " * count)
        elif tag == "line-break":
            out.append("\n")
        elif tag == "soft-page-break":
            out.append(_PAGE_BREAK)
        elif tag in ("note-citation", "annotation", "tracked-changes"):
            pass
        elif isinstance(tag, str):
            out.append(_odt_inline(child))
        out.append(child.tail or "")
    return "".join(out)


_TEXT_C = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}c"


# --- RTF ---------------------------------------------------------------------------------

# striprtf ships no annotations; this is its signature (text, encoding, errors) -> text.
_rtf_to_text: Callable[[str, str, str], str] = striprtf.rtf_to_text
_ANSICPG = re.compile(rb"\\ansicpg(\d{3,5})")
# striprtf drops \page (a break) and \pagebb (a paragraph that starts a page) with the other
# control words; they are the author's page breaks.
_PAGE = re.compile(r"\\page(?![a-z])")
_PAGEBB = re.compile(r"\\pagebb(?![a-z])")
_CELL = re.compile(r"\\cell(?![a-z])")


def rtf_pages(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    if len(data) > limits.max_xml_bytes:
        raise FileRejected(FileErrorCode.TOO_LARGE, f"{name}: RTF is over the size limit")
    # RTF is 7-bit: bytes past ASCII are \'xx escapes in the declared code page.
    match = _ANSICPG.search(data[:4096])
    codepage = f"cp{int(match.group(1))}" if match else "cp1252"
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp1252"
    source = _PAGE.sub(lambda _: "\\par \f", data.decode("latin-1"))
    source = _PAGEBB.sub(lambda _: "\f", source)
    # Table cells and rows, as tab-separated lines like the other readers' tables.
    source = _CELL.sub(lambda _: "\\tab ", source)
    try:
        text = _rtf_to_text(source, codepage, "replace")
    except (ValueError, IndexError, RecursionError, LookupError, OverflowError) as exc:
        raise FileRejected(
            FileErrorCode.CORRUPT, f"{name}: RTF is damaged ({type(exc).__name__})"
        ) from exc
    text = "\n".join(line.rstrip() for line in text.replace("\r", "").split("\n"))
    return _pages(name, text, "RTF letter")


# --- Word 97-2003 ------------------------------------------------------------------------

_DOC_SECONDS = 60.0
_DOC_MEMORY = 512 * MiB
_CAPPED = f'ulimit -v {_DOC_MEMORY // 1024} && exec "$0" "$@"'


def doc_pages(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    # catdoc, not antiword: antiword refuses a document of a few short lines ("text stream
    # too small"), and catdoc already gives table cells tab-separated.
    exe = shutil.which("catdoc")
    if exe is None:
        raise FileRejected(
            FileErrorCode.UNSUPPORTED,
            f"{name}: Word 97-2003 (.doc) needs catdoc, which is not installed here",
        )
    with tempfile.TemporaryDirectory(prefix="rr-doc-") as tmp:
        path = os.path.join(tmp, "document.doc")
        with open(path, "wb") as fh:
            fh.write(data)
        try:
            # -w: paragraphs on one line each, as the other readers give them. The memory cap
            # is set by the shell that execs catdoc: preexec_fn is unsafe in a threaded host.
            done = subprocess.run(
                ["/bin/sh", "-c", _CAPPED, exe, "-d", "utf-8", "-w", path],
                capture_output=True,
                timeout=_DOC_SECONDS,
                env={"PATH": os.environ.get("PATH", ""), "LC_ALL": "C.UTF-8"},
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise FileRejected(
                FileErrorCode.TOO_LARGE, f"{name}: Word document took over {_DOC_SECONDS:g} s"
            ) from exc
    if done.returncode != 0 or len(done.stdout) > limits.max_text_bytes:
        raise _doc_failure(name, done, limits)
    return _pages(name, done.stdout.decode("utf-8", "replace"), "Word document")


def _doc_failure(
    name: str, done: subprocess.CompletedProcess[bytes], limits: Limits
) -> FileRejected:
    # catdoc's messages name the temporary path, never the text; only their gist is kept.
    said = done.stderr.decode("utf-8", "replace").lower()
    if "encrypt" in said or "password" in said:
        return FileRejected(FileErrorCode.ENCRYPTED, f"{name}: Word document is password-protected")
    if done.returncode < 0 or len(done.stdout) > limits.max_text_bytes:
        return FileRejected(FileErrorCode.TOO_LARGE, f"{name}: Word document is too large to read")
    return FileRejected(FileErrorCode.CORRUPT, f"{name}: Word document is damaged")
