"""Values a reader finds although the line breaks or OCR get in the way: an ejection fraction
in a sentence that wraps onto the next line, and serology rows whose long words OCR
misspells. Pages rendered as text PDFs and read by real tesseract; the wording is ours."""

from __future__ import annotations

from extractors.documents import find_documents
from extractors.fields import extract_fields
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import DocType, Document
from tests.reading.builders import image_bytes, page_image, text_pdf

ECHO = [
    "Harborview Cardiology - Echocardiogram Report",
    "Patient: Tamsin Okoro-Blake   DOB: 11/02/1966   Study date: 03/04/2026",
    "The left ventricle is normal in size. Systolic function is preserved and the ejection",
    "fraction is estimated at approximately",
    "58% by the biplane method. No regional wall motion abnormality.",
]


def _read(name: str, data: bytes) -> Document:
    (item,) = list(expand_bytes(name, data))
    return find_documents(read_item(item))[0]


def test_an_ejection_fraction_in_a_wrapped_sentence_on_pdf_and_scan() -> None:
    for doc in (
        _read("echo.pdf", text_pdf([ECHO])),
        _read("echo.png", image_bytes(page_image(ECHO, size=30, width=1700), "PNG")),
    ):
        assert doc.fields.lvef_percent == 58


def test_a_table_row_without_a_value_does_not_take_the_next_rows() -> None:
    text = "Measurement   Value\nLVEF (biplane)\nGLS   -19.5%\nTAPSE 2.1 cm"
    assert extract_fields(text, DocType.CARDIAC_FUNCTION).lvef_percent is None


def test_serology_rows_with_ocr_misspelt_labels() -> None:
    text = (
        "Test   Result   Reference\n"
        "Hepatits B Surfaee Antigen   NON-REACTIVE   NON-REACTIVE\n"
        "Hepatitis © Antibody   NON-REACTIVE   NON-REACTIVE\n"
        "Hepatitis B Surface Antibody   REACTIVE   \n"
    )
    fields = extract_fields(text, DocType.LAB_RESULTS)
    assert fields.hbsag == "negative"
    assert fields.hcv_ab == "negative"
