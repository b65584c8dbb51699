"""Document dates: labelled over bare dates, day/month order from context, ambiguity flagged."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.date_roles import document_date
from extractors.dates import find_dates, infer_order, parse_date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("14-Mar-1961", dt.date(1961, 3, 14)),
        ("March 14, 2026", dt.date(2026, 3, 14)),
        ("14th March 2026", dt.date(2026, 3, 14)),
        ("2026-09-14", dt.date(2026, 9, 14)),
        ("2026年9月14日", dt.date(2026, 9, 14)),
        ("09/14/2026", dt.date(2026, 9, 14)),
        ("14.09.2026", dt.date(2026, 9, 14)),
        ("1O/22/2026", dt.date(2026, 10, 22)),
        ("Sept. 3, 2026", dt.date(2026, 9, 3)),
    ],
)
def test_formats(raw: str, expected: dt.date) -> None:
    assert parse_date(raw) == expected


def test_labelled_date_beats_other_dates() -> None:
    text = (
        "Printed 11/20/2026\nDOB: 01/02/1960\nAdmission date: 11/01/2026\nReport date: 11/05/2026\n"
    )
    assert document_date(text) == (dt.date(2026, 11, 5), False)


def test_birth_date_is_never_the_document_date() -> None:
    assert document_date("Date of Birth 14-Mar-1961\nNo other dates")[0] is None


def test_order_taken_from_unambiguous_dates_on_the_page() -> None:
    text = "Received 25/09/2026\nReport date: 04/10/2026"
    assert infer_order(text) == ("dmy", True)
    assert document_date(text) == (dt.date(2026, 10, 4), False)
    us = "Received 09/25/2026\nReport date: 10/04/2026"
    assert document_date(us) == (dt.date(2026, 10, 4), False)


def test_ambiguous_date_is_flagged() -> None:
    value, ambiguous = document_date("Date of visit: 04/05/2026")
    assert ambiguous
    assert value in (dt.date(2026, 4, 5), dt.date(2026, 5, 4))
    assert document_date("Date of visit: 05/05/2026") == (dt.date(2026, 5, 5), False)


def test_regional_cues_guide_but_still_flag() -> None:
    value, ambiguous = document_date("NHS Trust\nHaematology clinic letter\nDate: 04/05/2026")
    assert value == dt.date(2026, 5, 4) and ambiguous


def test_invalid_dates_are_ignored() -> None:
    assert find_dates("Result 13/13/2026 and 2026-02-30") == []


def test_date_time_labels_and_specimen_collection_preference() -> None:
    # Specimen-based reports (labs, pathology) are dated by the sample, imaging by its study.
    text = "Collection Date/Time: 2026-11-02 08:15\nReport Date/Time: 2026-11-03 14:33"
    assert document_date(text, "lab_results")[0] == dt.date(2026, 11, 2)
    assert document_date(text, "pathology_report")[0] == dt.date(2026, 11, 2)
    assert document_date(text, "imaging_report")[0] == dt.date(2026, 11, 3)
