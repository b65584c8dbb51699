"""Records in house styles unlike the sample generator's: terse lab printouts, UK letters,
vendor genomic reports, bone-marrow reports, oncology histories."""

from __future__ import annotations

import datetime as dt

import pytest

from extractors.documents import find_documents
from extractors.vocabulary import DocType, Document, FileText, PageMethod, PageText

T = DocType

STYLES: dict[str, tuple[DocType, str]] = {
    "uk_clinic_reply": (
        T.CLINIC_NOTE,
        """Department of Haematology, Riverside NHS Trust
Clinic date: 02/11/2026
Dear Dr Patel,
Re: Mrs Jane DOE  DOB 14/03/1961  NHS No 485 777 3456
Thank you for referring Mrs Doe, whom I reviewed in clinic today. She has relapsed DLBCL after
R-CHOP and R-GDP. Her performance status is ECOG 1. Examination unremarkable.
Plan: refer for CAR-T assessment; repeat PET-CT.
Yours sincerely, Dr A Consultant Haematologist""",
    ),
    "terse_cbc": (
        T.LAB_RESULTS,
        """CBC W/ DIFF
Pt: DOE, JANE  MRN 00123456  DOB 3/14/1961
Drawn 11/02/26 0815
WBC 3.2 L  K/uL
HGB 9.6 L g/dL
PLT 88 L K/uL
NEUT ABS 1.1 L K/uL
CMP
CREAT 1.3 H mg/dL
TBILI 0.6 mg/dL""",
    ),
    "vendor_genomics": (
        T.MOLECULAR_REPORT,
        """FoundationOne Heme
Genomic alterations identified
TP53 R273H  VAF 34%
CDKN2A loss
Tumor mutational burden: 4 Muts/Mb
Microsatellite status: MS-Stable
Report date: 2026-10-01""",
    ),
    "uk_ct": (
        T.IMAGING_REPORT,
        """CT THORAX ABDOMEN PELVIS WITH CONTRAST
Clinical details: lymphoma restaging
Report: There are enlarged mediastinal nodes measuring up to 2.3 cm. No liver lesion.
Conclusion: progressive nodal disease.""",
    ),
    "short_echo": (
        T.CARDIAC_FUNCTION,
        """Cardiology Department
Echo Report
LV: normal size, EF 60% (biplane).
RV normal. Valves: mild MR.""",
    ),
    "oncology_history": (
        T.TREATMENT_SUMMARY,
        """Oncology History
1st line: R-CHOP x6 (2024) - CR
2nd line: R-ICE x3 + ASCT (2025) - PD
3rd line: Pola-BR x2 (2026) - SD""",
    ),
    "ngs_hla": (
        T.HLA_TYPING,
        """Histocompatibility & Immunogenetics Laboratory
Recipient HLA typing (NGS, high resolution)
A*02:01:01G  A*11:01:01G
B*07:02:01G  B*35:01:01G""",
    ),
    "uk_marrow": (
        T.PATHOLOGY_REPORT,
        """BONE MARROW ASPIRATE AND TREPHINE BIOPSY
Clinical details: ?relapse
Aspirate: hypercellular, 45% plasma cells.
Trephine: diffuse infiltrate of CD138 positive plasma cells.
Conclusion: plasma cell myeloma.""",
    ),
}


def _one(text: str) -> Document:
    (document,) = find_documents(
        FileText(
            file="x.pdf", status="ok", pages=[PageText(number=1, method=PageMethod.OCR, text=text)]
        )
    )
    return document


@pytest.mark.parametrize("key", sorted(STYLES))
def test_unseen_styles_are_typed(key: str) -> None:
    expected, text = STYLES[key]
    assert _one(text).doc_type == expected


def test_terse_lab_printout_values() -> None:
    document = _one(STYLES["terse_cbc"][1])
    assert document.fields.model_dump(exclude_none=True) == {
        "anc_per_uL": 1100,
        "platelets_per_uL": 88000,
        "hemoglobin_g_dL": 9.6,
        "creatinine_mg_dL": 1.3,
        "bilirubin_mg_dL": 0.6,
    }
    assert document.document_date == dt.date(2026, 11, 2)
    assert document.patient.mrn == "00123456"


def test_complete_response_is_not_creatinine() -> None:
    fields = _one(STYLES["oncology_history"][1]).fields
    assert fields.creatinine_mg_dL is None
    assert fields.regimens == ["R-CHOP", "R-ICE", "Pola-BR"]
    assert _one("Cr 1.1 mg/dL").fields.creatinine_mg_dL == 1.1


def test_uk_letter_identity_and_facts() -> None:
    document = _one(STYLES["uk_clinic_reply"][1])
    assert document.patient.name == "Jane Doe"
    assert document.patient.dob == dt.date(1961, 3, 14)
    assert document.fields.ecog == 1
