"""Statuses, best-candidate choice, patient conditions, corrections and readiness."""

from __future__ import annotations

import datetime as dt

import pytest
from checklist_helpers import AS_OF, MARGARET, OTHER, complete_lbcl, doc

from checklists.corrections import Corrections, DocumentCorrection, Waiver
from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import BUILTIN_DIR, get_program
from checklists.report import ProblemKind, Report, Status
from extractors.vocabulary import Document, Patient

AT = dt.datetime(2026, 11, 19, 15, 0)


def run(
    program: str,
    docs: list[Document],
    patient: Patient | None = MARGARET,
    sex: str | None = None,
    corrections: Corrections | None = None,
) -> Report:
    info = CaseInfo(case_id="case-1", as_of=AS_OF, patient=patient, sex=sex)
    return evaluate(get_program(program, [BUILTIN_DIR]), docs, [], info, corrections)


def replace(docs: list[Document], file: str, new: Document | None) -> list[Document]:
    return [x for x in docs if x.file != file] + ([new] if new else [])


def test_complete_case_is_ready() -> None:
    report = run("cart-lbcl", complete_lbcl())
    assert {i.id: i.status for i in report.items if i.status != Status.MET} == {
        "pregnancy": Status.NOT_APPLICABLE
    }
    assert report.ready and report.problems == []
    pet = report.item("pet_ct")
    assert pet.evidence[0].file == "pet.pdf" and pet.evidence[0].pages == (1, 1)
    assert pet.age_days == 10 and "10 days old" in pet.detail


def test_stale_detail_names_age_and_window() -> None:
    old = doc("pet.pdf", "imaging_report", 202, modality="PET-CT")
    report = run("cart-lbcl", replace(complete_lbcl(), "pet.pdf", old))
    item = report.item("pet_ct")
    assert item.status == Status.STALE
    assert (
        item.detail
        == f"PET-CT report dated {old.document_date} is 202 days old; this program accepts 42."
    )
    assert not report.ready


def test_missing_when_only_other_modality() -> None:
    ct = doc("pet.pdf", "imaging_report", 5, modality="CT", body_region="chest")
    item = run("cart-lbcl", replace(complete_lbcl(), "pet.pdf", ct)).item("pet_ct")
    assert item.status == Status.MISSING and item.evidence == []


def test_out_of_range_and_threshold_differs_by_program() -> None:
    echo = doc("echo.pdf", "cardiac_function", 20, modality="echo", lvef_percent=47)
    report = run("cart-lbcl", replace(complete_lbcl(), "echo.pdf", echo))
    assert report.item("cardiac").status == Status.OUT_OF_RANGE
    assert "LVEF (%) 47 is below the minimum of 50" in report.item("cardiac").detail
    # the same echo passes the TCR-T program's LVEF >= 40
    assert run("tcrt-synovial-sarcoma", [echo]).item("cardiac").status == Status.MET


def test_best_candidate_newest_in_window_in_range() -> None:
    docs = replace(complete_lbcl(), "labs.pdf", None) + [
        doc("labs-old.pdf", "lab_results", 40, anc_per_uL=3000, platelets_per_uL=200000),
        doc("labs-low.pdf", "lab_results", 2, anc_per_uL=600, platelets_per_uL=200000),
        doc("labs-ok.pdf", "lab_results", 9, anc_per_uL=1500, platelets_per_uL=90000),
    ]
    item = run("cart-lbcl", docs).item("cbc")
    assert item.status == Status.MET and item.evidence[0].file == "labs-ok.pdf"
    # without the good one, the newest in-window result decides: out of range, not stale
    item = run("cart-lbcl", replace(docs, "labs-ok.pdf", None)).item("cbc")
    assert item.status == Status.OUT_OF_RANGE and item.evidence[0].file == "labs-low.pdf"


def test_needs_review_only_for_low_confidence_evidence() -> None:
    shaky = doc(
        "echo.pdf", "cardiac_function", 20, confidence=0.41, needs_review=True, lvef_percent=60
    )
    report = run("cart-lbcl", replace(complete_lbcl(), "echo.pdf", shaky))
    assert report.item("cardiac").status == Status.NEEDS_REVIEW
    assert "low confidence" in report.item("cardiac").detail
    # a confident record beside it decides instead
    docs = replace(complete_lbcl(), "echo.pdf", shaky) + [
        doc("echo2.pdf", "cardiac_function", 60, lvef_percent=55)
    ]
    assert run("cart-lbcl", docs).item("cardiac").status == Status.MET


def test_undated_record_with_window_needs_review() -> None:
    undated = doc("pet.pdf", "imaging_report", None, modality="PET-CT")
    item = run("cart-lbcl", replace(complete_lbcl(), "pet.pdf", undated)).item("pet_ct")
    assert item.status == Status.NEEDS_REVIEW and "no date" in item.detail


def test_record_lacking_required_values_is_missing_with_reason() -> None:
    labs = doc(
        "labs.pdf",
        "lab_results",
        5,
        anc_per_uL=2100,
        platelets_per_uL=160000,
        creatinine_mg_dL=0.9,
        bilirubin_mg_dL=0.6,
        hiv="negative",
    )
    item = run("cart-lbcl", replace(complete_lbcl(), "labs.pdf", labs)).item("serology")
    assert item.status == Status.MISSING
    assert "does not state HBsAg, HCV antibody" in item.detail


def test_crcl_checked_only_when_stated() -> None:
    low = doc(
        "labs.pdf",
        "lab_results",
        5,
        anc_per_uL=2100,
        platelets_per_uL=160000,
        creatinine_mg_dL=1.4,
        crcl_mL_min=52,
        bilirubin_mg_dL=0.6,
        hiv="negative",
        hbsag="negative",
        hcv_ab="negative",
    )
    assert (
        run("cart-lbcl", replace(complete_lbcl(), "labs.pdf", low)).item("cmp").status
        == Status.OUT_OF_RANGE
    )
    unstated = low.model_copy(
        update={"fields": low.fields.model_copy(update={"crcl_mL_min": None})}
    )
    assert (
        run("cart-lbcl", replace(complete_lbcl(), "labs.pdf", unstated)).item("cmp").status
        == Status.MET
    )


def test_serology_positive_is_out_of_range() -> None:
    labs = doc("sero.pdf", "lab_results", 3, hiv="negative", hbsag="positive", hcv_ab="negative")
    docs = replace(complete_lbcl(), "labs.pdf", None)
    item = run("cart-lbcl", [*docs, labs]).item("serology")
    assert item.status == Status.OUT_OF_RANGE and "HBsAg positive is not negative" in item.detail
    # beside an older in-range panel the best record counts, and the newer result is flagged
    item = run("cart-lbcl", [*complete_lbcl(), labs]).item("serology")
    assert (
        item.status == Status.MET
        and "newer record" in item.detail
        and "HBsAg positive" in item.detail
    )


@pytest.mark.parametrize(
    ("hla", "status"),
    [
        (["A*02:01", "A*24:02"], Status.MET),
        (["A*02:06", "A*11:01"], Status.MET),
        (["A*02:01", "A*02:05"], Status.OUT_OF_RANGE),
        (["A*01:01", "A*03:01"], Status.OUT_OF_RANGE),
    ],
)
def test_hla_membership(hla: list[str], status: Status) -> None:
    hla_doc = doc("hla.pdf", "hla_typing", 400, hla_a=hla)
    assert run("tcrt-synovial-sarcoma", [hla_doc]).item("hla").status == status


def test_any_of_alternative_for_treatment_history() -> None:
    base = replace(complete_lbcl(), "tx.pdf", None)
    base = replace(base, "referral.pdf", None)
    assert run("cart-lbcl", base).item("treatment_history").status == Status.MISSING
    dc = doc("dc.pdf", "discharge_summary", 90, prior_lines=3)
    item = run("cart-lbcl", [*base, dc]).item("treatment_history")
    assert item.status == Status.MET and item.evidence[0].file == "dc.pdf"
    assert set(item.accepts) == {
        "treatment_summary",
        "discharge_summary",
        "referral_letter",
        "clinic_note",
    }
    silent = doc("dc.pdf", "discharge_summary", 90)
    item = run("cart-lbcl", [*base, silent]).item("treatment_history")
    assert item.status == Status.MISSING and "number of prior treatment lines" in item.detail
    assert "does not state" in item.detail and "we do not have" not in item.detail.lower()


@pytest.mark.parametrize(
    "program", ["cart-all", "cart-mm", "til-melanoma", "tcrt-synovial-sarcoma"]
)
def test_history_in_a_clinic_note_satisfies_treatment_history(program: str) -> None:
    """An oncologic history written in a clinic note (regimens given, or a count of lines) is
    the treatment history a reviewer accepts; a note that names no treatment is not."""
    note = doc("note.pdf", "clinic_note", 10, regimens=["R-CHOP", "R-ICE"])
    item = run(program, [note]).item("treatment_history")
    assert item.status == Status.MET and item.evidence[0].file == "note.pdf"
    counted = doc("note.pdf", "clinic_note", 10, prior_lines=2)
    assert run(program, [counted]).item("treatment_history").status == Status.MET
    silent = doc("note.pdf", "clinic_note", 10)
    item = run(program, [silent]).item("treatment_history")
    assert item.status == Status.MISSING and "does not state" in item.detail


@pytest.mark.parametrize(
    ("sex", "dob", "expected"),
    [
        ("male", dt.date(1990, 1, 1), Status.NOT_APPLICABLE),
        ("female", dt.date(1990, 1, 1), Status.MISSING),
        ("female", dt.date(1961, 3, 14), Status.NOT_APPLICABLE),  # 65
        ("female", dt.date(2016, 1, 1), Status.NOT_APPLICABLE),  # 10
        (None, dt.date(1990, 1, 1), Status.MISSING),  # sex unknown: ask for it
        (None, None, Status.MISSING),  # nothing known: ask for it
        (None, dt.date(1961, 3, 14), Status.NOT_APPLICABLE),  # outside the age range either way
    ],
)
def test_pregnancy_by_sex_and_age(sex: str | None, dob: dt.date | None, expected: Status) -> None:
    patient = Patient(name="Alex Morgan", dob=dob)
    docs = [d.model_copy(update={"patient": patient}) for d in complete_lbcl()]
    docs = [
        d.model_copy(update={"fields": d.fields.model_copy(update={"sex": None})}) for d in docs
    ]
    report = run("cart-lbcl", docs, patient=patient, sex=sex)
    assert report.item("pregnancy").status == expected
    assert report.ready == (expected == Status.NOT_APPLICABLE)


def test_sex_inferred_from_documents() -> None:
    patient = Patient(name="Alex Morgan", dob=dt.date(1990, 1, 1))
    docs = [d.model_copy(update={"patient": patient}) for d in complete_lbcl()]
    report = run("cart-lbcl", docs, patient=patient)  # labs.pdf states female
    assert report.patient.sex == "female"
    preg = doc("preg.pdf", "lab_results", 3, patient, pregnancy="negative")
    assert run("cart-lbcl", [*docs, preg], patient=patient).item("pregnancy").status == Status.MET
    old = doc("preg.pdf", "lab_results", 9, patient, pregnancy="negative")
    assert run("cart-lbcl", [*docs, old], patient=patient).item("pregnancy").status == Status.STALE


def test_other_patients_document_never_counts() -> None:
    docs = replace(complete_lbcl(), "echo.pdf", None)
    docs.append(doc("echo-other.pdf", "cardiac_function", 10, OTHER, lvef_percent=62))
    report = run("cart-lbcl", docs)
    assert report.item("cardiac").status == Status.MISSING
    assert [(p.kind, p.file) for p in report.problems] == [
        (ProblemKind.IDENTITY_MISMATCH, "echo-other.pdf")
    ]
    assert not report.ready
    assert "Castillo" not in report.problems[0].detail and "1958" not in report.problems[0].detail


def test_identity_tolerates_ocr_noise_and_order() -> None:
    noisy = Patient(name="O'NEILL, MARGARFT", dob=dt.date(1961, 3, 14))
    docs = replace(
        complete_lbcl(), "echo.pdf", doc("echo.pdf", "cardiac_function", 20, noisy, lvef_percent=60)
    )
    report = run("cart-lbcl", docs)
    assert report.ready and report.problems == []


def test_patient_inferred_by_majority() -> None:
    docs = [*complete_lbcl(), doc("stray.pdf", "clinic_note", 3, OTHER, ecog=0)]
    report = run("cart-lbcl", docs, patient=None)
    assert report.patient.source == "inferred"
    assert report.patient.name == MARGARET.name and report.patient.dob == MARGARET.dob
    assert [p.file for p in report.problems if p.kind == ProblemKind.IDENTITY_MISMATCH] == [
        "stray.pdf"
    ]
    assert run("cart-lbcl", docs).patient.source == "given"


def test_waiver_and_corrections_apply_by_stable_id() -> None:
    docs = replace(
        complete_lbcl(), "pet.pdf", doc("pet.pdf", "imaging_report", 80, modality="PET-CT")
    )
    docs.append(doc("misfiled.pdf", "other", None, confidence=0.3, needs_review=True))
    docs.append(doc("echo-other.pdf", "cardiac_function", 10, OTHER, lvef_percent=62))
    first = run("cart-lbcl", docs)
    assert first.item("pet_ct").status == Status.STALE
    ids = {d.file: d.id for d in first.documents}
    assert ids["pet.pdf"].endswith(":1-1") and len(ids["pet.pdf"].split(":")[0]) == 12
    fixes = Corrections(
        waivers=[
            Waiver(
                requirement_id="pet_ct",
                reason="Rescan booked; MDT accepts 80 days",
                by="coord1",
                at=AT,
            )
        ],
        documents=[
            DocumentCorrection(
                document_id=ids["misfiled.pdf"],
                doc_type="medication_list",
                document_date=dt.date(2026, 11, 1),
                by="coord1",
                at=AT,
            ),
            DocumentCorrection(
                document_id=ids["echo-other.pdf"], other_patient=False, by="coord1", at=AT
            ),
        ],
    )
    docs = replace(docs, "meds.pdf", None)
    second = run("cart-lbcl", docs, corrections=fixes)
    assert (
        second.item("pet_ct").status == Status.WAIVED
        and "MDT accepts" in second.item("pet_ct").detail
    )
    assert second.item("medication_list").status == Status.MET
    assert second.item("medication_list").evidence[0].file == "misfiled.pdf"
    assert second.problems == [] and second.ready
    # and the reverse: a coordinator marks a matching document as someone else's
    mark = Corrections(
        documents=[
            DocumentCorrection(document_id=ids["echo.pdf"], other_patient=True, by="c", at=AT)
        ]
    )
    third = run("cart-lbcl", replace(docs, "echo-other.pdf", None), corrections=mark)
    assert third.item("cardiac").status == Status.MISSING and not third.ready


def test_imaging_with_unread_scan_type_needs_review() -> None:
    unknown = doc("pet.pdf", "imaging_report", 5)
    item = run("cart-lbcl", replace(complete_lbcl(), "pet.pdf", unknown)).item("pet_ct")
    assert item.status == Status.NEEDS_REVIEW and "scan type" in item.detail


def test_brain_mri_needs_brain_region() -> None:
    docs = [doc("mri.pdf", "imaging_report", 5, modality="MRI", body_region="spine")]
    assert run("til-melanoma", docs).item("brain_mri").status == Status.MISSING
    docs = [doc("mri.pdf", "imaging_report", 5, modality="MRI", body_region="brain/orbits")]
    assert run("til-melanoma", docs).item("brain_mri").status == Status.MET


def test_ambiguous_date_that_decides_the_window_is_flagged() -> None:
    # 2026-10-11 (40 days) or 2026-11-10 (10 days): a PET-CT window of 42 d holds either way
    pet = doc("pet.pdf", "imaging_report", 40, modality="PET-CT").model_copy(
        update={"date_ambiguous": True}
    )
    item = run("cart-lbcl", replace(complete_lbcl(), "pet.pdf", pet)).item("pet_ct")
    assert item.status == Status.MET and "Check the date" not in item.detail
    # 2026-09-11 (70 days, stale) or 2026-11-09 (11 days): the reader's guess stands, flagged
    pet = pet.model_copy(update={"document_date": dt.date(2026, 9, 11)})
    item = run("cart-lbcl", replace(complete_lbcl(), "pet.pdf", pet)).item("pet_ct")
    assert item.status == Status.STALE
    assert item.detail.endswith("read as 2026-11-09 it would be within 42 days.")
