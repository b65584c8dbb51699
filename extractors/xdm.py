"""Portal zips in the IHE XDM layout: `IHE_XDM/<subset>/METADATA.XML` beside the documents.

The index (an ebXML registry submission) names each document, dates it (`creationTime`),
codes its kind (`typeCode`, LOINC) and says whose it is (`sourcePatientInfo`) and who
wrote it (`authorInstitution`). Those become a hint for the document read from the file
the entry points to (`URI`): what the document's own text does not state. The index, the
zip's readme and its stylesheet are not records and are not read as such.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import PurePosixPath

from lxml import etree

from extractors.ccda_codes import code_tables
from extractors.ccda_xml import all_text, attr, child, children, parse, ts_date
from extractors.vocabulary import CodedRecord, DocType, Document, Evidence, Patient

_METADATA = re.compile(r"^(?:.*/)?IHE_XDM/[^/]+/METADATA\.XML$", re.IGNORECASE)
_ROOT_FILES = {"index.htm", "index.html", "readme.txt"}
_STYLESHEETS = (".xsl", ".xslt")
_TYPE_CODE = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
_AUTHOR = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d"
# An index larger than this is not a portal's (a few KiB per document).
_MAX_INDEX_BYTES = 8 * 1024 * 1024


def is_boilerplate(filename: str, xdm: bool) -> bool:
    """A member that is part of the export's packaging, not a record."""
    path = filename.replace("\\", "/")
    low = path.lower()
    if low.endswith(_STYLESHEETS):
        return True
    return xdm and (_METADATA.match(path) is not None or low.lstrip("/") in _ROOT_FILES)


def _slot(el: etree._Element, name: str) -> list[str]:
    for slot in children(el, "Slot"):
        if attr(slot, "name") == name:
            return [all_text(v).strip() for v in children(child(slot, "ValueList"), "Value")]
    return []


def _patient(values: list[str]) -> Patient:
    """PID-3 (id), PID-5 (Family^Given), PID-7 (birth date) of sourcePatientInfo."""
    pid = {v.split("|", 1)[0]: v.split("|", 1)[1] for v in values if "|" in v}
    name_parts = pid.get("PID-5", "").split("^")
    name = " ".join(p for p in (name_parts[1:2] + name_parts[:1]) if p) or None
    mrn = pid.get("PID-3", "").split("^")[0] or None
    return Patient(name=name, dob=ts_date(pid.get("PID-7")), mrn=mrn)


def _classification(el: etree._Element, scheme: str) -> etree._Element | None:
    return next(
        (c for c in children(el, "Classification") if attr(c, "classificationScheme") == scheme),
        None,
    )


def _title(el: etree._Element | None) -> str:
    return attr(child(el, "Name", "LocalizedString"), "value") or ""


def _hint(entry: etree._Element) -> Document:
    tables = code_tables()
    type_code = attr(_classification(entry, _TYPE_CODE), "nodeRepresentation") or ""
    spec = tables.documents.get(type_code)
    author = _classification(entry, _AUTHOR)
    institutions = _slot(author, "authorInstitution") if author is not None else []
    title = _title(entry) or _title(_classification(entry, _TYPE_CODE))
    dates = _slot(entry, "creationTime") or _slot(entry, "serviceStartTime")
    return Document(
        file="",
        pages=(1, 1),
        doc_type=spec.type if spec else DocType.OTHER,
        confidence=0.9 if spec else 0.0,
        needs_review=spec is None,
        document_date=ts_date(dates[0]) if dates else None,
        patient=_patient(_slot(entry, "sourcePatientInfo")),
        evidence=[Evidence(page=1, text=f"XDM index: {title}"[:120])] if title else [],
        institution=institutions[0].split("^")[0] or None if institutions else None,
    )


def _entries(folder: str, data: bytes) -> dict[str, CodedRecord]:
    root = parse("METADATA.XML", data)
    out: dict[str, CodedRecord] = {}
    for entry in root.iter("ExtrinsicObject"):
        uri = next(iter(_slot(entry, "URI")), "")
        if not uri:
            continue
        inner = PurePosixPath(folder, uri.replace("\\", "/")).as_posix()
        out[inner] = CodedRecord(source="xdm", hint=_hint(entry))
    return out


def read_index(
    zf: zipfile.ZipFile,
    files: list[zipfile.ZipInfo],
    read: Callable[[zipfile.ZipInfo], bytes],
) -> dict[str, CodedRecord] | None:
    """Hints per member path for an XDM zip (empty if its index is unusable); None if not XDM."""
    indexes = [i for i in files if _METADATA.match(i.filename.replace("\\", "/"))]
    if not indexes:
        return None
    out: dict[str, CodedRecord] = {}
    for info in indexes:
        if info.file_size > _MAX_INDEX_BYTES:
            continue
        try:
            data = read(info)
            out.update(
                _entries(PurePosixPath(info.filename.replace("\\", "/")).parent.as_posix(), data)
            )
        except Exception:  # a broken index costs the hints, never the documents
            continue
    return out
