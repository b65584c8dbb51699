"""Read a FHIR export back with fhir.resources (R4B) and check it holds the whole report.

Used by the end-to-end test (a case of real files with every status and problem kind) and by
the sample-case test (`check --format fhir` on every sample case). The Bundle is parsed from
its JSON text, so what is checked is what a receiving system gets.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from checklists.fhir_codes import LOINC, UCUM, fhir_codes
from checklists.report import Report
from checklists.requests import records_requests


def _ext(resource: Any, name: str) -> list[Any]:
    url = fhir_codes().url("StructureDefinition", name)
    return [e for e in resource.extension or [] if e.url == url]


def _one(resource: Any, name: str) -> Any:
    found = _ext(resource, name)
    assert len(found) == 1, f"{name}: {len(found)} extensions"
    return found[0]


def _code(concept: Any, system: str) -> str | None:
    return next((c.code for c in concept.coding or [] if c.system == system), None)


def _ours(name: str) -> str:
    return fhir_codes().url("CodeSystem", name)


def _value(obs: Any) -> object:
    if obs.valueQuantity is not None:
        q = obs.valueQuantity
        assert q.system == UCUM and q.code == q.unit
        return float(q.value)
    if obs.valueInteger is not None:
        return obs.valueInteger
    if obs.valueCodeableConcept is not None:
        return obs.valueCodeableConcept.text
    return obs.valueString


def _same(got: object, want: object) -> bool:
    if isinstance(want, list):
        return got == "; ".join(want)
    if isinstance(want, float) and not isinstance(want, bool):
        return isinstance(got, float | int | Decimal) and abs(float(got) - want) < 1e-9
    return got == want


def assert_bundle_holds_report(text: str, report: Report) -> Bundle:
    """Every requirement, document, value and records request of `report` is in the Bundle."""
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == "collection"
    by_url = {e.fullUrl: e.resource for e in bundle.entry or []}
    kinds = Counter(r.get_resource_type() for r in by_url.values())
    assert kinds["Patient"] == 1 and kinds["List"] == 1
    patient_url = next(u for u, r in by_url.items() if r.get_resource_type() == "Patient")
    patient = by_url[patient_url]
    if report.patient.dob:
        assert patient.birthDate == report.patient.dob
    if report.patient.name:
        assert patient.name[0].text == report.patient.name
    if report.patient.mrn:
        assert patient.identifier[0].value == report.patient.mrn

    def of(kind: str) -> list[tuple[str, Any]]:
        return [(u, r) for u, r in by_url.items() if r.get_resource_type() == kind]

    # documents: one DocumentReference each, with its type, file, hash, date and confidence
    docs = of("DocumentReference")
    assert len(docs) == len(report.documents)
    others = set(report.other_patient_documents)
    doc_url: dict[tuple[str, str | None], str] = {}
    for (url, ref), doc in zip(docs, report.documents, strict=True):
        assert ref.category[0].coding[0].code == doc.doc_type.value
        assert ref.content[0].attachment.title == doc.file
        assert float(_one(ref, "classification-confidence").valueDecimal) == round(
            doc.confidence, 4
        )
        assert _one(ref, "needs-review").valueBoolean is doc.needs_review
        loinc = fhir_codes().documents[doc.doc_type].for_modality(doc.fields.modality).loinc
        assert _code(ref.type, LOINC) == loinc
        if doc.sha256:
            assert _one(ref.content[0].attachment, "attachment-sha256").valueString == doc.sha256
        if doc.document_date:
            assert ref.context.period.start == doc.document_date
        if doc.id:
            assert ref.identifier[0].value == doc.id
        doc_url[(doc.file, doc.id)] = url
        own = doc.id not in others
        assert ref.status == ("current" if own else "entered-in-error")
        assert (ref.subject is not None and ref.subject.reference == patient_url) is own

    # values: an Observation per stated field of each own document, derived from it
    observations = of("Observation")
    stated = [
        (d, f, v)
        for d in report.documents
        if d.id not in others
        for f, v in d.fields.model_dump(exclude_none=True).items()
    ]
    assert len(observations) == len(stated)
    for (_, obs), (doc, field, value) in zip(observations, stated, strict=True):
        assert _code(obs.code, _ours("field")) == field
        spec = fhir_codes().fields[field]
        assert _code(obs.code, LOINC) == spec.loinc
        assert _same(_value(obs), value), (field, _value(obs), value)
        assert obs.subject.reference == patient_url
        assert obs.derivedFrom[0].reference == doc_url[(doc.file, doc.id)]
        effective = obs.effectiveDateTime
        assert effective == doc.document_date or (
            isinstance(effective, dt.datetime) and effective.date() == doc.document_date
        )

    # requirements: the List, one entry per item with its status and evidence
    ((_, checklist),) = of("List")
    assert [e.item.identifier.value for e in checklist.entry] == [i.id for i in report.items]
    for entry, item in zip(checklist.entry, report.items, strict=True):
        assert _code(entry.flag, _ours("requirement-status")) == item.status.value
        assert _one(entry, "required").valueBoolean is item.required
        assert entry.item.display == item.title
        evidence = [e.valueReference.reference for e in _ext(entry, "evidence")]
        wanted = [doc_url[(ev.file, ev.document_id)] for ev in item.evidence if ev.document_id]
        assert evidence[: len(wanted)] == wanted
    notes = [n.text for n in checklist.note or []]
    assert len(notes) == len(report.problems)
    for note, problem in zip(notes, report.problems, strict=True):
        assert note.startswith(f"{problem.kind.value}: ") and problem.file in note

    # imaging studies: an ImagingStudy each, with its date and whether its report came
    studies = of("ImagingStudy")
    assert len(studies) == len(report.imaging_studies)
    for (_, got), study in zip(studies, report.imaging_studies, strict=True):
        assert got.status == "available" and got.subject.reference == patient_url
        assert got.started == study.date or (
            isinstance(got.started, dt.datetime) and got.started.date() == study.date
        )
        assert _one(got, "has-report").valueBoolean is study.has_report

    # records requests: a Task each, owned by the institution, focused on the record
    tasks = of("Task")
    requests = records_requests(report)
    assert len(tasks) == len(requests)
    for (url, task), request in zip(tasks, requests, strict=True):
        assert task.status == "requested" and task.for_fhir.reference == patient_url
        assert task.focus.display == request.record
        if request.institution:
            owner = by_url[task.owner.reference]
            assert owner.get_resource_type() == "Organization"
            assert owner.name == request.institution
        else:
            assert task.owner is None
        if request.study is not None:
            reason = by_url[task.reasonReference.reference]
            assert reason.get_resource_type() == "ImagingStudy"
        entry = next(
            (e for e in checklist.entry if e.item.identifier.value == request.requirement_id),
            None,
        )
        if entry is not None:
            asked = [e.valueReference.reference for e in _ext(entry, "records-request")]
            assert url in asked
    return bundle
