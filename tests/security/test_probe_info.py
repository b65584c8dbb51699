"""The probe's informational findings (issue 16 row 19), each on a file built here.

A DOCX run's text after an entity reference was dropped; a document title
('LABORATORY RESULTS') was taken for the institution, so a records request was addressed
to a title; files embedded in a PDF were never read, which could hide records.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import docx
import pypdfium2 as pdfium

from extractors.errors import FileErrorCode
from extractors.fields_letterhead import institution_of
from extractors.limits import Limits
from extractors.office import docx_pages
from extractors.sources import expand_bytes
from intake.pipeline.flow import read_paths
from intake.store import Store
from tests.reading.builders import text_pdf


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


def _pdf_embedding(files: dict[str, bytes]) -> bytes:
    """A one-page cover PDF with `files` in its EmbeddedFiles tree (what a portfolio is)."""
    doc = pdfium.PdfDocument(text_pdf([["Records enclosed as attachments."]]))
    for name, data in files.items():
        doc.new_attachment(name).set_data(data)
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()


def _pdf_with_page_attachment(name: str, data: bytes) -> bytes:
    """A cover page carrying `data` as a FileAttachment annotation (a paper-clip comment),
    not in the EmbeddedFiles tree: built with PDFium's own writer."""
    import ctypes

    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(text_pdf([["See the attached report."]]))
    page = doc[0]
    annot = raw.FPDFPage_CreateAnnot(page, raw.FPDF_ANNOT_FILEATTACHMENT)
    raw.FPDFAnnot_SetRect(annot, raw.FS_RECTF(40, 700, 60, 720))
    utf16 = (name + "\0").encode("utf-16-le")
    att = raw.FPDFAnnot_AddFileAttachment(
        annot, ctypes.cast(ctypes.c_char_p(utf16), raw.FPDF_WIDESTRING)
    )
    buf = ctypes.create_string_buffer(data, len(data))
    assert raw.FPDFAttachment_SetFile(att, doc, buf, len(data))
    raw.FPDFPage_CloseAnnot(annot)
    page.close()
    out = io.BytesIO()
    doc.save(out)
    doc.close()
    return out.getvalue()


def test_a_file_attached_to_a_page_as_a_comment_is_read(tmp_path: Path) -> None:
    lab = text_pdf([LAB])
    cover = _pdf_with_page_attachment("labs.pdf", lab)
    assert pdfium.PdfDocument(cover).count_attachments() == 0  # not in the name tree
    items = {i.name: i for i in expand_bytes("letter.pdf", cover)}
    assert set(items) == {"letter.pdf", "letter.pdf/labs.pdf"}
    assert items["letter.pdf/labs.pdf"].data == lab
    # The same limits as any embedded file (the padding compresses, so the cover stays small).
    padded = _pdf_with_page_attachment("big.pdf", lab + b" " * 40_000)
    [_, refused] = list(expand_bytes("letter.pdf", padded, Limits(max_file_bytes=30_000)))
    assert refused.error is not None and refused.error.code is FileErrorCode.TOO_LARGE


LAB = ["Riverside Cancer Center", "Patient: Jane Doe  DOB: 01/02/1960", "Hemoglobin 12.1 g/dL"]


def test_files_embedded_in_a_pdf_are_read_as_items_of_the_upload(tmp_path: Path) -> None:
    inner = _pdf_embedding({"scan.pdf": text_pdf([["Platelets 210 x10^9/L"]])})
    outer = _pdf_embedding({"labs.pdf": text_pdf([LAB]), "inner.pdf": inner})
    items = {i.name: i for i in expand_bytes("referral.pdf", outer)}
    assert set(items) == {
        "referral.pdf",
        "referral.pdf/labs.pdf",
        "referral.pdf/inner.pdf",
        "referral.pdf/inner.pdf/scan.pdf",
    }
    assert all(i.error is None for i in items.values())
    # Through the whole reading pipeline: the embedded lab report's text is read.
    path = tmp_path / "referral.pdf"
    path.write_bytes(outer)
    texts = {
        ft.file: ft
        for ft in read_paths([path], store=Store.at(tmp_path / "store"), workers=0).file_texts
    }
    lab = next(t for f, t in texts.items() if f.endswith("referral.pdf/labs.pdf"))
    assert "Hemoglobin 12.1" in lab.pages[0].text


def test_embedded_files_meet_the_container_limits() -> None:
    three = _pdf_embedding({f"p{n}.pdf": text_pdf([[f"page {n}"]]) for n in range(3)})
    items = list(expand_bytes("many.pdf", three, Limits(max_members=2)))
    assert [i.name for i in items if i.error is None] == [
        "many.pdf",
        "many.pdf/p0.pdf",
        "many.pdf/p1.pdf",
    ]
    assert items[-1].error is not None and items[-1].error.code is FileErrorCode.TOO_LARGE
    nested = _pdf_embedding({"a.pdf": _pdf_embedding({"b.pdf": _pdf_embedding({"c.pdf": three})})})
    deep = list(expand_bytes("deep.pdf", nested))
    assert any(i.error is not None and "nested deeper" in i.error.message for i in deep)
    big = _pdf_embedding({"big.bin": b"x" * 5000})
    [cover, refused] = list(expand_bytes("big.pdf", big, Limits(max_file_bytes=4000)))
    assert cover.error is None and refused.error is not None
    assert refused.error.code is FileErrorCode.TOO_LARGE
