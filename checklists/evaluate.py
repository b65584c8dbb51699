"""Check a case's documents against a program: one status per requirement, plus problems.

`evaluate(program, documents, file_results, case_info, corrections) -> Report` works on
documents already read and classified, so it is pure: the same inputs give the same
report, and coordinator corrections are applied on every run (they survive re-reading).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from pydantic import BaseModel, Field

from checklists.corrections import Corrections, apply_correction, document_id, merged_corrections
from checklists.hints import guess_from_name, is_name_guess
from checklists.identity import belongs, case_patient, case_sex
from checklists.imaging import imaging_studies
from checklists.models import Criteria, PatientCondition, Program, Requirement
from checklists.problems import (
    duplicates,
    file_problems,
    identity_problems,
    unreadable_files,
    unreadable_problems,
    usable,
)
from checklists.report import (
    CasePatient,
    EvidenceRef,
    Item,
    Problem,
    ProblemKind,
    ProgramRef,
    Report,
    Status,
)
from checklists.values import (
    check_passes,
    failed_check_text,
    label,
    missing_fields,
    show,
    where_match,
)
from extractors.vocabulary import DOC_TYPE_LABELS, Document, FileText, Patient


class CaseInfo(BaseModel):
    """What is known about the case before its documents are read."""

    case_id: str
    as_of: dt.date = Field(default_factory=dt.date.today)
    patient: Patient | None = None  # given by case.json or the coordinator; None: infer it
    sex: str | None = None


# Rank of a candidate's outcome: lower wins. Among equals the newest, then most confident.
_MET, _OUT_OF_RANGE, _REVIEW, _STALE, _REVIEW_UNKNOWN, _INCOMPLETE = range(6)
_RANK_STATUS = {
    _MET: Status.MET,
    _OUT_OF_RANGE: Status.OUT_OF_RANGE,
    _REVIEW: Status.NEEDS_REVIEW,
    _STALE: Status.STALE,
    _REVIEW_UNKNOWN: Status.NEEDS_REVIEW,
    _INCOMPLETE: Status.MISSING,
}


@dataclass
class Outcome:
    rank: int
    doc: Document
    detail: str
    age_days: int | None
    max_age_days: int | None
    values: dict[str, object] = field(default_factory=dict)
    review_reason: str | None = None

    def key(self) -> tuple[int, int, float]:
        newest = -(self.doc.document_date.toordinal()) if self.doc.document_date else 0
        return self.rank, newest, -self.doc.confidence


def doc_label(doc: Document) -> str:
    if doc.fields.modality and doc.doc_type.value in ("imaging_report", "cardiac_function"):
        region = f" {doc.fields.body_region}" if doc.fields.body_region else ""
        return f"{doc.fields.modality}{region} report"
    return DOC_TYPE_LABELS[doc.doc_type]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _dated(doc: Document) -> str:
    return f"dated {doc.document_date.isoformat()}" if doc.document_date else "with no date"


def _swapped(date: dt.date | None) -> dt.date | None:
    """The other reading of an all-numeric date whose day and month could be either."""
    if date is None or date.day > 12 or date.day == date.month:
        return None
    return date.replace(month=date.day, day=date.month)


def _date_note(doc: Document, as_of: dt.date, window: int | None) -> str:
    """A warning when the day and month of the date were a guess and the other reading would
    change the recency answer. The reader's guess stands (it uses the document's other dates
    and regional cues); the coordinator is told which way it could flip."""
    other = _swapped(doc.document_date) if doc.date_ambiguous else None
    if other is None or window is None or doc.document_date is None:
        return ""
    if ((as_of - other).days > window) == ((as_of - doc.document_date).days > window):
        return ""
    return (
        f" Check the date: day and month are unclear, and read as {other.isoformat()} it would "
        f"{'not ' if (as_of - other).days > window else ''}be within {window} days."
    )


def _judge(doc: Document, way: Criteria, as_of: dt.date, readable: bool) -> Outcome | None:
    fit = where_match(doc, way)
    if fit is False:
        return None
    if is_name_guess(doc):
        return Outcome(
            _REVIEW_UNKNOWN,
            doc,
            f"{doc.file} could not be read, but its name suggests it holds the "
            f"{doc_label(doc)}; please look at it or ask for a clearer copy.",
            None,
            way.max_age_days,
            review_reason="unreadable",
        )
    what = f"{doc_label(doc)} {_dated(doc)}"
    names = {
        *way.where,
        *(f for e in way.present for f in ([e] if isinstance(e, str) else e)),
        *(c.field for c in way.checks),
    }
    values = {
        f: getattr(doc.fields, f) for f in sorted(names) if getattr(doc.fields, f) not in (None, [])
    }
    age = (as_of - doc.document_date).days if doc.document_date else None
    window = way.max_age_days

    def out(rank: int, detail: str, reason: str | None = None) -> Outcome:
        return Outcome(
            rank, doc, detail + _date_note(doc, as_of, window), age, window, values, reason
        )

    if fit is None:
        unknown = [label(f) for f in way.where if getattr(doc.fields, f) in (None, [])]
        return out(
            _REVIEW_UNKNOWN,
            f"{what}: could not tell its {', '.join(unknown)}; please check it.",
            "unclear",
        )
    lacking = missing_fields(doc, way)
    lacking += [
        label(c.field)
        for c in way.checks
        if not c.when_present
        and check_passes(c, getattr(doc.fields, c.field)) is None
        and label(c.field) not in lacking
    ]
    if lacking:
        return out(_INCOMPLETE, f"{what} does not state {', '.join(lacking)}.")
    if window is not None:
        if age is None:
            return out(
                _REVIEW_UNKNOWN,
                f"{what}: no date could be read, so its age against the "
                f"{window}-day window is unknown; please check it.",
                "unclear",
            )
        if age > window:
            return out(_STALE, f"{what} is {age} days old; this program accepts {window}.")
    failed = [
        failed_check_text(c, getattr(doc.fields, c.field))
        for c in way.checks
        if check_passes(c, getattr(doc.fields, c.field)) is False
    ]
    low_confidence = doc.needs_review or not readable
    why_review = "was read with low confidence" if readable else "is hard to read"
    reason = "low_confidence" if readable else "unreadable"
    if failed:
        if low_confidence:
            return out(
                _REVIEW,
                f"{what} {why_review} and seems to show {'; '.join(failed)}; please check it.",
                reason,
            )
        return out(_OUT_OF_RANGE, f"{what}: {'; '.join(failed)}.")
    if low_confidence:
        return out(_REVIEW, f"{what} {why_review}; please check it.", reason)
    stated = "; ".join(f"{label(k)} {show(v)}" for k, v in values.items() if k not in way.where)
    timing = f" ({age} days old; window {window})" if window is not None and age is not None else ""
    return out(_MET, f"{what}{timing}" + (f": {stated}." if stated else "."))


def _applies(
    cond: PatientCondition | None, patient: CasePatient, as_of: dt.date
) -> tuple[bool, str]:
    if cond is None:
        return True, ""
    unknown = cond.when_unknown == "applies"
    if cond.sex:
        if patient.sex is None:
            if not unknown:
                return False, "Not needed: the patient's sex is unknown."
        elif patient.sex not in cond.sex:
            return False, f"Not needed for a {patient.sex} patient."
    if cond.min_age is not None or cond.max_age is not None:
        if patient.dob is None:
            return unknown, "" if unknown else "Not needed: the patient's age is unknown."
        age = (
            as_of.year
            - patient.dob.year
            - ((as_of.month, as_of.day) < (patient.dob.month, patient.dob.day))
        )
        if (cond.min_age is not None and age < cond.min_age) or (
            cond.max_age is not None and age > cond.max_age
        ):
            return False, f"Not needed at age {age}."
    return True, ""


def _item(
    req: Requirement,
    docs: list[Document],
    readable: dict[str, bool],
    case: CaseInfo,
    patient: CasePatient,
    waivers: dict[str, str],
) -> Item:
    base = dict(
        id=req.id,
        title=req.title,
        patient_title=req.patient_title or req.title,
        required=req.required,
        accepts=req.all_accepts(),
        patient_message=req.patient_message,
        coordinator_hint=req.coordinator_hint,
        max_age_days=req.max_age_days,
    )
    if req.id in waivers:
        return Item(
            status=Status.WAIVED,
            detail=f"Waived: {waivers[req.id]}",
            waiver=waivers[req.id],
            **base,
        )
    applies, why = _applies(req.applies_to, patient, case.as_of)
    if not applies:
        return Item(status=Status.NOT_APPLICABLE, detail=why, **base)
    outcomes = [
        o
        for way in req.ways()
        for d in docs
        if d.doc_type in way.accepts
        if (o := _judge(d, way, case.as_of, readable.get(d.id or "", True))) is not None
    ]
    if not outcomes:
        kinds = " or ".join(_lower_first(DOC_TYPE_LABELS[t]) for t in req.all_accepts())
        detail = f"No {kinds} was found among the uploads."
        if req.max_age_days is not None:
            detail = (
                f"No {kinds} from the last {req.max_age_days} days was found among the uploads."
            )
        return Item(status=Status.MISSING, detail=detail, **base)
    best = min(outcomes, key=Outcome.key)
    d = best.doc
    detail = best.detail
    newer_bad = [
        o
        for o in outcomes
        if o.rank == _OUT_OF_RANGE
        and best.rank == _MET
        and o.doc.document_date
        and d.document_date
        and o.doc.document_date > d.document_date
    ]
    if newer_bad:
        # The program counts the best in-window record, but a newer failing one is worth a look.
        detail += f" Note: a newer record ({newer_bad[0].detail}) is out of range."
    return Item(
        status=_RANK_STATUS[best.rank],
        detail=detail,
        evidence=[EvidenceRef(file=d.file, pages=d.pages, document_id=d.id)],
        document_date=d.document_date,
        age_days=best.age_days,
        values=best.values,
        confidence=d.confidence,
        institution=d.institution,
        review_reason=best.review_reason if best.rank in (_REVIEW, _REVIEW_UNKNOWN) else None,
        **{**base, "max_age_days": best.max_age_days},
    )


def _page_range(pages: tuple[int, int]) -> str:
    return f"page {pages[0]}" if pages[0] == pages[1] else f"pages {pages[0]}-{pages[1]}"


def _with_ids(documents: list[Document], file_results: list[FileText]) -> list[Document]:
    shas = {ft.file: ft.sha256 for ft in file_results if ft.sha256}
    out = []
    for d in documents:
        sha = d.sha256 or shas.get(d.file)
        out.append(
            d.model_copy(update={"sha256": sha, "id": d.id or document_id(sha, d.file, d.pages)})
        )
    return out


def evaluate(
    program: Program,
    documents: list[Document],
    file_results: list[FileText],
    case_info: CaseInfo,
    corrections: Corrections | None = None,
) -> Report:
    corrections = corrections or Corrections()
    fixes = merged_corrections(corrections.documents)
    guesses = [g for ft in unreadable_files(file_results, documents) if (g := guess_from_name(ft))]
    docs = [
        apply_correction(d, fixes[d.id]) if d.id in fixes else d
        for d in _with_ids([*documents, *guesses], file_results)
    ]

    patient = case_patient(case_info.patient, docs)
    problems: list[Problem] = []
    own: list[Document] = []
    mismatched: dict[str, list[str]] = {}
    others: list[str] = []
    for d in docs:
        forced = fixes[d.id].other_patient if d.id in fixes else None
        verdict = belongs(d, patient)
        if forced is True or (forced is None and not verdict.own):
            others.append(d.id or "")
            mismatched.setdefault(d.file, []).append(
                f"{_page_range(d.pages)}: "
                + ("marked by a coordinator as another patient's" if forced else verdict.reason)
            )
        else:
            own.append(d)
    problems += identity_problems(mismatched)
    sex = case_sex(case_info.sex, own)
    patient = patient.model_copy(update={"sex": sex})

    studies, unreported = imaging_studies(file_results, own, patient)
    problems += file_problems(file_results) + unreported
    problems += unreadable_problems(file_results, docs)
    dup_problems, copies = duplicates(own, file_results)
    problems += dup_problems
    # A copy adds nothing its better original does not; the original is the evidence.
    own = [d for d in own if (d.file, d.pages) not in copies]

    pages = {(ft.file, p.number): usable(p) for ft in file_results for p in ft.pages}
    readable = {
        d.id or "": any(pages.get((d.file, n), True) for n in range(d.pages[0], d.pages[1] + 1))
        for d in docs
    }
    waivers = {
        w.requirement_id: f"{w.reason} (by {w.by}, {w.at:%Y-%m-%d})" for w in corrections.waivers
    }
    to_follow = {w.requirement_id for w in corrections.waivers if w.to_follow}
    items = [_item(r, own, readable, case_info, patient, waivers) for r in program.requirements]
    items = [
        i.model_copy(update={"waiver_to_follow": True})
        if i.status is Status.WAIVED and i.id in to_follow
        else i
        for i in items
    ]
    ready = all(
        i.status in (Status.MET, Status.WAIVED, Status.NOT_APPLICABLE) for i in items if i.required
    )
    ready = ready and not any(p.kind == ProblemKind.IDENTITY_MISMATCH for p in problems)
    return Report(
        case_id=case_info.case_id,
        program=ProgramRef(id=program.id, title=program.title, version=program.version),
        program_description=program.description,
        as_of=case_info.as_of,
        patient=patient,
        ready=ready,
        items=items,
        documents=docs,
        problems=problems,
        other_patient_documents=others,
        imaging_studies=studies,
    )
