"""XML of a C-CDA: a hardened parse, HL7 data types, and the narrative block as plain text.

A portal export is a file from outside like any other upload: the parser fetches nothing
(no network, no DTD, no external or internal entity expansion) and refuses a document
type declaration outright, so a billion-laughs or an XXE file costs nothing and reads
nothing. Element names are reduced to their local names after parsing: exports in the
wild put the HL7 namespace on some elements and not others.
"""

from __future__ import annotations

import datetime as dt
import re

from lxml import etree

from extractors.errors import FileErrorCode, FileRejected

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
LOINC = "2.16.840.1.113883.6.1"

# A DTD can only stand in the prolog, before the root element: refused before parsing.
_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_PROLOG_BYTES = 65536
_TS = re.compile(r"^\s*(\d{4})(\d{2})?(\d{2})?")
# Narrative block elements that start a new line; table cells are set apart by spaces.
_BLOCKS = {"paragraph", "item", "tr", "caption", "br", "list", "table", "thead", "tbody", "title"}
_CELLS = {"td", "th"}


def parse(name: str, data: bytes) -> etree._Element:
    """The document's root with local element names. Raises FileRejected for bad XML."""
    if _DOCTYPE.search(data[:_PROLOG_BYTES]):
        raise FileRejected(
            FileErrorCode.UNSUPPORTED, f"{name}: XML with a document type declaration is not read"
        )
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        tree = etree.fromstring(data, parser).getroottree()
    except (etree.XMLSyntaxError, ValueError) as exc:
        raise FileRejected(
            FileErrorCode.CORRUPT, f"{name}: XML is not well-formed ({type(exc).__name__})"
        ) from exc
    info = tree.docinfo
    if info.internalDTD is not None or info.system_url or info.public_id:
        raise FileRejected(
            FileErrorCode.UNSUPPORTED, f"{name}: XML with a document type declaration is not read"
        )
    root = tree.getroot()
    for el in root.iter():
        if isinstance(el.tag, str):
            el.tag = etree.QName(el).localname
    return root


def child(el: etree._Element | None, *path: str) -> etree._Element | None:
    """The first element down `path` (local names), or None."""
    for step in path:
        if el is None:
            return None
        el = next((c for c in el if c.tag == step), None)
    return el


def children(el: etree._Element | None, tag: str) -> list[etree._Element]:
    return [] if el is None else [c for c in el if c.tag == tag]


def attr(el: etree._Element | None, name: str) -> str | None:
    if el is None:
        return None
    value = el.get(name)
    return value.strip() if value and value.strip() else None


def all_text(el: etree._Element | None) -> str:
    """Every piece of text inside the element, as written."""
    return "" if el is None else "".join(str(t) for t in el.itertext())


def text_of(el: etree._Element | None) -> str:
    return " ".join(all_text(el).split())


def ts_date(value: str | None) -> dt.date | None:
    """The calendar date of an HL7 timestamp (YYYYMMDD[HHMM[SS]][+ZZZZ]); None if less precise."""
    if not value:
        return None
    match = _TS.match(value)
    if match is None or match.group(3) is None:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def time_of(el: etree._Element | None) -> dt.date | None:
    """The date an effectiveTime states: its value, else its high end, else its low end."""
    if el is None:
        return None
    for candidate in (el, child(el, "high"), child(el, "low"), child(el, "center")):
        date = ts_date(attr(candidate, "value"))
        if date is not None:
            return date
    return None


def narrative(el: etree._Element | None) -> str:
    """A section's narrative block (`text`) as lines: paragraphs, list items, table rows."""
    if el is None:
        return ""
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = " ".join(" ".join(current).split())
        if line:
            lines.append(line)
        current.clear()

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in _BLOCKS:
            flush()
        if tag == "tr":
            cells = [text_of(c) for c in node.iter() if c.tag in _CELLS]
            if cells:
                lines.append("   ".join(c for c in cells if c))
            return
        if tag and node.text:
            current.append(node.text)
        for c in node:
            walk(c)
            if c.tail:
                current.append(c.tail)
        if tag in _BLOCKS:
            flush()

    if el.text:
        current.append(el.text)
    for c in el:
        walk(c)
        if c.tail:
            current.append(c.tail)
    flush()
    return "\n".join(lines)
