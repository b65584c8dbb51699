"""Prior lines counted from a treatment table whose cells a text layer or OCR joined with
single spaces ('Line Regimen Start End ...'), in a referral form or a clinic note. Pages
rendered as text PDFs and read by real tesseract; the wording is ours."""

from __future__ import annotations

from extractors.documents import find_documents
from extractors.fields_history import read_prior_lines
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import Document
from tests.reading.builders import image_bytes, page_image, text_pdf

FORM = [
    "Regional Cell Therapy Service - Referral for CAR-T assessment",
    "Patient: Mr Anselm Crowther-Nyambura   DOB: 08/08/1961   Date of referral: 04/02/2026",
    "PRIOR SYSTEMIC THERAPY",
    "Line Regimen Start End Best response",
    "1 R-CHOP 01/03/2024 30/07/2024 CR",
    "2 R-ICE 02/10/2025 15/12/2025 PD",
    "Bridging Pola-BR 10/01/2026 ongoing -",
    "WHO performance status: 1",
]


def _read(name: str, data: bytes) -> Document:
    (item,) = list(expand_bytes(name, data))
    return find_documents(read_item(item))[0]


def test_lines_counted_from_a_single_spaced_table_on_pdf_and_scan() -> None:
    for doc in (
        _read("form.pdf", text_pdf([FORM])),
        _read("form.png", image_bytes(page_image(FORM, size=30, width=1800), "PNG")),
    ):
        assert doc.fields.prior_lines == 2  # bridging is not a line


def test_numbers_elsewhere_below_the_header_are_not_lines() -> None:
    text = (
        "Line Therapy Start Stop Response\n1 Nivolumab 2024 2025 PR\n"
        + "\n" * 12
        + "3 units of blood were given in 2023."
    )
    assert read_prior_lines(text) == 1
