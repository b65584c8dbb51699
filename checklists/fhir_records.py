"""The case's records as FHIR: the Patient, the institutions, a DocumentReference per document,
an Observation per value read from a document.

A document judged (or marked) to be another patient's stays in the export, as a
DocumentReference `entered-in-error` with no subject, so the receiving system sees what was
set aside; its values are never made Observations of this patient.
"""

from __future__ import annotations

import mimetypes

from checklists.fhir_base import (
    IDENTIFIER_TYPE,
    OBSERVATION_CATEGORY,
    Context,
    Json,
    coding,
    document_key,
    entry,
)
from checklists.fhir_codes import LOINC, UCUM
from extractors.vocabulary import DOC_TYPE_LABELS, Document


def organization_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def org_ref(ctx: Context, name: str) -> Json:
    return ctx.ref("Organization", organization_key(name), name)


def patient_entry(ctx: Context) -> Json:
    p = ctx.report.patient
    resource: Json = {
        "extension": [ctx.ext("patient-source", "Code", p.source)],
    }
    if p.mrn:
        resource["identifier"] = [
            {
                "type": {"coding": [coding(IDENTIFIER_TYPE, "MR", "Medical record number")]},
                "value": p.mrn,
            }
        ]
    if p.name:
        resource["name"] = [{"text": p.name}]
    if p.sex:
        resource["gender"] = p.sex
    if p.dob:
        resource["birthDate"] = p.dob.isoformat()
    return entry(ctx, "Patient", "patient", resource)


def organization_entries(ctx: Context, names: list[str]) -> list[Json]:
    """One Organization per institution named (letterheads, records requests), first spelling."""
    seen: dict[str, str] = {}
    for name in names:
        seen.setdefault(organization_key(name), name)
    return [entry(ctx, "Organization", key, {"name": name}) for key, name in seen.items()]


def _doc_type(ctx: Context, doc: Document) -> Json:
    label = DOC_TYPE_LABELS[doc.doc_type]
    code = ctx.codes.documents[doc.doc_type].for_modality(doc.fields.modality)
    ours = coding(ctx.system("document-type"), doc.doc_type.value, label)
    if code.loinc:
        return {"coding": [coding(LOINC, code.loinc, code.display)], "text": label}
    return {"coding": [ours], "text": label}


def _attachment(ctx: Context, doc: Document) -> Json:
    out: Json = {"title": doc.file}
    mime, _ = mimetypes.guess_type(doc.file)
    if mime:
        out["contentType"] = mime
    if doc.language:
        out["language"] = doc.language
    if doc.sha256:
        # Attachment.hash is defined as SHA-1; we hold the file's SHA-256 (the store's key).
        out["extension"] = [ctx.ext("attachment-sha256", "String", doc.sha256)]
    return out


def document_entry(ctx: Context, index: int, doc: Document, other_patient: bool) -> Json:
    key = document_key(index, doc.file, doc.id)
    extensions = [
        ctx.ext("classification-confidence", "Decimal", round(doc.confidence, 4)),
        ctx.ext("needs-review", "Boolean", doc.needs_review),
        ctx.ext("date-ambiguous", "Boolean", doc.date_ambiguous),
        {
            "url": ctx.extension_url("page-range"),
            "extension": [
                {"url": "first", "valueInteger": doc.pages[0]},
                {"url": "last", "valueInteger": doc.pages[1]},
            ],
        },
    ]
    if other_patient:
        extensions.append(ctx.ext("other-patient", "Boolean", True))
    resource: Json = {
        "extension": extensions,
        "status": "entered-in-error" if other_patient else "current",
        "type": _doc_type(ctx, doc),
        "category": [
            {
                "coding": [
                    coding(
                        ctx.system("document-type"),
                        doc.doc_type.value,
                        DOC_TYPE_LABELS[doc.doc_type],
                    )
                ]
            }
        ],
        "description": DOC_TYPE_LABELS[doc.doc_type],
        "content": [{"attachment": _attachment(ctx, doc)}],
    }
    if doc.id:
        resource["identifier"] = [{"system": ctx.id_system("document"), "value": doc.id}]
    if not other_patient:
        resource["subject"] = ctx.patient_ref()
    if doc.institution:
        resource["custodian"] = org_ref(ctx, doc.institution)
    if doc.document_date:
        day = doc.document_date.isoformat()
        resource["context"] = {"period": {"start": day, "end": day}}
    return entry(ctx, "DocumentReference", key, resource)


def _value(ctx: Context, field: str, value: object) -> Json:
    spec = ctx.codes.fields[field]
    if spec.value == "quantity" and isinstance(value, int | float):
        return {
            "valueQuantity": {
                "value": value,
                "unit": spec.unit,
                "system": UCUM,
                "code": spec.unit,
            }
        }
    if spec.value == "integer" and isinstance(value, int):
        return {"valueInteger": value}
    if spec.value == "coded" and value in ctx.codes.answers:
        answer = ctx.codes.answers[value]
        return {
            "valueCodeableConcept": {
                "coding": [coding(answer.system, answer.code, answer.display)],
                "text": str(value),
            }
        }
    text = "; ".join(value) if isinstance(value, list) else str(value)
    return {"valueString": text}


def observation_entries(ctx: Context, index: int, doc: Document) -> list[Json]:
    """One Observation per field the document states, derived from its DocumentReference."""
    key = document_key(index, doc.file, doc.id)
    out: list[Json] = []
    for field, value in doc.fields.model_dump(exclude_none=True).items():
        spec = ctx.codes.fields[field]
        codings = [coding(ctx.system("field"), field, spec.display)]
        if spec.loinc:
            codings.insert(0, coding(LOINC, spec.loinc, spec.display))
        resource: Json = {
            "status": "preliminary" if doc.needs_review else "final",
            "code": {"coding": codings, "text": spec.display},
            "subject": ctx.patient_ref(),
            "derivedFrom": [ctx.ref("DocumentReference", key)],
            **_value(ctx, field, value),
        }
        if spec.category:
            resource["category"] = [{"coding": [coding(OBSERVATION_CATEGORY, spec.category)]}]
        if doc.document_date:
            resource["effectiveDateTime"] = doc.document_date.isoformat()
        if doc.institution:
            resource["performer"] = [org_ref(ctx, doc.institution)]
        out.append(entry(ctx, "Observation", f"{key}/{field}", resource))
    return out
