"""The report as Markdown, in the patient or the coordinator view."""

from __future__ import annotations

from checklists.escaping import markdown_fence, markdown_text
from checklists.imaging import STUDY_COLUMNS, study_row
from checklists.patient_words import DEFAULT_LANGUAGE, PatientWords, patient_words
from checklists.report import GAP_STATUSES, Report, Status
from checklists.requests import records_requests
from checklists.wording import (
    STATUS_LABEL,
    View,
    coordinator_values,
    evidence_text,
    patient_acts,
    patient_next_step,
    patient_problem,
    patient_summary,
    patient_title,
    team_checks,
    window_text,
    without_citations,
)
from extractors.vocabulary import DOC_TYPE_LABELS


def _cell(text: object) -> str:
    # Names and values come from uploads: nothing in them may be a link, an image or a column.
    return markdown_text(text)


m = markdown_text


def _patient(report: Report, w: PatientWords) -> list[str]:
    out = [
        f"# {w.say('report_title', program=w.program_text(report.program.title))}",
        "",
        w.program_text(report.program_description),
        "",
        f"**{m(patient_summary(report, w))}**",
        "",
    ]
    todo = [i for i in report.items if patient_acts(i)]
    review = [i for i in report.items if team_checks(i)]
    for key, items in (
        ("what_to_do", [i for i in todo if i.required]),
        ("team_looks_at", review),
        ("also_helpful", [i for i in todo if not i.required]),
    ):
        if items:
            out += [f"## {w.say(key)}", ""]
            out += [f"- **{m(patient_title(i, w))}**: {m(patient_next_step(i, w))}" for i in items]
            out.append("")
    if report.problems:
        out += [f"## {w.say('about_files')}", ""]
        out += [f"- {m(patient_problem(p, w))}" for p in report.problems]
        out.append("")
    have = [i for i in report.items if i.status == Status.MET]
    if have:
        out += [f"## {w.say('already_have')}", ""]
        out += [f"- {m(patient_title(i, w))}" for i in have]
        out.append("")
    out += [f"_{w.say('checked_on', date=w.long_date(report.as_of))}_", ""]
    return out


def _coordinator(report: Report) -> list[str]:
    p = report.patient
    out = [
        f"# {report.program.title}: case {m(report.case_id)}",
        "",
        f"- Program: `{report.program.id}` version {report.program.version}",
        f"- As of: {report.as_of.isoformat()}",
        f"- Patient ({m(p.source)}): {m(p.name or 'unknown')}; "
        f"DOB {m(p.dob.isoformat() if p.dob else 'unknown')}; "
        f"MRN {m(p.mrn or 'unknown')}; sex {m(p.sex or 'unknown')}",
        f"- **Ready: {'YES' if report.ready else 'NO'}**",
        "",
        "## Requirements",
        "",
        "| Status | Requirement | Evidence | Date | Age / window | Values | Conf. | Detail |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for i in report.items:
        req = f"{i.title} (`{i.id}`, {'required' if i.required else 'advisory'})"
        conf = f"{i.confidence:.2f}" if i.confidence is not None else ""
        out.append(
            "| "
            + " | ".join(
                # The requirement is the program's own text, with its id as code.
                x if x is req else _cell(x)
                for x in (
                    STATUS_LABEL[i.status],
                    req,
                    evidence_text(i),
                    i.document_date or "",
                    window_text(i),
                    coordinator_values(i),
                    conf,
                    i.detail,
                )
            )
            + " |"
        )
    out.append("")
    hints = [i for i in report.items if i.coordinator_hint and i.status in GAP_STATUSES]
    if hints:
        out += (
            ["## Hints for open items", ""]
            + [f"- {m(i.title)}: {m(without_citations(i.coordinator_hint))}" for i in hints]
            + [""]
        )
    out += ["## Problems", ""]
    out += [f"- **{m(pr.kind.value)}** {m(pr.file)}: {m(pr.detail)}" for pr in report.problems] or [
        "- none"
    ]
    if report.imaging_studies:
        out += ["", "## Imaging studies", "", f"| {' | '.join(STUDY_COLUMNS)} |"]
        out += ["|" + "---|" * len(STUDY_COLUMNS)]
        out += [f"| {' | '.join(_cell(x) for x in study_row(s))} |" for s in report.imaging_studies]
    out += [
        "",
        "## Documents",
        "",
        "| Id | File | Pages | Type | Date | Conf. | Review | Institution | Patient |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    others = set(report.other_patient_documents)
    for d in report.documents:
        out.append(
            "| "
            + " | ".join(
                _cell(x)
                for x in (
                    d.id,
                    d.file,
                    f"{d.pages[0]}-{d.pages[1]}",
                    DOC_TYPE_LABELS[d.doc_type],
                    d.document_date or "",
                    f"{d.confidence:.2f}",
                    "yes" if d.needs_review else "",
                    d.institution or "",
                    "OTHER PATIENT" if d.id in others else "case patient",
                )
            )
            + " |"
        )
    out.append("")
    return out


def _requests(report: Report, w: PatientWords) -> list[str]:
    reqs = records_requests(report, w.language)
    if not reqs:
        return []
    out = [f"## {w.say('letters_title')}", ""]
    for r in reqs:
        # The letter stays verbatim in a fence that nothing in it can close.
        fence = markdown_fence(r.text)
        out += [f"### {m(r.subject)}", "", f"{fence}text", r.text, fence, ""]
    return out


def render_markdown(
    report: Report, view: View = "coordinator", language: str = DEFAULT_LANGUAGE
) -> str:
    """The report as Markdown; the patient view in `language` (the coordinator's is English)."""
    w = patient_words(language if view == "patient" else DEFAULT_LANGUAGE)
    lines = _patient(report, w) if view == "patient" else _coordinator(report)
    return "\n".join(lines + _requests(report, w))
