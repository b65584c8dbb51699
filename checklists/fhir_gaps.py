"""The gap report as FHIR: a List of the program's requirements with their status, and a Task
per records request (owner: the institution that holds the record, focus: the record asked for).

List.entry.item must be a Reference; a requirement is not a resource, so each entry names its
requirement by identifier (system: the program's requirements) and title, and carries the
status as the entry's `flag`, the way a worklist carries an item's workflow state.
"""

from __future__ import annotations

import datetime as dt

from checklists.fhir_base import Context, Json, coding, entry
from checklists.fhir_imaging import study_ref
from checklists.fhir_records import org_ref
from checklists.report import EvidenceRef, Item, Problem
from checklists.requests import RecordsRequest
from extractors.vocabulary import DOC_TYPE_LABELS


def requirement_identifier(ctx: Context, requirement_id: str) -> Json:
    return {
        "system": ctx.id_system(f"requirement/{ctx.report.program.id}"),
        "value": requirement_id,
    }


def _evidence_refs(ctx: Context, item: Item, keys: dict[tuple[str, str], str]) -> list[Json]:
    out: list[Json] = []
    for ev in item.evidence:
        key = keys.get(_evidence_key(ev))
        if key is not None:
            out.append(ctx.ext("evidence", "Reference", ctx.ref("DocumentReference", key)))
    return out


def _evidence_key(ev: EvidenceRef) -> tuple[str, str]:
    return (ev.file, ev.document_id or f"{ev.pages[0]}-{ev.pages[1]}")


def task_key(index: int, request: RecordsRequest) -> str:
    """A Task's address: a requirement can have more than one request (a missing report and
    the report of a study whose images came alone)."""
    return f"{index}:{request.requirement_id}"


def _entry(ctx: Context, item: Item, keys: dict[tuple[str, str], str], tasks: list[str]) -> Json:
    ext = [
        ctx.ext("required", "Boolean", item.required),
        ctx.ext("status-detail", "String", item.detail),
        *[ctx.ext("accepts", "Code", t.value) for t in item.accepts],
        *_evidence_refs(ctx, item, keys),
    ]
    if item.document_date:
        ext.append(ctx.ext("document-date", "Date", item.document_date.isoformat()))
    if item.age_days is not None:
        ext.append(ctx.ext("age-days", "Integer", item.age_days))
    if item.max_age_days is not None:
        ext.append(ctx.ext("max-age-days", "Integer", item.max_age_days))
    if item.confidence is not None:
        ext.append(ctx.ext("classification-confidence", "Decimal", round(item.confidence, 4)))
    if item.waiver:
        ext.append(ctx.ext("waiver", "String", item.waiver))
    if item.review_reason:
        ext.append(ctx.ext("review-reason", "Code", item.review_reason))
    ext.extend(ctx.ext("records-request", "Reference", ctx.ref("Task", t)) for t in tasks)
    status = item.status.value
    return {
        "extension": ext,
        "flag": {
            "coding": [coding(ctx.system("requirement-status"), status, status.replace("_", " "))],
            "text": status,
        },
        "item": {
            "identifier": requirement_identifier(ctx, item.id),
            "display": item.title,
        },
    }


def list_entry(
    ctx: Context, keys: dict[tuple[str, str], str], requests: list[RecordsRequest]
) -> Json:
    """The checklist: one entry per requirement, in the program's order."""
    r = ctx.report
    tasks: dict[str, list[str]] = {}
    for index, q in enumerate(requests):
        tasks.setdefault(q.requirement_id, []).append(task_key(index, q))
    resource: Json = {
        "extension": [
            ctx.ext(
                "program", "Identifier", {"system": ctx.id_system("program"), "value": r.program.id}
            ),
            ctx.ext("program-version", "String", r.program.version),
            ctx.ext("ready", "Boolean", r.ready),
        ],
        "status": "current",
        "mode": "snapshot",
        "title": f"{r.program.title}: records checklist",
        "code": {
            "coding": [coding(ctx.system("list"), "gap-report", "Eligibility records checklist")],
            "text": "Eligibility records checklist",
        },
        "subject": ctx.patient_ref(),
        "date": r.as_of.isoformat(),
        "entry": [_entry(ctx, it, keys, tasks.get(it.id, [])) for it in r.items],
    }
    if r.problems:
        resource["note"] = [{"text": _problem(p)} for p in r.problems]
    return entry(ctx, "List", "checklist", resource)


def _problem(p: Problem) -> str:
    """'kind: detail', the file named once (most details name it already)."""
    detail = p.detail if p.file in p.detail else f"{p.file}: {p.detail}"
    return f"{p.kind.value}: {detail}"


def _input(ctx: Context, code: str, value: Json) -> Json:
    return {"type": {"coding": [coding(ctx.system("task-input"), code)], "text": code}, **value}


def task_entry(ctx: Context, index: int, request: RecordsRequest, item: Item | None) -> Json:
    """A records request as a Task addressed to the institution that holds the record;
    `item` is its requirement's checklist item (None: a request of no one requirement)."""
    r = ctx.report
    accepts = item.accepts if item else []
    kinds = [coding(ctx.system("document-type"), t.value, DOC_TYPE_LABELS[t]) for t in accepts]
    resource: Json = {
        "status": "requested",
        "intent": "order",
        "code": {
            "coding": [coding(ctx.system("task"), "records-request", "Records request")],
            "text": "Records request",
        },
        "description": request.subject,
        "focus": {"type": "DocumentReference", "display": request.record},
        "for": ctx.patient_ref(),
        "authoredOn": r.as_of.isoformat(),
        "reasonCode": {"text": request.reason},
        "input": [
            _input(
                ctx,
                "requirement",
                {"valueIdentifier": requirement_identifier(ctx, request.requirement_id)},
            ),
            _input(ctx, "dates-wanted", {"valueString": request.dates_wanted}),
            _input(ctx, "letter", {"valueString": request.text}),
        ],
    }
    if kinds:
        resource["input"].insert(
            1, _input(ctx, "record-type", {"valueCodeableConcept": {"coding": kinds}})
        )
    if item and item.max_age_days is not None:
        since = r.as_of - dt.timedelta(days=item.max_age_days)
        resource["input"].append(_input(ctx, "dated-on-or-after", {"valueDate": since.isoformat()}))
    if request.institution:
        resource["owner"] = org_ref(ctx, request.institution)
    study = study_ref(ctx, request.study) if request.study else None
    if study:
        resource["reasonReference"] = study
    return entry(ctx, "Task", task_key(index, request), resource)
