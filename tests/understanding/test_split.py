"""Splitting a packet into documents by page numbering, titles, patient and date changes."""

from __future__ import annotations

from extractors.documents import CLASSIFIER_VERSION, find_documents
from extractors.split import split_pages
from extractors.vocabulary import DocType, FileText, PageMethod, PageText

from .fixtures import TEXTS


def _file(pages: list[str]) -> FileText:
    return FileText(
        file="packet.pdf",
        status="ok",
        sha256="abc",
        pages=[PageText(number=i + 1, method=PageMethod.OCR, text=t) for i, t in enumerate(pages)],
    )


def test_packet_of_different_reports_is_split_and_typed() -> None:
    texts = [TEXTS[k][1] for k in ("pathology_us", "lab", "echo", "clinic", "referral")]
    documents = find_documents(_file(texts))
    assert [d.pages for d in documents] == [(1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]
    assert [d.doc_type for d in documents] == [
        DocType.PATHOLOGY_REPORT,
        DocType.LAB_RESULTS,
        DocType.CARDIAC_FUNCTION,
        DocType.CLINIC_NOTE,
        DocType.REFERRAL_LETTER,
    ]
    assert all(d.sha256 == "abc" and d.text_sha256 for d in documents)
    assert CLASSIFIER_VERSION


def test_page_of_numbering_keeps_a_multipage_report_together() -> None:
    header = (
        "Mercy General Hospital\nSURGICAL PATHOLOGY REPORT\nPatient: DOE, JANE  MRN: SMH-4410237\n"
    )
    pages = [
        (1, header + "Page 1 of 2\nFINAL DIAGNOSIS: DLBCL\nGROSS DESCRIPTION: tan tissue"),
        (2, header + "Page 2 of 2\nMICROSCOPIC DESCRIPTION: large cells"),
        (3, header + "Page 1 of 1\nFINAL DIAGNOSIS: benign lymph node"),
    ]
    assert split_pages(pages) == [(1, 2), (3, 3)]


def test_continuation_page_without_title_stays() -> None:
    pages = [
        (1, TEXTS["discharge"][1]),
        (2, "(continued)\nFollow-up: haematology clinic in one week."),
    ]
    assert split_pages(pages) == [(1, 2)]


def test_change_of_patient_starts_a_new_document() -> None:
    first = "Clinic Note\nPatient: Jane Doe  DOB: 03/14/1961\nHPI: fatigue."
    second = "Patient: Robert Smith  DOB: 05/02/1950\nAssessment: stable."
    assert split_pages([(1, first), (2, second)]) == [(1, 1), (2, 2)]


def test_same_title_new_date_is_a_new_report() -> None:
    lab = "LABORATORY REPORT\nPatient: Jane Doe\nCollected: {}\nPlatelets 120 K/uL\nReference range 150-400"
    pages = [(1, lab.format("10/01/2026")), (2, lab.format("10/15/2026"))]
    assert split_pages(pages) == [(1, 1), (2, 2)]


def test_unreadable_file_has_no_documents() -> None:
    failed = FileText(file="x.pdf", status="error")
    assert find_documents(failed) == []
    assert find_documents(_file(["   ", ""])) == []


def test_document_carries_facts_and_institution() -> None:
    (document,) = find_documents(_file([TEXTS["lab"][1]]))
    assert document.institution == "Mercy Laboratory Services"
    assert document.patient.name == "Jane Doe"
    assert document.patient.mrn == "SMH-4410237"
    assert str(document.document_date) == "2026-11-02"
    assert document.fields.anc_per_uL == 1200
    assert document.language == "en"


def test_duplicate_text_hashes_alike_despite_spacing_and_case() -> None:
    a = find_documents(_file([TEXTS["echo"][1]]))[0]
    b = find_documents(_file([TEXTS["echo"][1].upper().replace("  ", " ")]))[0]
    assert a.text_sha256 == b.text_sha256
    c = find_documents(_file([TEXTS["muga"][1]]))[0]
    assert a.text_sha256 != c.text_sha256


def test_new_letterhead_starts_a_new_document() -> None:
    first = "Mercy General Hospital\nPatient: Jane Doe\nAssessment: stable disease. Plan: continue."
    second = "Riverside Heart Institute\nPatient: Jane Doe\nResults discussed with the patient."
    assert split_pages([(1, first), (2, second)]) == [(1, 1), (2, 2)]
    # The same letterhead read with OCR noise on the next page is the same document.
    noisy = "Mercy Genera1 Hospital\nPatient: Jane Doe\nShe was counselled about the plan."
    assert split_pages([(1, first), (2, noisy)]) == [(1, 2)]


def test_page_announced_by_page_1_of_2_stays_when_its_own_number_is_misread() -> None:
    # Page 1 says "Page 1 of 2"; the second page repeats the banner, names an earlier
    # procedure's date, and its own footer came out of OCR as "Page 2 4": still page 2.
    first = (
        "Harrowgate Clinic\nClinic Note\nPatient: MERCER, OTTILIE  DOB: 01/09/1957\n"
        "Visit: 03/04/2026\nHISTORY: relapsed myeloma after two lines of therapy.\nPage 1 of 2"
    )
    second = (
        "Harrowgate Clinic\nClinic Note\nPatient: MERCER, OTTILIE  DOB: 01/09/1957\n"
        "Bone marrow biopsy 02/27/2026: pending.\nASSESSMENT / PLAN: ECOG 1, refer for CAR-T.\n"
        "Page 2 4"
    )
    documents = find_documents(_file([first, second]))
    assert [d.pages for d in documents] == [(1, 2)]
