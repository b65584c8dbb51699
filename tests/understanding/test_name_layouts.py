"""Patient names from layouts without a 'Name:' label, and names that stop before the next
label: read from text PDFs and from page images by real tesseract. The wording is ours."""

from __future__ import annotations

import pytest

from extractors.documents import find_documents
from extractors.identity import extract_patient
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import Document
from tests.reading.builders import image_bytes, page_image, text_pdf


def _both(lines: list[str]) -> list[Document]:
    docs = []
    for name, data in (
        ("page.pdf", text_pdf([lines])),
        ("page.png", image_bytes(page_image(lines, size=30, width=1700), "PNG")),
    ):
        (item,) = list(expand_bytes(name, data))
        docs.append(find_documents(read_item(item))[0])
    return docs


def test_portal_banner_with_the_name_before_dob_and_mrn() -> None:
    lines = [
        "Eastmoor Patient Portal - Test Results      Printed 03/04/2026",
        "Corwin T Halvorsen-Pike | DOB 7/9/1981 | MRN 22-904-118",
        "Basic metabolic panel - Collected 3/3/2026 7:40 AM",
        "Creatinine 0.9 mg/dL",
    ]
    for doc in _both(lines):
        assert doc.patient.name == "Corwin T Halvorsen-Pike"


def test_name_split_from_its_identifiers_over_banner_rows() -> None:
    lines = [
        "NORTHGATE REFERENCE LABS",
        "LINDQVIST-ABARA, MARGIT E",
        "Page 1 of 1",
        "LINDQVIST-ABARA, MARGIT E      ORDERING PHYSICIAN ROE, ALAN",
        "DOB: 05/14/1966   COLLECTED: 02/02/2026",
        "Sodium 139 mmol/L",
    ]
    for doc in _both(lines):
        assert doc.patient.name == "Margit E Lindqvist-Abara"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # a title line naming the patient before a DOB in brackets
        (
            "Home medicines - Orla Fitzmaurice-Dunne (DOB 02/11/1979)\nAspirin 75 mg",
            "Orla Fitzmaurice-Dunne",
        ),
        # after the record number on a day-care banner
        (
            "UHID ZX-2025-440192   PADMANABHAN KIRAN R   M/44   Printed 01-02-2026",
            "Padmanabhan Kiran R",
        ),
        # the patient a subject line is about
        (
            "Sub: Referral of Mrs. Lakshmi Iyer-Sundaram (52 Y / F), UHID Q-8812",
            "Lakshmi Iyer-Sundaram",
        ),
        (
            "Subject: Result status - OYELARAN, TEMITOPE\nThe sample was received.",
            "Temitope Oyelaran",
        ),
        # a letter to the patient greets her by full name
        (
            "Coverage decision\nDear Henrike Vossberg,\nYour plan covers the visit.",
            "Henrike Vossberg",
        ),
        # a number's label after the name is not part of it
        ("Patient Name: Mr. DEVAN K ROSTAMI\tBiopsy No.: HP/2025/0091", "Devan K Rostami"),
        # cells glued by a text layer
        ("Patient: Ilse MarchettiMRN:QR-44018\nDOB: 01/02/1970", "Ilse Marchetti"),
    ],
)
def test_names_without_a_label_of_their_own(text: str, name: str) -> None:
    assert extract_patient(text).name == name


def test_a_letter_to_a_doctor_does_not_name_the_doctor_as_the_patient() -> None:
    assert extract_patient("Dear Dr Fenwick,\nThank you for seeing her.").name is None
    assert extract_patient("Dear Colleague,\nPlease find enclosed.").name is None
