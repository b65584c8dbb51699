"""A medication list a patient keeps and photographs: a title like 'My medicines' and the
dosing in a patient's words ('Every morning', 'Twice a day'), not a pharmacy's table.
Rendered and read by real tesseract; the wording is ours."""

from __future__ import annotations

from extractors.documents import find_documents
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import DocType
from tests.reading.builders import image_bytes, page_image

LIST = [
    "My Medicines and Vaccines",
    "Kept by Odile Ferrant - updated 2/3/2026",
    "Metformin   Twice a day with food",
    "Amlodipine   Every morning",
    "Melatonin   At bedtime",
    "Tetanus booster 2023",
]


def test_a_photographed_home_medication_list_is_a_medication_list() -> None:
    data = image_bytes(page_image(LIST, size=32, width=1400), "JPEG", quality=85)
    (item,) = list(expand_bytes("IMG_0412.jpg", data))
    (doc,) = find_documents(read_item(item))
    assert doc.doc_type == DocType.MEDICATION_LIST
