"""The patient's sex where a record states it without a Sex cell: a title before the
patient's name, the pronouns of a letter about the patient, a date/age/sex cell spaced out.
Pages are rendered and read as a text PDF and by real tesseract; the wording is ours."""

from __future__ import annotations

from extractors.documents import find_documents
from extractors.fields_sex import stated_sex
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import DocType, Document
from tests.reading.builders import image_bytes, page_image, text_pdf

LETTER = [
    "Fernhill Oncology Partners",
    "12 March 2026",
    "Dear Dr Okonjo,",
    "Re: Mrs Delphine Arkwright-Sole, DOB 14/02/1961, Hosp No FH-220913",
    "Thank you for seeing this 65-year-old retired teacher with relapsed lymphoma.",
    "She completed six cycles of R-CHOP in 2024 and her disease relapsed in 2025.",
    "My colleague Mr Tobin reviewed her scans. She remains active and independent.",
    "Yours sincerely,",
]


def _read(name: str, data: bytes) -> list[Document]:
    (item,) = list(expand_bytes(name, data))
    return find_documents(read_item(item))


def test_a_letter_gives_the_patients_sex_from_her_title_on_pdf_and_scan() -> None:
    from_pdf = _read("letter.pdf", text_pdf([LETTER]))
    from_scan = _read("letter.png", image_bytes(page_image(LETTER, size=30, width=1700), "PNG"))
    for doc in (from_pdf[0], from_scan[0]):
        assert doc.fields.sex == "female"  # not "male" from the colleague Mr Tobin


def test_a_title_before_a_colleagues_name_is_not_the_patients_sex() -> None:
    text = "Our surgeon Mr Halloran will operate.\nThe scan shows no new disease."
    assert stated_sex(text, DocType.CLINIC_NOTE, "Wilma Strand") is None
    text = "Mr. Strand has received three lines of therapy."
    assert stated_sex(text, DocType.TREATMENT_SUMMARY, "Oskar Strand") == "male"


def test_pronouns_decide_only_in_prose_about_the_patient_and_only_clearly() -> None:
    note = "He reports less pain. His appetite is better and he walks daily."
    assert stated_sex(note, DocType.CLINIC_NOTE) == "male"
    assert stated_sex(note, DocType.LAB_RESULTS) is None  # a lab comment is not about the patient
    mixed = "She came with her husband; he drives her to clinic. He is supportive."
    assert stated_sex(mixed, DocType.CLINIC_NOTE) is None
    assert stated_sex("HER2 negative.", DocType.CLINIC_NOTE) is None


def test_date_age_sex_cell_with_spaces_for_separators() -> None:
    text = "Name: QUARRIE, ANSEL\nDOB / Age / Sex: 03/09/1955  70  M\tCollected: 02/01/2026"
    assert stated_sex(text, DocType.LAB_RESULTS) == "male"
    text = "Age/Sex: 44 yrs / F"
    assert stated_sex(text, DocType.LAB_RESULTS) == "female"
