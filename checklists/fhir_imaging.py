"""Imaging studies found on discs or in DICOM files, as FHIR ImagingStudy resources.

A study is what the DICOM attributes say (date, modality, body part, description,
institution, accession number); whether its written report came with it is our extension.
A records request for the report of a study names the study as the Task's reason.
"""

from __future__ import annotations

from checklists.fhir_base import IDENTIFIER_TYPE, Context, Json, coding, entry
from checklists.fhir_codes import DICOM_DCM
from checklists.fhir_records import org_ref
from extractors.vocabulary import ImagingStudy


def study_key(index: int, study: ImagingStudy) -> str:
    return study.study_uid or f"#{index}"


def study_ref(ctx: Context, study: ImagingStudy) -> Json | None:
    """The Reference to this study's ImagingStudy, None when the report does not list it."""
    for index, listed in enumerate(ctx.report.imaging_studies):
        if listed == study:
            return ctx.ref("ImagingStudy", study_key(index, listed))
    return None


def _identifiers(ctx: Context, study: ImagingStudy) -> list[Json]:
    out: list[Json] = []
    if study.study_uid:
        out.append({"system": "urn:dicom:uid", "value": f"urn:oid:{study.study_uid}"})
    if study.accession:
        accession: Json = {
            "type": {"coding": [coding(IDENTIFIER_TYPE, "ACSN", "Accession ID")]},
            "value": study.accession,
        }
        if study.institution:
            accession["assigner"] = org_ref(ctx, study.institution)
        out.append(accession)
    return out


def imaging_entries(ctx: Context) -> list[Json]:
    out: list[Json] = []
    for index, study in enumerate(ctx.report.imaging_studies):
        extensions = [ctx.ext("has-report", "Boolean", study.has_report)]
        if study.body_part:
            extensions.append(ctx.ext("body-part", "String", study.body_part))
        if study.institution:
            extensions.append(ctx.ext("institution", "Reference", org_ref(ctx, study.institution)))
        resource: Json = {
            "extension": extensions,
            "status": "available",
            "subject": ctx.patient_ref(),
        }
        identifiers = _identifiers(ctx, study)
        if identifiers:
            resource["identifier"] = identifiers
        modalities = ctx.codes.dicom_modalities(study.modality)
        if modalities:
            resource["modality"] = [coding(DICOM_DCM, m) for m in modalities]
        if study.date:
            resource["started"] = study.date.isoformat()
        if study.images:
            resource["numberOfInstances"] = study.images
        description = study.description or " ".join(
            x for x in (study.modality, study.body_part) if x
        )
        if description:
            resource["description"] = description
        out.append(entry(ctx, "ImagingStudy", study_key(index, study), resource))
    return out
