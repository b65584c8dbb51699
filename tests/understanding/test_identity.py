"""Patient identity: extraction from headers, name normalisation and same_person matching."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.identity import (
    compare_identity,
    extract_patient,
    extract_sex,
    normalise_name,
    same_person,
)
from extractors.vocabulary import Patient

JANE = Patient(name="Jane Doe", dob=dt.date(1961, 3, 14), mrn="SMH-4410237")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("DOE, JANE", "Jane Doe"),
        ("O'NEILL, MARGARET", "Margaret O'Neill"),
        ("Mrs Jane M. Doe", "Jane M Doe"),
        ("mcdonald, ronald", "Ronald McDonald"),
        ("Jane D0e", "Jane Doe"),
        ("Mr. SMITH-JONES, Peter Jr", "Peter Smith-Jones"),
        ("", None),
    ],
)
def test_normalise_name(raw: str, expected: str | None) -> None:
    assert normalise_name(raw) == expected


def test_extract_patient_from_us_header() -> None:
    text = "Mercy General Hospital\nPatient Name: DOE, JANE    DOB: 03/14/1961   MRN: SMH-4410237\nSex: F\n"
    patient = extract_patient(text)
    assert patient == JANE
    assert extract_sex(text) == "female"


def test_extract_patient_uk_style_and_ocr_spacing() -> None:
    text = "Patient: Margaret O'Neill\nDate of Birth 14-Mar-1961\nHospital No: SMH 4410237\n"
    patient = extract_patient(text)
    assert patient.name == "Margaret O'Neill"
    assert patient.dob == dt.date(1961, 3, 14)
    assert patient.mrn == "SMH 4410237"


def test_extract_patient_chinese() -> None:
    text = "姓名：张伟  性别：男  年龄：54岁  病历号：ZY2026001\n出生日期：1972-01-05"
    patient = extract_patient(text)
    assert (patient.name, patient.dob, patient.mrn) == ("张伟", dt.date(1972, 1, 5), "ZY2026001")
    assert extract_sex(text) == "male"


@pytest.mark.parametrize(
    ("other", "expected"),
    [
        (Patient(name="DOE, JANE M"), True),
        (Patient(name="Jane D0e", mrn="SMH 44l0237"), True),
        (Patient(name="J. Doe", dob=dt.date(1961, 3, 14)), True),
        (Patient(name="Doe Jane"), True),
        (Patient(dob=dt.date(1961, 14 - 11, 14)), True),
        (Patient(name="John Smith"), False),
        (Patient(name="Jane Doe", dob=dt.date(1962, 3, 14)), False),
        (Patient(mrn="SMH-9999999"), False),
        (Patient(mrn="RMH-12345"), None),
        (Patient(), None),
    ],
)
def test_same_person(other: Patient, expected: bool | None) -> None:
    assert same_person(JANE, other) is expected
    assert same_person(other, JANE) is expected


def test_surname_forename_form_and_uk_numbers() -> None:
    patient = extract_patient("Surname: DOE\nForename: Jane Mary\nHosp No: 123456\nDOB: 14/03/1961")
    assert (patient.name, patient.mrn, patient.dob) == (
        "Jane Mary Doe",
        "123456",
        dt.date(1961, 3, 14),
    )


def test_a_title_is_not_a_name() -> None:
    assert (
        extract_patient("PATIENT REGISTRATION FACE SHEET\nPatient: O'NEILL, MARGARET").name
        == "Margaret O'Neill"
    )


def test_a_double_surname_with_one_part_misread_is_not_another_patient() -> None:
    # A fax's OCR spoils the second half of a double-barrelled surname; the given name and
    # the first half still agree. With nothing else readable that is for a person to check,
    # never "another patient's"; a different given name is still a different person.
    case = Patient(name="Rosamund K. Aldana-Whitcombe", dob=dt.date(1966, 5, 2))
    misread = Patient(name="Rosamund K Aldana-Wlntcarnbe")
    assert compare_identity(misread, case)[0] == "undetermined"
    assert (
        compare_identity(Patient(name="Rosamund K Aldana-Wlntcarnbe", dob=case.dob), case)[0]
        == "same"
    )
    assert compare_identity(Patient(name="Beatrix Aldana-Whitcombe"), case)[0] == "different"
