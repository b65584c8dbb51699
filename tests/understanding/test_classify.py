"""Document types from titles, headers and vocabulary, in English and Chinese."""

from __future__ import annotations

import pytest

from extractors.classify import REVIEW_THRESHOLD, classify_text, prepare
from extractors.vocabulary import DocType

from .fixtures import TEXTS


@pytest.mark.parametrize("key", sorted(TEXTS))
def test_each_type_is_recognised_with_evidence(key: str) -> None:
    expected, text = TEXTS[key]
    result = classify_text([(3, text)])
    assert result.doc_type == expected
    assert result.confidence >= REVIEW_THRESHOLD
    assert not result.needs_review
    assert result.evidence, "a decision must show the phrases behind it"
    assert all(e.page == 3 for e in result.evidence)
    # Evidence is phrases or title lines, never the page.
    assert all(len(e.text) <= 80 for e in result.evidence)


def test_every_doc_type_has_a_fixture() -> None:
    assert {t for t, _ in TEXTS.values()} == set(DocType)


def test_title_outweighs_passing_mentions() -> None:
    text = """FOLLOW-UP CLINIC NOTE
History of present illness: history of CT scan of the chest in 2024, prior MRI brain and an
echocardiogram last year; pathology report from the outside hospital reviewed.
Assessment and plan: continue surveillance."""
    result = classify_text([(1, text)])
    assert result.doc_type == DocType.CLINIC_NOTE
    assert result.evidence[0].text == "FOLLOW-UP CLINIC NOTE"


def test_no_evidence_goes_to_review() -> None:
    result = classify_text([(1, "Thank you. Lorem ipsum dolor sit amet, consectetur adipiscing.")])
    assert result.doc_type == DocType.OTHER
    assert result.needs_review
    assert result.confidence < REVIEW_THRESHOLD


def test_header_without_title_still_decides() -> None:
    text = "Preoperative diagnosis: cholelithiasis.\nPostoperative diagnosis: same.\nProcedure: laparoscopic cholecystectomy.\nEstimated blood loss: minimal."
    assert classify_text([(1, text)]).doc_type == DocType.OPERATIVE_REPORT


def test_comma_flattened_exports_are_read_as_sections() -> None:
    flattened = "EXAM:,  CT abdomen and pelvis with contrast.,FINDINGS:,  The liver is normal.,IMPRESSION:,  No acute process."
    prepared = prepare(flattened)
    assert "\nFINDINGS:" in prepared
    assert classify_text([(1, flattened)]).doc_type == DocType.IMAGING_REPORT


def test_commas_in_names_are_left_alone() -> None:
    text = "Patient: DOE, JANE   DOB: 03/14/1961\nLine two"
    assert prepare(text) == text


def test_evidence_pages_follow_the_file() -> None:
    pages = [
        (4, "Hospital course: uneventful."),
        (5, "DISCHARGE SUMMARY\nDischarge diagnoses: pneumonia"),
    ]
    result = classify_text(pages)
    assert result.doc_type == DocType.DISCHARGE_SUMMARY
    assert {e.page for e in result.evidence} <= {4, 5}


def test_panel_named_molecular_report_without_the_word_molecular_is_confident() -> None:
    # Labs name tests after the panel ("Fusion Panel", "Myeloid NGS Panel"), not "molecular report".
    text = """Northgate Reference Laboratory
Myeloid Mutation Panel (DNA NGS)
Collected: 02-Oct-2026  Reported: 09-Oct-2026
RESULT
FLT3-ITD not detected. NPM1 exon 12 c.860_863dup detected, VAF 41%. Read depth 2,310x.
METHODOLOGY
Targeted next-generation sequencing of 54 genes."""
    result = classify_text([(1, text)])
    assert result.doc_type == DocType.MOLECULAR_REPORT
    assert not result.needs_review
