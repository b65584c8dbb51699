"""What the sample set holds: the format coverage files and the inbox cases, with expectations.

Dates are given as days before an anchor (the case's as-of date; 2026-11-20 for loose files and
the format set). Windows in docs/CONTRACTS.md are kept at least a few days away from every
document date, so a one-day disagreement about which printed date is "the" date cannot flip
an expected outcome.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

ANCHOR = dt.date(2026, 11, 20)


@dataclass(frozen=True)
class Doc:
    doc_type: str
    patient: str
    days: int  # days before the anchor date
    inst: str
    render: str = "text"  # text | scan
    rotations: tuple[tuple[int, int], ...] = ()  # (page index, upright_rotation)
    heavy: bool = False
    values: tuple[tuple[str, Any], ...] = ()


def doc(
    doc_type: str,
    patient: str,
    days: int,
    inst: str,
    render: str = "text",
    rotations: dict[int, int] | None = None,
    heavy: bool = False,
    **values: Any,
) -> Doc:
    return Doc(
        doc_type,
        patient,
        days,
        inst,
        render,
        tuple(sorted((rotations or {}).items())),
        heavy,
        tuple(sorted(values.items())),
    )


@dataclass(frozen=True)
class FileSpec:
    name: str
    # text_pdf | scan_pdf | mixed_pdf | packet | photo | photo_sideways | heic | png | fax_tiff | docx
    # | eml | zip | encrypted_pdf | truncated_pdf | empty | misnamed_jpeg | audio | unreadable_photo
    # | unreadable_scan_pdf (a barely legible scan: its document still counts, as needs_review)
    form: str
    docs: tuple[Doc, ...] = ()
    members: tuple[FileSpec, ...] = ()
    copy_of: str = ""  # byte-identical duplicate of another file in the same folder


def f(
    name: str, form: str, *docs: Doc, members: tuple[FileSpec, ...] = (), copy_of: str = ""
) -> FileSpec:
    return FileSpec(name, form, tuple(docs), members, copy_of)


@dataclass(frozen=True)
class Case:
    folder: str
    program: str
    as_of: dt.date
    patient: str
    files: tuple[FileSpec, ...]
    expected: dict[str, Any] = field(default_factory=dict)
    state_patient: bool = True


# ------------------------------------------------------------------ format coverage set

FORMATS: tuple[FileSpec, ...] = (
    f(
        "text_pathology_report_lbcl.pdf",
        "text_pdf",
        doc(
            "pathology_report",
            "P10",
            41,
            "lakeshore",
            disease="lbcl",
            addendum="CD19 immunohistochemistry requested by the treating team is positive in the neoplastic cells.",
        ),
    ),
    f(
        "text_lab_results_us_units.pdf",
        "text_pdf",
        doc(
            "lab_results",
            "P9",
            3,
            "northgate",
            disease="mm",
            panels=("cbc", "cmp"),
            anc=1200,
            plt=85000,
            hb=9.4,
            anc_unit="/uL",
            plt_unit="x10^3/uL",
            creat=1.42,
            crcl=48,
            hemolyzed=True,
        ),
    ),
    f(
        "text_lab_results_si_units.pdf",
        "text_pdf",
        doc(
            "lab_results",
            "P4",
            5,
            "elmsworth",
            disease="melanoma",
            panels=("cbc", "cmp", "serology"),
            anc=3100,
            plt=212000,
            hb=13.6,
        ),
    ),
    f(
        "text_hla_typing.pdf",
        "text_pdf",
        doc("hla_typing", "P10", 30, "helix", hla_a=("A*03:01", "A*11:01")),
    ),
    f(
        "text_pulmonary_function.pdf",
        "text_pdf",
        doc("pulmonary_function", "P4", 44, "elmsworth", fev1_pct=58),
    ),
    f(
        "text_operative_report_til_harvest.pdf",
        "text_pdf",
        doc("operative_report", "P4", 21, "elmsworth", disease="melanoma"),
    ),
    f(
        "text_administrative_prior_auth.pdf",
        "text_pdf",
        doc("administrative", "P10", 9, "meridian", kind="prior_auth"),
    ),
    f(
        "text_other_patient_education.pdf",
        "text_pdf",
        doc("other", "P10", 12, "meridian", kind="education"),
    ),
    f("text_other_symptom_diary.pdf", "text_pdf", doc("other", "P9", 4, "lakeshore", kind="diary")),
    f(
        "text_administrative_face_sheet.pdf",
        "text_pdf",
        doc("administrative", "P1", 30, "stbrendan", kind="face_sheet"),
    ),
    f(
        "text_cardiac_ecg.pdf",
        "text_pdf",
        doc("cardiac_function", "P9", 15, "lakeshore", modality="ECG"),
    ),
    f(
        "text_clinic_note_two_pages.pdf",
        "text_pdf",
        doc(
            "clinic_note",
            "P10",
            6,
            "stbrendan",
            disease="lbcl",
            ecog=2,
            long=True,
            addendum="Patient called: new left leg swelling; Doppler ultrasound ordered. No evidence of DVT on prior imaging.",
        ),
    ),
    f(
        "scan_discharge_summary_rotated.pdf",
        "scan_pdf",
        doc(
            "discharge_summary",
            "P9",
            33,
            "lakeshore",
            "scan",
            {1: 180},
            disease="mm",
            long=True,
            state_lines=True,
        ),
    ),
    f(
        "scan_molecular_report_sideways.pdf",
        "scan_pdf",
        doc("molecular_report", "P9", 60, "helix", "scan", {0: 90}, disease="mm"),
    ),
    f(
        "mixed_text_and_scanned_pages.pdf",
        "mixed_pdf",
        doc("clinic_note", "P9", 10, "lakeshore", disease="mm", ecog=1),
        doc("cardiac_function", "P9", 25, "stbrendan", "scan", modality="MUGA", lvef=52),
    ),
    f(
        "photo_lab_results.jpg",
        "photo",
        doc(
            "lab_results",
            "P10",
            4,
            "meridian",
            disease="lbcl",
            panels=("cbc", "pregnancy"),
            anc=1500,
            plt=96000,
            anc_unit="x10^9/L",
            plt_unit="x10^9/L",
        ),
    ),
    f(
        "photo_medication_list_sideways.jpg",
        "photo_sideways",
        doc("medication_list", "P10", 6, "stbrendan", disease="lbcl"),
    ),
    f(
        "iphone_referral_letter.heic",
        "heic",
        doc("referral_letter", "P10", 20, "lakeshore", disease="lbcl", ecog=1),
    ),
    f(
        "portal_screenshot_serology.png",
        "png",
        doc("lab_results", "P10", 11, "meridian", panels=("serology",)),
    ),
    f(
        "fax_muga_and_cover.tif",
        "fax_tiff",
        doc("administrative", "P2", 14, "stbrendan", kind="release"),
        doc("cardiac_function", "P2", 14, "stbrendan", modality="MUGA", lvef=47),
    ),
    f(
        "packet_outside_records.pdf",
        "packet",
        doc("pathology_report", "P10", 70, "lakeshore", "scan", disease="lbcl"),
        doc("imaging_report", "P10", 35, "cascadia", "scan", {0: 90}, disease="lbcl", exam="pet"),
        doc(
            "lab_results",
            "P10",
            8,
            "northgate",
            "scan",
            disease="lbcl",
            panels=("cbc", "cmp"),
            anc=2100,
            plt=143000,
        ),
        doc("treatment_summary", "P10", 15, "stbrendan", "scan", disease="lbcl"),
    ),
    f(
        "referral_letter.docx",
        "docx",
        doc(
            "referral_letter",
            "P4",
            16,
            "elmsworth",
            disease="melanoma",
            therapy="tumour-infiltrating lymphocyte (TIL) therapy",
            ecog=0,
            to=(
                "Dr Kenji Morimoto",
                "Cellular Therapy Program",
                "Meridian Cancer Institute",
                "8800 Fannin Ridge Boulevard, Suite 400",
                "Brazos Point, TX 77031",
            ),
        ),
    ),
    f(
        "outside_records.eml",
        "eml",
        members=(
            f(
                "ct_chest_abdomen_pelvis.pdf",
                "text_pdf",
                doc("imaging_report", "P4", 13, "elmsworth", disease="melanoma", exam="ct_cap"),
            ),
            f(
                "medication_list.pdf",
                "text_pdf",
                doc("medication_list", "P4", 13, "elmsworth", disease="melanoma"),
            ),
        ),
    ),
    f(
        "referral.zip",
        "zip",
        members=(
            f(
                "labs.pdf",
                "text_pdf",
                doc(
                    "lab_results",
                    "P2",
                    7,
                    "lakeshore",
                    disease="mm",
                    panels=("cbc", "cmp", "myeloma"),
                    hb=8.6,
                    crcl=61,
                ),
            ),
            f(
                "clinic_note.pdf",
                "text_pdf",
                doc("clinic_note", "P2", 7, "lakeshore", disease="mm", ecog=1),
            ),
            f(
                "summary_scan.pdf",
                "scan_pdf",
                doc("treatment_summary", "P2", 7, "lakeshore", "scan", disease="mm"),
            ),
        ),
    ),
    f(
        "zh_pathology_report.pdf",
        "text_pdf",
        doc("pathology_report", "P6", 400, "binjiang", disease="synovial"),
    ),
    f(
        "zh_lab_results.pdf",
        "text_pdf",
        doc(
            "lab_results",
            "P6",
            46,
            "binjiang",
            disease="synovial",
            panels=("cbc", "cmp", "serology"),
            anc=2300,
            plt=176000,
            hb=12.7,
        ),
    ),
    f(
        "zh_imaging_report_scan.pdf",
        "scan_pdf",
        doc("imaging_report", "P6", 45, "binjiang", "scan", disease="synovial"),
    ),
    f(
        "zh_discharge_summary_scan.pdf",
        "scan_pdf",
        doc("discharge_summary", "P6", 44, "binjiang", "scan", disease="synovial"),
    ),
    f(
        "bad_password_protected.pdf",
        "encrypted_pdf",
        doc("pathology_report", "P10", 41, "lakeshore", disease="lbcl"),
    ),
    f(
        "bad_truncated.pdf",
        "truncated_pdf",
        doc("imaging_report", "P10", 35, "cascadia", disease="lbcl"),
    ),
    f("bad_zero_bytes.pdf", "empty"),
    f(
        "bad_jpeg_named.pdf",
        "misnamed_jpeg",
        doc("lab_results", "P10", 2, "meridian", panels=("cbc",), anc=1800, plt=121000),
    ),
    f("bad_unsupported_voicemail.wav", "audio"),
)


# ------------------------------------------------------------------ inbox cases


def _complete_common(
    p: str,
    inst: str,
    disease: str,
    *,
    female_fertile: bool,
    lab_inst: str | None = None,
    lvef: int = 60,
    ecog: int = 1,
) -> list[FileSpec]:
    """Records every program asks for, all inside their windows."""
    li = lab_inst or inst
    out = [
        f(
            "labs_cbc_cmp.pdf",
            "text_pdf",
            doc("lab_results", p, 5, li, disease=disease, panels=("cbc", "cmp")),
        ),
        f(
            "infectious_disease_serology.pdf",
            "text_pdf",
            doc("lab_results", p, 16, li, disease=disease, panels=("serology",)),
        ),
        f(
            "clinic_note.pdf",
            "text_pdf",
            doc("clinic_note", p, 7, inst, disease=disease, ecog=ecog),
        ),
        f(
            "treatment_summary.pdf",
            "text_pdf",
            doc("treatment_summary", p, 9, inst, disease=disease),
        ),
        f("medication_list.pdf", "text_pdf", doc("medication_list", p, 7, inst, disease=disease)),
        f(
            "echocardiogram.pdf",
            "text_pdf",
            doc("cardiac_function", p, 38, inst, disease=disease, lvef=lvef),
        ),
    ]
    if female_fertile:
        out.append(
            f(
                "pregnancy_test.pdf",
                "text_pdf",
                doc("lab_results", p, 2, li, disease=disease, panels=("pregnancy",)),
            )
        )
    return out


def _without(files: list[FileSpec], *names: str) -> list[FileSpec]:
    return [x for x in files if x.name not in names]


CASES: tuple[Case, ...] = (
    Case(
        "inbox/01_oneill_cart-lbcl",
        "cart-lbcl",
        dt.date(2026, 11, 20),
        "P1",
        (
            # The echocardiogram arrives in the loose e-mail at the top of the inbox.
            *_without(
                _complete_common(
                    "P1", "stbrendan", "lbcl", female_fertile=False, lab_inst="northgate"
                ),
                "echocardiogram.pdf",
                "medication_list.pdf",
            ),
            f(
                "referral_letter.pdf",
                "text_pdf",
                doc("referral_letter", "P1", 23, "stbrendan", disease="lbcl", ecog=1),
            ),
            f(
                "pathology_relapse_biopsy.pdf",
                "text_pdf",
                doc(
                    "pathology_report",
                    "P1",
                    60,
                    "lakeshore",
                    disease="lbcl",
                    addendum="Additional CD19 immunostain confirms expression in the neoplastic population.",
                ),
            ),
            f(
                "pet_ct_restaging.pdf",
                "text_pdf",
                doc("imaging_report", "P1", 18, "cascadia", disease="lbcl", exam="pet"),
            ),
            f(
                "mri_brain.pdf",
                "text_pdf",
                doc("imaging_report", "P1", 40, "cascadia", disease="lbcl", exam="mri_brain"),
            ),
            f(
                "IMG_4127.jpg",
                "photo_sideways",
                doc("medication_list", "P1", 7, "stbrendan", disease="lbcl"),
            ),
        ),
        {"ready": True, "gaps": [], "problems": []},
    ),
    Case(
        "inbox/02_castellano_cart-mm",
        "cart-mm",
        dt.date(2026, 11, 20),
        "P2",
        (
            # Treatment summary arrives as the loose scan at the top of the inbox.
            *_without(
                _complete_common("P2", "lakeshore", "mm", female_fertile=False, lvef=38),
                "treatment_summary.pdf",
            ),
            f(
                "bone_marrow_biopsy.pdf",
                "text_pdf",
                doc("pathology_report", "P2", 75, "lakeshore", disease="mm"),
            ),
            f(
                "myeloma_fish.pdf",
                "text_pdf",
                doc("molecular_report", "P2", 70, "helix", disease="mm"),
            ),
            f(
                "spep_flc.pdf",
                "text_pdf",
                doc("lab_results", "P2", 12, "lakeshore", disease="mm", panels=("myeloma",)),
            ),
            f(
                "pet_ct.pdf",
                "text_pdf",
                doc("imaging_report", "P2", 25, "cascadia", disease="mm", exam="pet"),
            ),
            f("IMG_2291.jpg", "unreadable_photo"),
        ),
        {
            "ready": False,
            "gaps": [
                {"status": "stale", "doc_type": "pathology_report"},
                {"status": "out_of_range", "doc_type": "cardiac_function"},
            ],
            "problems": [{"kind": "unreadable", "file": "IMG_2291.jpg"}],
        },
    ),
    Case(
        "inbox/03_nguyen_cart-all",
        "cart-all",
        dt.date(2026, 11, 20),
        "P3",
        (
            *_without(
                _complete_common("P3", "meridian", "all", female_fertile=True, lvef=62),
                "labs_cbc_cmp.pdf",
            ),
            f(
                "cbc_cmp_2026-11-16.pdf",
                "text_pdf",
                doc(
                    "lab_results",
                    "P3",
                    4,
                    "meridian",
                    disease="all",
                    panels=("cbc", "cmp"),
                    anc=900,
                    plt=64000,
                    hb=9.2,
                    crcl=112,
                ),
            ),
            f("cbc_cmp_2026-11-16 (1).pdf", "text_pdf", copy_of="cbc_cmp_2026-11-16.pdf"),
            f(
                "CBC_rescan.pdf",
                "scan_pdf",
                doc(
                    "lab_results",
                    "P3",
                    4,
                    "meridian",
                    "scan",
                    disease="all",
                    panels=("cbc", "cmp"),
                    anc=900,
                    plt=64000,
                    hb=9.2,
                    crcl=112,
                ),
            ),
            f(
                "bone_marrow_flow.pdf",
                "text_pdf",
                doc("pathology_report", "P3", 15, "lakeshore", disease="all"),
            ),
        ),
        {
            "ready": False,
            "gaps": [{"status": "missing", "doc_type": "molecular_report"}],
            "problems": [
                {"kind": "duplicate", "file": "cbc_cmp_2026-11-16 (1).pdf"},
                {"kind": "duplicate", "file": "CBC_rescan.pdf"},
            ],
        },
    ),
    Case(
        "inbox/04_whitfield_til-melanoma",
        "til-melanoma",
        dt.date(2026, 11, 18),
        "P4",
        (
            *_complete_common("P4", "elmsworth", "melanoma", female_fertile=False, lvef=61, ecog=0),
            f(
                "histopathology.pdf",
                "text_pdf",
                doc("pathology_report", "P4", 120, "elmsworth", disease="melanoma"),
            ),
            f(
                "braf_ngs.pdf",
                "text_pdf",
                doc("molecular_report", "P4", 110, "helix", disease="melanoma"),
            ),
            f(
                "ct_chest_abdomen_pelvis.pdf",
                "text_pdf",
                doc("imaging_report", "P4", 14, "elmsworth", disease="melanoma", exam="ct_cap"),
            ),
            f(
                "mri_head.pdf",
                "text_pdf",
                doc("imaging_report", "P4", 14, "elmsworth", disease="melanoma", exam="mri_brain"),
            ),
            f(
                "lung_function_fax.tif",
                "fax_tiff",
                doc("pulmonary_function", "P4", 40, "elmsworth", fev1_pct=84),
            ),
        ),
        {"ready": True, "gaps": [], "problems": []},
    ),
    Case(
        "inbox/05_okafor_neoantigen-vaccine",
        "neoantigen-vaccine",
        dt.date(2026, 11, 20),
        "P5",
        (
            # No echo: the vaccine program asks for none. The pregnancy test arrives by e-mail.
            *_without(
                _complete_common("P5", "stbrendan", "pdac", female_fertile=True, ecog=0),
                "echocardiogram.pdf",
                "pregnancy_test.pdf",
            ),
            f(
                "operative_report_whipple.pdf",
                "text_pdf",
                doc("operative_report", "P5", 50, "stbrendan", disease="pdac"),
            ),
            f(
                "surgical_pathology_whipple.pdf",
                "text_pdf",
                doc("pathology_report", "P5", 45, "lakeshore", disease="pdac"),
            ),
            f(
                "genomic_profile.pdf",
                "text_pdf",
                doc("molecular_report", "P5", 35, "helix", disease="pdac"),
            ),
            f(
                "ct_postop.pdf",
                "text_pdf",
                doc(
                    "imaging_report",
                    "P5",
                    12,
                    "cascadia",
                    disease="pdac",
                    exam="ct_cap",
                    indication="post-operative baseline after pancreaticoduodenectomy",
                ),
            ),
            f(
                "mri_brain.pdf",
                "text_pdf",
                doc("imaging_report", "P5", 12, "cascadia", disease="pdac", exam="mri_brain"),
            ),
            f(
                "discharge_summary.pdf",
                "text_pdf",
                doc(
                    "discharge_summary",
                    "P5",
                    43,
                    "stbrendan",
                    disease="pdac",
                    stay=7,
                    reason="Pancreatic head adenocarcinoma, admitted for pancreaticoduodenectomy",
                    course="Underwent pylorus-preserving pancreaticoduodenectomy on post-admission day 0. Drain amylase low; drain removed on day 5. Tolerating diet. No evidence of pancreatic fistula or delayed gastric emptying.",
                ),
            ),
        ),
        {"ready": True, "gaps": [], "problems": []},
        state_patient=False,
    ),
    Case(
        "inbox/06_zhang_tcrt-synovial-sarcoma",
        "tcrt-synovial-sarcoma",
        dt.date(2026, 11, 20),
        "P6",
        (
            *_complete_common("P6", "meridian", "synovial", female_fertile=False, lvef=57),
            f(
                "病理报告_2025.pdf",
                "text_pdf",
                doc("pathology_report", "P6", 400, "binjiang", disease="synovial"),
            ),
            f(
                "pathology_review_mage_a4.pdf",
                "text_pdf",
                doc("pathology_report", "P6", 30, "meridian", disease="synovial"),
            ),
            f(
                "ss18_fusion.pdf",
                "text_pdf",
                doc("molecular_report", "P6", 28, "helix", disease="synovial"),
            ),
            f(
                "hla_typing.pdf",
                "text_pdf",
                doc("hla_typing", "P6", 28, "helix", hla_a=("A*02:01", "A*11:01")),
            ),
            f(
                "出院小结_scan.pdf",
                "scan_pdf",
                doc("discharge_summary", "P6", 45, "binjiang", "scan", disease="synovial"),
            ),
            f(
                "胸部CT_2026.pdf",
                "text_pdf",
                doc("imaging_report", "P6", 45, "binjiang", disease="synovial"),
            ),
            f(
                "ct_chest_abdomen_pelvis.pdf",
                "text_pdf",
                doc("imaging_report", "P6", 10, "meridian", disease="synovial", exam="ct_cap"),
            ),
        ),
        {"ready": True, "gaps": [], "problems": []},
    ),
    Case(
        "inbox/07_patel_cart-lbcl",
        "cart-lbcl",
        dt.date(2026, 11, 20),
        "P7",
        (
            *_without(
                _complete_common(
                    "P7", "meridian", "lbcl", female_fertile=False, lab_inst="stbrendan"
                ),
                "echocardiogram.pdf",
            ),
            f(
                "pathology.pdf",
                "text_pdf",
                doc("pathology_report", "P7", 90, "lakeshore", disease="lbcl"),
            ),
            f(
                "pet_ct_fax_copy.pdf",
                "unreadable_scan_pdf",
                doc(
                    "imaging_report",
                    "P7",
                    14,
                    "cascadia",
                    "scan",
                    heavy=True,
                    disease="lbcl",
                    exam="pet",
                ),
            ),
            f(
                "mri_brain.pdf",
                "text_pdf",
                doc("imaging_report", "P7", 30, "cascadia", disease="lbcl", exam="mri_brain"),
            ),
            f(
                "referral_letter.pdf",
                "text_pdf",
                doc("referral_letter", "P7", 30, "lakeshore", disease="lbcl"),
            ),
            # Another patient's labs, filed here because the names look alike.
            f(
                "labs_2026-11-14.pdf",
                "text_pdf",
                doc(
                    "lab_results",
                    "P8",
                    6,
                    "meridian",
                    disease="lbcl",
                    panels=("cbc", "cmp"),
                    anc=3300,
                    plt=251000,
                ),
            ),
            f(
                "outside_records_secure.pdf",
                "encrypted_pdf",
                doc("treatment_summary", "P7", 40, "lakeshore", disease="lbcl"),
            ),
            f(
                "echo_upload.pdf",
                "truncated_pdf",
                doc("cardiac_function", "P7", 21, "meridian", lvef=55),
            ),
            f("scan0001.pdf", "empty"),
            f("voicemail_dr_hale.wav", "audio"),
        ),
        {
            "ready": False,
            "gaps": [
                {"status": "missing", "doc_type": "cardiac_function"},
                {"status": "needs_review", "doc_type": "imaging_report"},
            ],
            "problems": [
                {"kind": "identity_mismatch", "file": "labs_2026-11-14.pdf"},
                {"kind": "encrypted", "file": "outside_records_secure.pdf"},
                {"kind": "corrupt", "file": "echo_upload.pdf"},
                {"kind": "empty", "file": "scan0001.pdf"},
                {"kind": "unsupported", "file": "voicemail_dr_hale.wav"},
            ],
        },
    ),
    Case(
        # Text PDFs only: the quickest case with gaps, for end-to-end tests.
        "inbox/08_delgado_tcrt-synovial-sarcoma",
        "tcrt-synovial-sarcoma",
        dt.date(2026, 11, 23),
        "P11",
        (
            *_without(
                _complete_common("P11", "meridian", "synovial", female_fertile=True, lvef=55),
                "labs_cbc_cmp.pdf",
            ),
            f(
                "cbc.pdf",
                "text_pdf",
                doc(
                    "lab_results",
                    "P11",
                    21,
                    "meridian",
                    disease="synovial",
                    panels=("cbc",),
                    anc=2600,
                    plt=204000,
                ),
            ),
            f(
                "cmp.pdf",
                "text_pdf",
                doc(
                    "lab_results",
                    "P11",
                    4,
                    "meridian",
                    disease="synovial",
                    panels=("cmp",),
                    crcl=97,
                ),
            ),
            f(
                "pathology.pdf",
                "text_pdf",
                doc("pathology_report", "P11", 60, "lakeshore", disease="synovial"),
            ),
            f(
                "ss18_fusion.pdf",
                "text_pdf",
                doc("molecular_report", "P11", 50, "helix", disease="synovial"),
            ),
            # Neither allele qualifies: A*01:01 is not a restricting allele and A*02:05 is excluded.
            f(
                "hla_typing.pdf",
                "text_pdf",
                doc("hla_typing", "P11", 50, "helix", hla_a=("A*01:01", "A*02:05")),
            ),
            f(
                "ct_chest.pdf",
                "text_pdf",
                doc("imaging_report", "P11", 9, "cascadia", disease="synovial", exam="ct_chest"),
            ),
        ),
        {
            "ready": False,
            "gaps": [
                {"status": "stale", "doc_type": "lab_results"},
                {"status": "out_of_range", "doc_type": "hla_typing"},
            ],
            "problems": [],
        },
    ),
)

# Loose files at the top of the inbox: assigned to cases by identity, or left unassigned.
LOOSE: tuple[FileSpec, ...] = (
    f(
        "fwd_outside_records.eml",
        "eml",
        members=(
            f(
                "echo_oneill.pdf",
                "text_pdf",
                doc("cardiac_function", "P1", 35, "stbrendan", lvef=60),
            ),
            f(
                "hcg_okafor.pdf",
                "text_pdf",
                doc("lab_results", "P5", 3, "stbrendan", panels=("pregnancy",)),
            ),
        ),
    ),
    f(
        "scan_20261112_0931.pdf",
        "scan_pdf",
        doc(
            "treatment_summary",
            "P2",
            8,
            "lakeshore",
            "scan",
            {1: 180},
            disease="mm",
        ),
    ),
    f(
        "outside_labs_unmatched.pdf",
        "text_pdf",
        doc(
            "lab_results",
            "P9",
            10,
            "lakeshore",
            disease="mm",
            panels=("cbc", "cmp"),
            anc=1700,
            plt=99000,
        ),
    ),
)
