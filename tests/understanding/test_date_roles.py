"""The date a person would give a record: an amendment's date over the superseded report's,
a form's own date over a requested (future) one, a referral's date over a meeting's, and a
date whose digits OCR split with a space. Pages rendered as text PDFs and read by real
tesseract; the wording is ours."""

from __future__ import annotations

import datetime as dt

from extractors.date_roles import document_date
from extractors.documents import find_documents
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import Document
from tests.reading.builders import image_bytes, page_image, text_pdf

AMENDED_ECHO = [
    "Westerly Heart Unit - Transthoracic Echocardiogram",
    "Patient: PELLEGRINI-OWUSU, Dario   DOB: 19/04/1956   Hosp No: W3310485",
    "Study date: 02/03/2026   Reported: 02/03/2026",
    "LVEF 55% (visual estimate)",
    "*** AMENDED REPORT ***",
    "Amended: 05/03/2026 09:20",
    "Original report: 02/03/2026 - superseded",
    "Amended conclusion: LVEF 45% by contrast biplane assessment.",
]


def _read(name: str, data: bytes) -> Document:
    (item,) = list(expand_bytes(name, data))
    return find_documents(read_item(item))[0]


def test_an_amended_report_is_dated_and_valued_by_its_amendment() -> None:
    for doc in (
        _read("echo.pdf", text_pdf([AMENDED_ECHO])),
        _read("echo.png", image_bytes(page_image(AMENDED_ECHO, size=30, width=1700), "PNG")),
    ):
        assert doc.document_date == dt.date(2026, 3, 5)
        assert doc.fields.lvef_percent == 45


def test_a_supplementary_report_date_dates_the_record() -> None:
    text = (
        "Histopathology\nCollected: 10/05/2025  Reported: 14/05/2025\nMelanoma, Breslow 2 mm.\n"
        "SUPPLEMENTARY REPORT\nSupplementary report date: 21/05/2025\nBRAF V600E detected."
    )
    assert document_date(text, "pathology_report")[0] == dt.date(2025, 5, 21)


def test_a_requested_or_planned_date_is_not_the_forms_date() -> None:
    text = (
        "Apheresis slot request\nRequested date: 11/20/2026 (tentative)\n"
        "Checklist complete.\nCoordinator: A. Lindgren, RN   Date: 11/02/2026"
    )
    assert document_date(text, "administrative")[0] == dt.date(2026, 11, 2)


def test_the_date_of_referral_over_a_meeting_date() -> None:
    text = "Referral to cellular therapy\nDate of referral: 04/12/2026\tMDT date: 28/11/2026"
    assert document_date(text, "referral_letter")[0] == dt.date(2026, 12, 4)


def test_a_date_whose_digits_ocr_split_with_a_space() -> None:
    text = "SEROLOGY  DOB: 25-06-1980\nSample collected: 03-1 1-2026   Reported: 04-11-2026\nHBsAg Negative"
    assert document_date(text, "lab_results")[0] == dt.date(2026, 11, 3)
