"""Who and when, from banners as other systems print them: on real PDFs (text layer) and on
page images read by real tesseract. The wording is ours, in the style of each class."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.date_roles import document_date
from extractors.documents import find_documents
from extractors.identity import compare_identity, extract_patient, extract_sex
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import Document, Patient
from tests.reading.builders import image_bytes, page_image, text_pdf


def _read(name: str, data: bytes) -> list[Document]:
    (item,) = list(expand_bytes(name, data))
    return find_documents(read_item(item))


def _both(lines: list[str]) -> list[Document]:
    """The same page as a text PDF and as a PNG read by tesseract: one document from each."""
    from_pdf = _read("page.pdf", text_pdf([lines]))
    from_scan = _read("page.png", image_bytes(page_image(lines, size=30, width=1500), "PNG"))
    return [from_pdf[0], from_scan[0]]


# (a) names that swallow the next label, unlabelled banners, wrapped names, DOB/AGE/SEX


def test_name_stops_at_the_next_label_on_pdf_and_scan() -> None:
    lines = [
        "ORCHARD VALLEY IMAGING",
        "Patient: Nora Q Ellingham Exam Date: 02/11/2026",
        "MRN: OV-7730152 DOB: 09/23/1957",
        "CT CHEST WITH CONTRAST",
        "Impression: no new pulmonary nodules.",
    ]
    for doc in _both(lines):
        assert doc.patient.name == "Nora Q Ellingham"
        assert doc.patient.dob == dt.date(1957, 9, 23)
        assert doc.patient.mrn == "OV-7730152"


def test_unlabelled_banner_gives_name_mrn_dob_and_sex() -> None:
    lines = [
        "Lakemont Clinic - Progress Note",
        "PEMBERTON-ASH, GRETA   40771236   08/19/1949   76 y   F",
        "Visit: 01/14/2026   Provider: R. Osei, MD",
        "Seen for follow-up of anaemia; feels well.",
    ]
    for doc in _both(lines):
        assert doc.patient.name == "Greta Pemberton-Ash"
        assert doc.patient.dob == dt.date(1949, 8, 19)
        assert doc.patient.mrn == "40771236"
        assert doc.fields.sex == "female"
        assert doc.document_date == dt.date(2026, 1, 14)  # never the birth date


def test_name_wrapping_under_its_label() -> None:
    text = "Name: QUILLFORD-MOSS,          MRN: QM-5520198\nHENRIETTA\nDOB: 12/02/1966\n"
    assert extract_patient(text).name == "Henrietta Quillford-Moss"
    text = "Patient name:\nTobias Renwick-Hale DOB: 03/30/1980\n"
    assert extract_patient(text).name == "Tobias Renwick-Hale"


def test_dob_age_sex_in_one_cell() -> None:
    text = "Name: HARROW, ELLIS\nDOB/AGE/SEX: 06/21/1972 / 53 / M\nCollected: 01/05/2026"
    patient = extract_patient(text)
    assert patient.dob == dt.date(1972, 6, 21)
    assert extract_sex(text) == "male"


@pytest.mark.parametrize(
    ("text", "sex"),
    [
        ("Age / Gender : 44 Y / Female", "female"),
        ("FARLEY, OWEN   M/61   Printed 02-02-2026", "male"),
        ("Okonkwo, Ada   OK-1193020   F / 58 / 04-09-1967", "female"),
        ("a 63 yo M with relapsed disease", "male"),
    ],
)
def test_sex_as_banners_write_it(text: str, sex: str) -> None:
    assert extract_sex(text) == sex


def test_a_sex_letter_is_not_a_middle_initial() -> None:
    text = "WENDOVER-KLINE, ISOBEL F  14/03/1958  URN 0098124  Page 1 of 1\nCollected: 02/06/2026"
    assert extract_patient(text).name == "Isobel Wendover-Kline"


# (b) identity verdicts against the case's patient

CASE = Patient(name="Isobel Wendover-Kline", dob=dt.date(1958, 3, 14), mrn="0098124")


def test_different_name_with_dob_and_mrn_agreeing_is_the_same_patient() -> None:
    verdict, evidence = compare_identity(
        Patient(name="Isobel Kline", dob=dt.date(1958, 3, 14), mrn="0098124"), CASE
    )
    assert verdict == "same"
    # one part of the double surname is missing: not a conflict, not an agreement either
    assert evidence["name"] == "partly agrees"


def test_dob_one_ocr_confusion_away_alone_is_undetermined() -> None:
    verdict, evidence = compare_identity(Patient(dob=dt.date(1958, 3, 19)), CASE)  # 4 read as 9
    assert verdict == "undetermined"
    assert evidence["dob"] == "one OCR confusion away"
    verdict, _ = compare_identity(Patient(dob=dt.date(1958, 8, 14)), CASE)  # 3 read as 8
    assert verdict == "undetermined"


def test_a_real_conflict_is_another_patient() -> None:
    assert compare_identity(Patient(name="Isobel Wendover", dob=dt.date(1961, 7, 2)), CASE)[0] == (
        "different"
    )
    assert compare_identity(Patient(name="Marcus Feld"), CASE)[0] == "different"


def test_ocr_confused_dob_read_from_a_fax_like_scan_is_not_another_patient() -> None:
    lines = [
        "PARKSIDE LABORATORY",
        "Patient: Wendover-Kline, Isobel   DOB: 14/08/1958",
        "Collected: 02/06/2026   Haematology",
        "Haemoglobin 121 g/L",
    ]
    (doc,) = _read("fax.png", image_bytes(page_image(lines, size=30, width=1500), "PNG"))
    assert compare_identity(doc.patient, CASE)[0] != "different"


# (c) dates: birth dates, fax headers, printed dates, addenda, day-first conventions


def test_dob_and_print_dates_are_never_the_document_date() -> None:
    text = (
        "FEB-03-2026 09:14 FROM: RIVERTON ONC P.001\n"
        "HASKELL, DORA  DOB 02/03/1950\nPrinted: 02/03/2026\nCollected: 01/29/2026\n"
    )
    assert document_date(text, "lab_results")[0] == dt.date(2026, 1, 29)
    assert (
        document_date("DOE, JANE  03/04/1951\nNo other date.", "other", dt.date(1951, 3, 4))[0]
        is None
    )


def test_uk_dob_read_day_first_from_the_page() -> None:
    lines = [
        "Thornbury NHS Foundation Trust - Blood Sciences",
        "Name: ASHCROFT, MILES (MR)  NHS No: 943 476 5919",
        "DOB: 04/09/1961  Hosp No: T5520831",
        "Sample collected: 03/02/2026 08:40",
        "Haemoglobin 131 g/L",
    ]
    for doc in _both(lines):
        assert doc.patient.name == "Miles Ashcroft"
        assert doc.patient.dob == dt.date(1961, 9, 4)
        assert doc.patient.mrn == "T5520831"  # the hospital's number, not the national one
