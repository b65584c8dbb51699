"""One case's report: its files' results + its program + stored corrections -> report files."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checklists.corrections import Corrections, DocumentCorrection, Waiver
from checklists.evaluate import CaseInfo, evaluate
from checklists.models import Program
from checklists.render import Format, render
from checklists.report import Report
from extractors.vocabulary import Document, FileText
from intake.batch.outputs import CaseSummary
from intake.inbox import given_patient
from intake.settings import Settings
from intake.store import NoteKind, Store
from intake.store.blobs import atomic_write_text

REPORT_FORMATS: dict[Format, str] = {
    "json": "report.json",
    "md": "report.md",
    "html": "report.html",
    "fhir": "report.fhir.json",  # for the coordinators' systems (docs/FHIR.md)
}


@dataclass
class CaseInput:
    name: str  # folder name; the report's case_id and its output folder
    store_id: str
    program: str | None
    as_of: dt.date
    patient: dict[str, Any]
    file_texts: list[FileText] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    files: int = 0
    note: str | None = None


def corrections_for(store: Store, case_id: str) -> Corrections:
    """Stored notes as the checklist's Corrections; a malformed note is skipped, not fatal."""
    waivers: list[Waiver] = []
    docs: list[DocumentCorrection] = []
    for note in store.notes(case_id):
        payload = {"by": note.author, "at": note.created_at, **note.payload}
        try:
            if note.kind is NoteKind.WAIVER:
                waivers.append(Waiver.model_validate(payload))
            else:
                docs.append(DocumentCorrection.model_validate(payload))
        except ValueError:
            continue
    return Corrections(waivers=waivers, documents=docs)


def build_report(case: CaseInput, program: Program, corrections: Corrections) -> Report:
    sex = case.patient.get("sex") if case.patient.get("sex") in ("female", "male") else None
    info = CaseInfo(
        case_id=case.name, as_of=case.as_of, patient=given_patient(case.patient), sex=sex
    )
    # Stable order whatever order the workers finished in: reports must be reproducible.
    texts = sorted(case.file_texts, key=lambda t: t.file)
    docs = sorted(case.documents, key=lambda d: (d.file, d.pages))
    report = evaluate(program, docs, texts, info, corrections)
    contact = Settings.from_env().care_team_contact or ""
    lines = [line.strip() for line in contact.split("|") if line.strip()]
    return report.model_copy(update={"care_team_contact": lines}) if lines else report


def write_report(outdir: Path, report: Report) -> None:
    for fmt, filename in REPORT_FORMATS.items():
        atomic_write_text(outdir / filename, render(report, fmt))


def summarise(case: CaseInput, report: Report | None) -> CaseSummary:
    if report is None:
        return CaseSummary(case.name, case.program, None, files=case.files, note=case.note)
    counts: dict[str, int] = {}
    for item in report.items:
        counts[item.status.value] = counts.get(item.status.value, 0) + 1
    return CaseSummary(
        case.name,
        case.program,
        report.ready,
        counts,
        problems=len(report.problems),
        files=case.files,
        note=case.note,
    )
