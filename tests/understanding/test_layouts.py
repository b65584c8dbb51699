"""Values from real layouts and letters/forms by purpose, on pages written for these tests in
the style of each class (none copied from a corpus): as text, and as rendered pages read by
the real reader (text layer, or tesseract on a scan)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors.documents import find_documents
from extractors.fields import extract_fields
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import DocType, Document, FileText, PageMethod, PageText
from tests.reading import builders as b

T = DocType


def _fields(text: str, doc_type: DocType = T.LAB_RESULTS) -> dict[str, object]:
    return extract_fields(text, doc_type).model_dump(exclude_none=True)


def _documents(*pages: str) -> list[Document]:
    texts = [
        PageText(number=n, method=PageMethod.TEXT_LAYER, text=t) for n, t in enumerate(pages, 1)
    ]
    return find_documents(FileText(file="t", status="ok", pages=texts))


def _read_scan(lines: list[str], tmp: Path) -> list[Document]:
    data = b.scan_pdf([b.page_image(lines, size=30, width=1500)], tmp, dpi=150)
    [item] = list(expand_bytes("scan.pdf", data))
    return find_documents(read_item(item))


# --- (a) values ------------------------------------------------------------------------------

REFERENCE_LAB = [
    "Oakvale Reference Laboratory - Chemistry and Haematology",
    "Collected: 03/02/2026   Reported: 03/02/2026",
    "Test\tResult\tFlag\tUnits\tReference",
    "Haemoglobin\t118\tL\tg/L\t130-170",
    "Platelets\t1.6\t\tlakhs/cumm\t1.5-4.1",
    "Neutrophils, absolute\t2.4\t\tx10^9/L\t2.0-7.5",
    "Creatinine\t97\t\tumol/L\t60-110",
    "AST/ALT\t33/41\tH\tU/L\t<40/<35",
    "HEPATITIS B SURFACE AG\tNEGATIVE",
    "HIV-1/HIV-2 Ag/Ab\tNon\tNon Reactive",
    "HCV antibody\tNot detected",
]


def test_a_lab_table_in_si_and_local_units_with_flags_and_paired_cells() -> None:
    got = _fields("\n".join(REFERENCE_LAB))
    assert got["hemoglobin_g_dL"] == 11.8
    assert got["platelets_per_uL"] == 160_000
    assert got["anc_per_uL"] == 2400
    assert got["creatinine_mg_dL"] == 1.1
    assert (got["ast_U_L"], got["alt_U_L"]) == (33, 41)
    assert (got["hbsag"], got["hiv"], got["hcv_ab"]) == ("negative", "negative", "negative")


def test_ecog_wordings_and_karnofsky_only_records() -> None:
    assert _fields("Assessment\nPS 2\nPlan: restage", T.CLINIC_NOTE)["ecog"] == 2
    assert _fields("WHO performance status: 1", T.REFERRAL_LETTER)["ecog"] == 1
    assert _fields("Performance status: KPS 60%", T.TREATMENT_SUMMARY)["ecog"] == 2
    assert _fields("He is fully active, Karnofsky 100%.", T.CLINIC_NOTE)["ecog"] == 0
    assert "ecog" not in _fields("Follicular lymphoma (WHO 5th edition).", T.PATHOLOGY_REPORT)


def test_amended_report_value_replaces_the_original() -> None:
    text = (
        "Transthoracic echo\nConclusion: LVEF 61% by visual estimate.\n"
        "ADDENDUM\nAfter contrast review the biplane LVEF is 47%; the estimate above is withdrawn."
    )
    assert _fields(text, T.CARDIAC_FUNCTION)["lvef_percent"] == 47
    assert _fields("LVEF (%) and date: 55% (02/01/2026)", T.REFERRAL_LETTER)["lvef_percent"] == 55


def test_hla_pairs_in_molecular_and_serologic_notation() -> None:
    table = "Locus\tAllele 1\tAllele 2\nHLA-A\tA*01:01:01G\tA*26:01\nHLA-B\tB*08:01\tB*38:01"
    assert _fields(table, T.HLA_TYPING)["hla_a"] == ["A*01:01", "A*26:01"]
    serologic = "LOCUS   ANTIGEN 1   ANTIGEN 2\nHLA-A   A1   A11(3)\nHLA-B   B8   B35"
    assert _fields(serologic, T.HLA_TYPING)["hla_a"] == ["A1", "A11"]
    note = "HLA typing: A*24:02 homozygous per outside lab. Plan: confirm A*02:01 is absent."
    assert _fields(note, T.CLINIC_NOTE)["hla_a"] == ["A*24:02"]


@pytest.mark.parametrize(
    ("history", "lines"),
    [
        (
            "Oncologic history:\n11/2023: wide excision, sentinel node negative.\n"
            "01/2024 - 12/2024: adjuvant pembrolizumab.\n"
            "03/2025 - 09/2025: encorafenib plus binimetinib; progression.\n"
            "10/2025: stereotactic radiotherapy to a lung nodule.\n"
            "11/2025 - 02/2026: nivolumab plus relatlimab x 6; progression.",
            3,
        ),
        (
            "Line\tRegimen\tDates\tResponse\n1\tR-CHOP x6\t2024\tCR\n-\tISRT 30 Gy\t2024\t-\n"
            "2\tR-GDP x3\t2025\tPD\nBridging\tPola-R\t2026\t-",
            2,
        ),
        ("Oncologic treatment history: none; surgery only.", 0),
        ("06/2025 - 09/2025  Line 1: gemcitabine + docetaxel x 4; PD.", 1),
    ],
)
def test_prior_lines_from_a_dated_history_or_table(history: str, lines: int) -> None:
    assert _fields(history, T.CLINIC_NOTE)["prior_lines"] == lines


# --- (b) document types ---------------------------------------------------------------------

REFERRAL = [
    "Riverside Haematology Practice",
    "12 March 2026",
    "Dear Dr Amundsen,",
    "Re: Mr Tobias Lindqvist, DOB 14/06/1961",
    "Thank you for seeing Tobias regarding CAR-T therapy for relapsed lymphoma.",
    "Treatment to date:",
    "Regimen\tDates\tBest response",
    "Line 1\tR-CHOP x 6\t2023\tCR",
    "Line 2\tR-ICE x 3\t2025\tPD",
    "Haemoglobin 121 g/L, platelets 188 x10^9/L, creatinine 84 umol/L.",
    "Kind regards,",
    "Dr Freya Ostrowski, Consultant Haematologist",
]
CLINIC_LETTER = [
    "Department of Cardiology",
    "Clinic date: 02.03.2026",
    "Dear Dr Ostrowski,",
    "Re: Tobias Lindqvist",
    "I saw Tobias in clinic today before his planned cellular therapy.",
    "Blood pressure 131/78. Echo shows an LVEF of 58%.",
    "Yours sincerely,",
    "Dr Ines Carvalho",
]


def test_a_referral_letter_quoting_a_treatment_table_is_a_referral_letter() -> None:
    [document] = _documents("\n".join(REFERRAL))
    assert document.doc_type == T.REFERRAL_LETTER
    assert document.fields.prior_lines == 2


def test_a_letter_reporting_a_visit_is_a_clinic_note() -> None:
    [document] = _documents("\n".join(CLINIC_LETTER))
    assert document.doc_type == T.CLINIC_NOTE
    assert document.fields.lvef_percent == 58


def test_request_forms_insurance_letters_and_family_medicine_lists() -> None:
    form = (
        "REGIONAL APHERESIS SERVICE - CELL COLLECTION REQUEST\nPatient: Doe, Sam\n"
        "Item\tDate\tStatus\nViral serology\t01/03/2026\tNegative - OK\nBone marrow\t05/03/2026\tNot resulted"
    )
    assert _documents(form)[0].doc_type == T.ADMINISTRATIVE
    status = "PATHOLOGY - OUTSIDE MATERIAL REQUESTS\nRequest #: 55\nSTATUS: PENDING - NOT RECEIVED"
    assert _documents(status)[0].doc_type == T.ADMINISTRATIVE
    insurer = (
        "Northgate Health Plan\nDear Member,\nWe have reviewed your request. Coverage for the "
        "clinic visits is approved. This is not a guarantee of payment. Call Member Services with "
        "your Member ID.\nSincerely,\nUtilization Management"
    )
    assert _documents(insurer)[0].doc_type == T.ADMINISTRATIVE
    family = (
        "Dad's tablets (Feb 2026)\n- Allopurinol 300 mg every morning\n"
        "- Valaciclovir 500 mg twice a day\n- Apixaban 5 mg morning and night\n- Laxido if needed"
    )
    assert _documents(family)[0].doc_type == T.MEDICATION_LIST


# --- rendered pages, read by the real reader --------------------------------------------------


@pytest.mark.slow
def test_scanned_lab_table_with_split_serology_cells(tmp_path: Path) -> None:
    lines = [
        "Oakvale Reference Laboratory",
        "Collected: 03/02/2026",
        "Test          Result     Units        Reference",
        "Platelets     1.6        lakhs/cumm   1.5 - 4.1",
        "Creatinine    97         umol/L       60 - 110",
        "HEPATITIS B SURFACE AG    NEGATIVE",
        "HIV-1/HIV-2 Ag/Ab    Non    Non Reactive",
    ]
    [document] = _read_scan(lines, tmp_path)
    assert document.fields.platelets_per_uL == 160_000
    assert document.fields.creatinine_mg_dL == 1.1
    assert (document.fields.hbsag, document.fields.hiv) == ("negative", "negative")


def test_text_layer_referral_letter_and_hla_row() -> None:
    data = b.text_pdf(
        [REFERRAL, ["HLA TYPING REPORT", "Locus Allele 1 Allele 2", "HLA-A A*03:01 A*68:01"]]
    )
    [item] = list(expand_bytes("packet.pdf", data))
    documents = find_documents(read_item(item))
    assert documents[0].doc_type == T.REFERRAL_LETTER
    assert documents[-1].fields.hla_a == ["A*03:01", "A*68:01"]
