"""The SS18 gene test a synovial-sarcoma program asks for is often reported inside the
pathology report ("SS18 gene rearrangement confirmed by FISH"), not in a molecular report
of its own. A reviewer accepts it there; so does the checklist, and only when the report
states the result. Real text PDFs through the real reading pipeline; our own wording."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from checklist_files import write_pdf

from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import get_program
from extractors.fields import extract_fields
from extractors.vocabulary import DocType, Patient
from intake.pipeline.flow import Naming, read_paths

AS_OF = dt.date(2026, 11, 20)


def _pathology(result_lines: list[str]) -> list[str]:
    return [
        "Riverside University Hospital - Department of Histopathology",
        "HISTOPATHOLOGY REPORT",
        "Patient: OKONJO, ADAEZE   DOB: 02/03/1990   MRN: RUH-441207   Sex: F",
        "Date of procedure: 05/11/2026   Date reported: 05/14/2026",
        "Specimen: Core biopsy, right thigh mass",
        "DIAGNOSIS:",
        "Synovial sarcoma, monophasic type, FNCLCC grade 2.",
        *result_lines,
        "Reported by: T. Ilunga, Consultant Histopathologist",
    ]


def _ss18_item(tmp_path: Path, result_lines: list[str]) -> tuple[str, str]:
    folder = tmp_path / "case"
    folder.mkdir()
    write_pdf(folder / "histology.pdf", _pathology(result_lines))
    reading = read_paths([folder], Naming.CASE, workers=1)
    (document,) = reading.documents
    assert document.doc_type == DocType.PATHOLOGY_REPORT
    info = CaseInfo(
        case_id="c", as_of=AS_OF, patient=Patient(name="Adaeze Okonjo", dob=dt.date(1990, 2, 3))
    )
    report = evaluate(
        get_program("tcrt-synovial-sarcoma"), reading.documents, reading.file_texts, info
    )
    item = report.item("ss18")
    return item.status.value, item.detail


def test_a_pathology_report_stating_the_fish_result_meets_the_gene_test(tmp_path: Path) -> None:
    status, _ = _ss18_item(
        tmp_path,
        [
            "Molecular studies: SS18 (18q11.2) break-apart probe on block A2;",
            "SS18 gene rearrangement confirmed by FISH in 64% of nuclei.",
        ],
    )
    assert status == "met"


def test_a_pathology_report_without_the_gene_result_does_not(tmp_path: Path) -> None:
    status, _ = _ss18_item(tmp_path, ["Immunohistochemistry: TLE1 positive, EMA focal."])
    assert status == "missing"


def test_a_negative_fish_in_the_pathology_report_is_not_met(tmp_path: Path) -> None:
    status, _ = _ss18_item(tmp_path, ["FISH: no SS18 rearrangement was identified."])
    assert status == "out_of_range"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Monophasic synovial sarcoma, SS18 rearranged, on chemotherapy", "positive"),
        ("SS18 break-apart FISH positive (outside laboratory)", "positive"),
        ("RNA sequencing: SS18::SSX1 fusion transcript.", "positive"),
        ("FISH showed SS18 break-apart in most tumour cells.", "positive"),
        ("分子病理：SS18 基因断裂阳性。", "positive"),
        ("SS18 rearrangement not detected.", "negative"),
        ("SS18 FISH has been requested and is pending.", None),
        ("SS18 (18q11.2) break-apart probe used.", None),
    ],
)
def test_the_gene_result_is_read_from_its_sentence(sentence: str, expected: str | None) -> None:
    assert extract_fields(sentence, DocType.PATHOLOGY_REPORT).ss18 == expected
