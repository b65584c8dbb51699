"""Builders for Documents as the classifier emits them, for evaluation tests."""

from __future__ import annotations

import datetime as dt
import hashlib

from extractors.vocabulary import Document, Fields, Patient

AS_OF = dt.date(2026, 11, 20)
MARGARET = Patient(name="Margaret O'Neill", dob=dt.date(1961, 3, 14), mrn="SMH-4410237")
OTHER = Patient(name="Robert Castillo", dob=dt.date(1958, 7, 2), mrn="SMH-5521890")


def days_ago(n: int) -> dt.date:
    return AS_OF - dt.timedelta(days=n)


def doc(
    file: str,
    doc_type: str,
    age: int | None,
    patient: Patient = MARGARET,
    pages: tuple[int, int] = (1, 1),
    confidence: float = 0.92,
    needs_review: bool = False,
    institution: str | None = None,
    **fields: object,
) -> Document:
    return Document(
        file=file,
        pages=pages,
        doc_type=doc_type,
        confidence=confidence,
        needs_review=needs_review,
        document_date=days_ago(age) if age is not None else None,
        patient=patient,
        fields=Fields(**fields),
        institution=institution,
        sha256=hashlib.sha256(file.encode()).hexdigest(),
    )


def complete_lbcl(patient: Patient = MARGARET) -> list[Document]:
    """A female patient of 65 with every cart-lbcl record current and in range."""
    return [
        doc(
            "path.pdf",
            "pathology_report",
            200,
            patient,
            diagnosis="Diffuse large B-cell lymphoma",
            institution="St Mary's Hospital",
        ),
        doc(
            "pet.pdf",
            "imaging_report",
            10,
            patient,
            modality="PET-CT",
            body_region="whole body",
            institution="Northside Imaging",
        ),
        doc("mri.pdf", "imaging_report", 30, patient, modality="MRI", body_region="brain"),
        doc(
            "labs.pdf",
            "lab_results",
            5,
            patient,
            sex="female",
            anc_per_uL=2100,
            platelets_per_uL=160000,
            creatinine_mg_dL=0.9,
            crcl_mL_min=72,
            bilirubin_mg_dL=0.6,
            hiv="negative",
            hbsag="negative",
            hcv_ab="negative",
        ),
        doc("note.pdf", "clinic_note", 12, patient, ecog=1),
        doc("echo.pdf", "cardiac_function", 40, patient, modality="echo", lvef_percent=60),
        doc("tx.pdf", "treatment_summary", 15, patient, prior_lines=2),
        doc("meds.pdf", "medication_list", 12, patient),
        doc("referral.pdf", "referral_letter", 20, patient, prior_lines=2),
    ]
