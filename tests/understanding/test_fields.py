"""Facts with their unit variants, negated and historical mentions, Chinese labels."""

from __future__ import annotations

import pytest

from extractors.fields import extract_fields
from extractors.vocabulary import DocType

from .fixtures import TEXTS

T = DocType


def _fields(text: str, doc_type: DocType = T.LAB_RESULTS) -> dict[str, object]:
    return extract_fields(text, doc_type).model_dump(exclude_none=True)


def test_lab_panel_us_units() -> None:
    got = _fields(TEXTS["lab"][1])
    assert got == {
        "sex": "female",
        "anc_per_uL": 1200,
        "platelets_per_uL": 85000,
        "hemoglobin_g_dL": 9.8,
        "creatinine_mg_dL": 1.0,
        "bilirubin_mg_dL": 0.8,
        "alt_U_L": 32,
        "ast_U_L": 28,
        "hiv": "negative",
        "hbsag": "negative",
        "hcv_ab": "negative",
        "pregnancy": "negative",
    }


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ANC 1.2 K/µL", 1200),
        ("ANC: 1200/uL", 1200),
        ("Absolute neutrophil count 1.20 x10^9/L", 1200),
        ("Neutrophils, absolute  0.9  10*3/uL", 900),
        ("Neut # 2.4 x 10⁹/L", 2400),
        ("ANC 1500 cells/µL", 1500),
        ("ANC 1.5", 1500),
    ],
)
def test_anc_units(line: str, expected: float) -> None:
    assert _fields(line)["anc_per_uL"] == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Platelets 85 x10^3/µL", 85000),
        ("PLT 85,000 /µL", 85000),
        ("Platelet count 85 x10^9/L", 85000),
        ("Platelets: 150 K/uL", 150000),
        ("Platelets 210", 210000),
    ],
)
def test_platelet_units(line: str, expected: float) -> None:
    assert _fields(line)["platelets_per_uL"] == expected


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("Haemoglobin 98 g/L", "hemoglobin_g_dL", 9.8),
        ("Hgb 10.4 g/dL", "hemoglobin_g_dL", 10.4),
        ("Creatinine 106 µmol/L", "creatinine_mg_dL", 1.2),
        ("Creatinine 0.9 mg/dL", "creatinine_mg_dL", 0.9),
        ("Creatinine clearance (Cockcroft-Gault): 72 mL/min", "crcl_mL_min", 72),
        ("Bilirubin 17 umol/L", "bilirubin_mg_dL", 0.99),
        ("Total bilirubin 1.1 mg/dL", "bilirubin_mg_dL", 1.1),
        ("ALT (SGPT) 45 IU/L", "alt_U_L", 45),
        ("AST 30 U/L", "ast_U_L", 30),
    ],
)
def test_chemistry_units(line: str, field: str, expected: float) -> None:
    assert _fields(line)[field] == pytest.approx(expected, abs=0.01)


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("HIV 1/2 antigen/antibody: NON-REACTIVE", "hiv", "negative"),
        ("HIV-1/2 Ab: Reactive", "hiv", "positive"),
        ("Hepatitis B surface antigen   Negative", "hbsag", "negative"),
        ("Anti-HCV: Not detected", "hcv_ab", "negative"),
        ("Urine pregnancy test: negative", "pregnancy", "negative"),
        ("beta-hCG 1200 mIU/mL", "pregnancy", "positive"),
    ],
)
def test_serology_and_pregnancy(line: str, field: str, expected: str) -> None:
    assert _fields(line)[field] == expected


def test_hbsab_is_not_hbsag() -> None:
    assert "hbsag" not in _fields("Hepatitis B surface antibody: positive (immune)")


def test_negated_and_historical_mentions_are_not_values() -> None:
    text = (
        "History of HIV testing in 2019 negative.\n"
        "Previous platelets 40 K/uL during chemotherapy.\n"
        "Will repeat ANC 1.0 tomorrow.\n"
        "No prior LVEF 35% documented.\n"
    )
    got = _fields(text, T.CLINIC_NOTE)
    assert not {"hiv", "platelets_per_uL", "anc_per_uL", "lvef_percent"} & got.keys()


def test_cardiac_and_pulmonary() -> None:
    echo = _fields(TEXTS["echo"][1], T.CARDIAC_FUNCTION)
    assert echo["lvef_percent"] == 57.5 and echo["modality"] == "echo"
    muga = _fields(TEXTS["muga"][1], T.CARDIAC_FUNCTION)
    assert muga["lvef_percent"] == 48 and muga["modality"] == "MUGA"
    assert _fields(TEXTS["pft"][1], T.PULMONARY_FUNCTION)["fev1_percent_predicted"] == 78


@pytest.mark.parametrize(
    ("key", "modality", "region"),
    [
        ("imaging_pet", "PET-CT", "whole body"),
        ("imaging_mri", "MRI", "brain"),
        ("zh_imaging", "CT", "chest"),
    ],
)
def test_imaging_modality_and_region(key: str, modality: str, region: str) -> None:
    got = _fields(TEXTS[key][1], T.IMAGING_REPORT)
    assert (got["modality"], got["body_region"]) == (modality, region)


def test_ct_chest_abdomen_pelvis() -> None:
    got = _fields(
        "CT CHEST, ABDOMEN AND PELVIS WITH CONTRAST\nFindings: no mass.", T.IMAGING_REPORT
    )
    assert got["body_region"] == "chest/abdomen/pelvis"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("ECOG performance status: 1", 1),
        ("ECOG PS 0", 0),
        ("Performance status (ECOG) 2", 2),
        ("WHO performance status 1", 1),
        ("ECOG评分：1分", 1),
    ],
)
def test_ecog(line: str, expected: int) -> None:
    assert _fields(line, T.CLINIC_NOTE)["ecog"] == expected


def test_ecog_range_in_criteria_is_not_a_value() -> None:
    assert "ecog" not in _fields("Eligibility requires ECOG 0-1.", T.CLINIC_NOTE)


def test_pathology_markers_and_diagnosis() -> None:
    got = _fields(TEXTS["pathology_us"][1], T.PATHOLOGY_REPORT)
    assert got["diagnosis"] == "Diffuse large B-cell lymphoma, germinal center B-cell type"
    assert got["cd19"] == "positive"
    uk = _fields(TEXTS["pathology_uk"][1], T.PATHOLOGY_REPORT)
    assert uk["mage_a4"] == "positive"
    assert (
        _fields("Blasts are negative for CD19 and CD22.", T.PATHOLOGY_REPORT)["cd19"] == "negative"
    )
    assert _fields("BCMA expression: positive by IHC", T.PATHOLOGY_REPORT)["bcma"] == "positive"
    assert _fields("PD-L1 (22C3) TPS: 60%", T.PATHOLOGY_REPORT)["pd_l1"] == 60


def test_hla_alleles_in_both_notations() -> None:
    assert _fields(TEXTS["hla"][1], T.HLA_TYPING)["hla_a"] == ["A*02:01", "A*24:02"]
    table = "Locus   Allele 1   Allele 2\nHLA-A   02:01:01   03:01\nHLA-B   07:02   08:01"
    assert _fields(table, T.HLA_TYPING)["hla_a"] == ["A*02:01", "A*03:01"]


def test_treatment_lines_and_regimens() -> None:
    got = _fields(TEXTS["treatment"][1], T.TREATMENT_SUMMARY)
    assert got["prior_lines"] == 2
    assert got["regimens"] == ["R-CHOP", "R-ICE"]
    letter = _fields(TEXTS["referral"][1], T.REFERRAL_LETTER)
    assert letter["prior_lines"] == 2
    planned = _fields("Plan: consider R-ICE next.\nPrior regimen: R-CHOP x6", T.CLINIC_NOTE)
    assert planned["regimens"] == ["R-CHOP"]


def test_chinese_lab() -> None:
    got = _fields(TEXTS["zh_lab"][1])
    assert got["anc_per_uL"] == 1500
    assert got["platelets_per_uL"] == 120000
    assert got["hemoglobin_g_dL"] == 10.5
    assert got["hbsag"] == "negative" and got["hcv_ab"] == "negative"
    assert got["sex"] == "male"


def test_fev1_from_percent_predicted_column() -> None:
    table = (
        "SPIROMETRY\nParameter   Actual   Predicted   % Pred\nFVC (L)     3.10     3.60        86\n"
        "FEV1 (L)    2.10     2.70        78\nFEV1/FVC    68       75\n"
    )
    assert _fields(table, T.PULMONARY_FUNCTION)["fev1_percent_predicted"] == 78


def test_platelets_with_bracketed_exponent() -> None:
    assert _fields("Plt 85 x 10(9)/L")["platelets_per_uL"] == 85000


def test_uk_pathology_conclusion_is_the_diagnosis() -> None:
    text = "Histopathology Report\nClinical details\nHistory of melanoma.\nConclusion\nMetastatic melanoma, BRAF V600E mutated\n"
    assert (
        _fields(text, T.PATHOLOGY_REPORT)["diagnosis"] == "Metastatic melanoma, BRAF V600E mutated"
    )
    # In a clinic note a "Conclusion" is the author's view, not the recorded diagnosis.
    assert "diagnosis" not in _fields("Conclusion\nDoing well overall\n", T.CLINIC_NOTE)


@pytest.mark.parametrize(
    "line", ["Hemoglobin 11:8 g/dL", "Hemoglobin 11-8 g/dL", "ANC 1.2-1.5", "ANC (ANC) a5 x10*9/L"]
)
def test_garbled_or_range_values_are_not_read(line: str) -> None:
    got = _fields(line)
    assert "hemoglobin_g_dL" not in got and "anc_per_uL" not in got


def test_ocr_separators_after_chinese_labels() -> None:
    assert _fields("姓名:张伟 性别;:男", T.DISCHARGE_SUMMARY)["sex"] == "male"


@pytest.mark.parametrize(
    ("line", "field", "expected"),
    [
        ("Bilirubin  5  3-21  umol/L", "bilirubin_mg_dL", 0.29),
        ("Platelet count  185  150-400  K/uL", "platelets_per_uL", 185000),
        ("Haemoglobin 98 (115-165) g/L", "hemoglobin_g_dL", 9.8),
    ],
)
def test_units_printed_after_the_reference_range(line: str, field: str, expected: float) -> None:
    assert _fields(line)[field] == pytest.approx(expected, abs=0.01)
