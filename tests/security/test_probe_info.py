"""The probe's informational findings (issue 16 row 19), each on a file built here.

A DOCX run's text after an entity reference was dropped; a document title
('LABORATORY RESULTS') was taken for the institution, so a records request was addressed
to a title; files embedded in a PDF were never read, which could hide records.
"""

from __future__ import annotations

import io
import zipfile

import docx

from extractors.fields_letterhead import institution_of
from extractors.office import docx_pages


def _docx_with_entity() -> bytes:
    d = docx.Document()
    d.add_paragraph("Hemoglobin MARK 12.1 g/dL on 2026-11-02")
    d.add_paragraph("Platelets 210")
    src = io.BytesIO()
    d.save(src)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(src.getvalue())) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "word/document.xml":
                head, rest = data.decode().split("?>", 1)
                # An internal entity (declared, never expanded by our reader) and a comment.
                doctype = '<!DOCTYPE w:document [<!ENTITY sep "-">]>'
                rest = rest.replace("MARK", "&sep; <!-- c -->").replace("210", "2<!--x-->10")
                data = (head + "?>" + doctype + rest).encode()
            zout.writestr(info, data)
    return out.getvalue()


def test_docx_text_after_an_entity_reference_is_kept() -> None:
    text = docx_pages("labs.docx", _docx_with_entity())[0]
    assert "12.1 g/dL on 2026-11-02" in text
    assert "Platelets 210" in text
    assert "sep" not in text  # the reference is never expanded, nor shown


def test_a_document_title_is_not_the_institution() -> None:
    for title in ("LABORATORY RESULTS", "Imaging Findings", "Hematology Laboratory Panel"):
        assert institution_of(title) is None, title
        page = f"{title}\nRiverside Cancer Center\nPatient: Jane Doe"
        assert institution_of(page) == "Riverside Cancer Center", title
    assert institution_of("Quest Diagnostics Laboratory\nResults") == "Quest Diagnostics Laboratory"
