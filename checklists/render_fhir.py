"""The report as a FHIR R4 Bundle (`recordready check --format fhir`, the app's FHIR download).

One `collection` Bundle: the Patient, an Organization per institution named, a
DocumentReference per document, an Observation per value read, an ImagingStudy per study found
on a disc or in DICOM files, the checklist as a List and a Task per records request. docs/FHIR.md is the profile. The Bundle is validated with
`fhir.resources` (its R4B models, whose structure for these resources is R4's) before it is
written: a resource that does not fit HL7's definitions is a bug here, raised, never sent.

Both views give the same Bundle: it is for the coordinator's systems, and every value in it
is the patient's own.
"""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from checklists.fhir_base import Context, Json, document_key
from checklists.fhir_gaps import list_entry, task_entry
from checklists.fhir_imaging import imaging_entries
from checklists.fhir_records import (
    document_entry,
    observation_entries,
    organization_entries,
    patient_entry,
)
from checklists.report import Report
from checklists.requests import records_requests
from checklists.wording import View

# Status codes a receiving system acts on; fhir.resources checks structure, not these values.
_BUNDLE_TYPE = "collection"


def _evidence_keys(report: Report) -> dict[tuple[str, str], str]:
    """How the checklist's evidence finds its document: by file and id, else file and pages."""
    keys: dict[tuple[str, str], str] = {}
    for index, doc in enumerate(report.documents):
        key = document_key(index, doc.file, doc.id)
        if doc.id:
            keys[(doc.file, doc.id)] = key
        keys.setdefault((doc.file, f"{doc.pages[0]}-{doc.pages[1]}"), key)
    return keys


def bundle_dict(report: Report) -> Json:
    """The Bundle as FHIR JSON, not yet validated."""
    ctx = Context.of(report)
    others = set(report.other_patient_documents)
    requests = records_requests(report)
    items = {it.id: it for it in report.items}
    institutions = [
        *(d.institution for d in report.documents if d.institution),
        *(s.institution for s in report.imaging_studies if s.institution),
        *(q.institution for q in requests if q.institution),
    ]
    entries = [patient_entry(ctx), *organization_entries(ctx, institutions)]
    for index, doc in enumerate(report.documents):
        other = doc.id is not None and doc.id in others
        entries.append(document_entry(ctx, index, doc, other))
        if not other:
            entries.extend(observation_entries(ctx, index, doc))
    entries.extend(imaging_entries(ctx))
    entries.append(list_entry(ctx, _evidence_keys(report), requests))
    entries.extend(
        task_entry(ctx, n, q, items.get(q.requirement_id)) for n, q in enumerate(requests)
    )
    return {
        "resourceType": "Bundle",
        "id": ctx.uuid("Bundle", "report"),
        "identifier": {
            "system": ctx.id_system("report"),
            "value": f"{report.case_id}/{report.program.id}/{report.as_of.isoformat()}",
        },
        "type": _BUNDLE_TYPE,
        "entry": entries,
    }


class FhirExportError(ValueError):
    """The Bundle did not validate: a bug in the export. The message says where and why,
    never the values (pydantic's own message quotes them, and they are the patient's)."""


def validate_bundle(data: Json) -> Bundle:
    """FHIR JSON as a fhir.resources R4B Bundle, or FhirExportError."""
    try:
        return Bundle.model_validate(data)
    except ValidationError as exc:
        where = "; ".join(
            f"{'.'.join(str(part) for part in e['loc'])}: {e['type']}" for e in exc.errors()[:5]
        )
        raise FhirExportError(f"the FHIR export does not validate ({where})") from None


def fhir_bundle(report: Report) -> Bundle:
    """The report as a validated fhir.resources R4B Bundle."""
    return validate_bundle(bundle_dict(report))


def render_fhir(report: Report, view: View = "coordinator") -> str:
    bundle = fhir_bundle(report)
    # Written from the validated model, so what leaves is exactly what was checked.
    data = json.loads(bundle.model_dump_json(exclude_none=True))
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
