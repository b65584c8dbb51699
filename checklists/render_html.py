"""The report as one self-contained, printable HTML page (inline CSS, no external assets).

Prints on A4 and US Letter alike: the page box is left to the printer's paper size, the
content is fluid, tables repeat their headers and rows never split across pages.
"""

from __future__ import annotations

from html import escape

from checklists.imaging import STUDY_COLUMNS, study_row
from checklists.patient_words import DEFAULT_LANGUAGE, PatientWords, patient_words
from checklists.report import GAP_STATUSES, Item, Report, Status
from checklists.requests import records_requests
from checklists.wording import (
    STATUS_LABEL,
    View,
    coordinator_values,
    evidence_text,
    patient_acts,
    patient_next_step,
    patient_problem,
    patient_status,
    patient_summary,
    patient_title,
    team_checks,
    window_text,
    without_citations,
)
from extractors.vocabulary import DOC_TYPE_LABELS

_CSS = """
:root { --ok:#1b6e3a; --bad:#a4161a; --warn:#8a5a00; --muted:#555; --line:#ccc; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, "WenQuanYi Micro Hei", "Noto Sans CJK SC", sans-serif; font-size: 11pt; line-height: 1.4;
       color: #111; max-width: 60rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 1.5em; margin: 0 0 .3em; } h2 { font-size: 1.15em; margin: 1.2em 0 .4em;
     border-bottom: 1px solid var(--line); padding-bottom: .15em; }
p.lead { font-size: 1.05em; } .muted { color: var(--muted); }
.banner { padding: .6em .8em; border-radius: 4px; font-weight: bold; margin: .8em 0; border: 2px solid; }
.banner.ready { color: var(--ok); border-color: var(--ok); } .banner.notready { color: var(--bad); border-color: var(--bad); }
table { width: 100%; border-collapse: collapse; font-size: .85em; table-layout: auto; }
th, td { border: 1px solid var(--line); padding: .25em .4em; vertical-align: top; text-align: left;
         overflow-wrap: break-word; }
td.nw, th.nw { white-space: nowrap; }
td.ev { min-width: 7em; max-width: 11em; overflow-wrap: anywhere; }
td.detail { min-width: 15em; }
th { background: #f0f0f0; }
.s-met { color: var(--ok); font-weight: bold; } .s-missing, .s-stale, .s-out_of_range { color: var(--bad); font-weight: bold; }
.s-needs_review { color: var(--warn); font-weight: bold; } .s-waived, .s-not_applicable { color: var(--muted); }
ul.todo { padding-left: 1.2em; } ul.todo li { margin: .4em 0; }
.letter { border: 1px solid var(--line); padding: .8em 1em; margin: .8em 0; white-space: pre-wrap;
          font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: .85em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; margin: .5em 0; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
@media print {
  @page { margin: 14mm 12mm; }
  body { max-width: none; margin: 0; padding: 0; font-size: 10pt; }
  thead { display: table-header-group; }
  tr, li, .letter, .banner { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; page-break-after: avoid; }
  section.letters { break-before: page; page-break-before: always; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return escape(str(text if text is not None else ""))


def _patient(report: Report, w: PatientWords) -> str:
    todo = [i for i in report.items if patient_acts(i)]
    program = w.program_text(report.program.title)
    blocks = [
        f"<h1>{_e(w.say('report_title', program=program))}</h1>",
        f"<p class='muted'>{_e(w.say('checked_on', date=w.long_date(report.as_of)))}</p>",
        f"<p class='lead'>{_e(w.program_text(report.program_description))}</p>",
        f"<div class='banner {'ready' if report.ready else 'notready'}'>{_e(patient_summary(report, w))}</div>",
    ]

    def section(title: str, items: list[Item]) -> None:
        if items:
            lis = "".join(
                f"<li><strong>{_e(patient_title(i, w))}</strong><br>{_e(patient_next_step(i, w))}</li>"
                for i in items
            )
            blocks.append(f"<h2>{_e(title)}</h2><ul class='todo'>{lis}</ul>")

    section(w.say("what_to_do"), [i for i in todo if i.required])
    section(w.say("team_looks_at"), [i for i in report.items if team_checks(i)])
    section(w.say("also_helpful"), [i for i in todo if not i.required])
    if report.problems:
        lis = "".join(f"<li>{_e(patient_problem(p, w))}</li>" for p in report.problems)
        blocks.append(f"<h2>{_e(w.say('about_files'))}</h2><ul class='todo'>{lis}</ul>")
    rows = "".join(
        f"<tr><td>{_e(patient_title(i, w))}</td><td class='s-{i.status.value}'>{_e(patient_status(i, w))}</td></tr>"
        for i in report.items
        if i.status != Status.NOT_APPLICABLE
    )
    blocks.append(
        f"<h2>{_e(w.say('your_checklist'))}</h2><table><thead><tr><th scope='col'>{_e(w.say('record'))}</th>"
        f"<th scope='col'>{_e(w.say('where_it_stands'))}</th></tr></thead><tbody>{rows}</tbody></table>"
    )
    return "\n".join(blocks)


def _coordinator(report: Report) -> str:
    p = report.patient
    facts = [
        ("Case", report.case_id),
        ("Program", f"{report.program.id} (version {report.program.version})"),
        ("As of", report.as_of.isoformat()),
        ("Patient", f"{p.name or 'unknown'} ({p.source})"),
        ("DOB", p.dob.isoformat() if p.dob else "unknown"),
        ("MRN", p.mrn or "unknown"),
        ("Sex", p.sex or "unknown"),
    ]
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in facts)
    rows = []
    for i in report.items:
        conf = f"conf. {i.confidence:.2f}" if i.confidence is not None else ""
        hint = (
            f"<br><span class='muted'>{_e(without_citations(i.coordinator_hint))}</span>"
            if i.coordinator_hint and i.status in GAP_STATUSES
            else ""
        )
        evidence = "<br>".join(_e(x) for x in (evidence_text(i), i.document_date or "", conf) if x)
        rows.append(
            f"<tr><td class='nw s-{i.status.value}'>{_e(STATUS_LABEL[i.status])}</td>"
            f"<td><strong>{_e(i.title)}</strong><br><code>{_e(i.id)}</code> · {'required' if i.required else 'advisory'}</td>"
            f"<td class='ev'>{evidence}</td><td class='nw'>{_e(window_text(i)).replace(' / ', '<br>')}</td>"
            f"<td>{_e(coordinator_values(i)).replace('; ', '<br>')}</td><td class='detail'>{_e(i.detail)}{hint}</td></tr>"
        )
    problems = (
        "".join(
            f"<tr><td>{_e(pr.kind.value)}</td><td>{_e(pr.file)}</td><td>{_e(pr.detail)}</td></tr>"
            for pr in report.problems
        )
        or "<tr><td colspan='3'>none</td></tr>"
    )
    studies = "".join(
        "<tr>" + "".join(f"<td>{_e(x)}</td>" for x in study_row(s)) + "</tr>"
        for s in report.imaging_studies
    )
    studies_table = (
        "<h2>Imaging studies</h2><table><thead><tr>"
        + "".join(f"<th>{_e(c)}</th>" for c in STUDY_COLUMNS)
        + f"</tr></thead><tbody>{studies}</tbody></table>"
        if studies
        else ""
    )
    others = set(report.other_patient_documents)
    docs = "".join(
        f"<tr><td><code>{_e(d.id)}</code></td><td>{_e(d.file)}</td><td>{d.pages[0]}-{d.pages[1]}</td>"
        f"<td>{_e(DOC_TYPE_LABELS[d.doc_type])}</td><td>{_e(d.document_date or '')}</td><td>{d.confidence:.2f}</td>"
        f"<td>{'yes' if d.needs_review else ''}</td><td>{_e(d.institution or '')}</td>"
        f"<td>{'<strong>other patient</strong>' if d.id in others else 'case patient'}</td></tr>"
        for d in report.documents
    )
    return "\n".join(
        [
            f"<h1>{_e(report.program.title)}</h1>",
            f"<dl class='facts'>{dl}</dl>",
            f"<div class='banner {'ready' if report.ready else 'notready'}'>"
            f"{'Ready for eligibility review' if report.ready else 'Not ready'}</div>",
            "<h2>Requirements</h2><table><thead><tr><th>Status</th><th>Requirement</th><th>Evidence</th>"
            "<th>Age / window</th><th>Values</th><th>Detail</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>",
            "<h2>Problems</h2><table><thead><tr><th>Kind</th><th>File</th><th>Detail</th></tr></thead>"
            f"<tbody>{problems}</tbody></table>",
            studies_table,
            "<h2>Documents</h2><table><thead><tr><th>Id</th><th>File</th><th>Pages</th><th>Type</th><th>Date</th>"
            "<th>Conf.</th><th>Review</th><th>Institution</th><th>Patient</th></tr></thead>"
            f"<tbody>{docs}</tbody></table>",
        ]
    )


def _letters(report: Report, w: PatientWords) -> str:
    reqs = records_requests(report, w.language)
    if not reqs:
        return ""
    body = "".join(
        f"<h3 lang='{_e(r.language)}'>{_e(r.subject)}</h3>"
        f"<div class='letter' lang='{_e(r.language)}'>{_e(r.text)}</div>"
        for r in reqs
    )
    return f"<section class='letters'><h2>{_e(w.say('letters_title'))}</h2>{body}</section>"


def render_html(
    report: Report, view: View = "coordinator", language: str = DEFAULT_LANGUAGE
) -> str:
    """The report as a page; the patient view in `language` (the coordinator's is English).

    One <main> landmark holds everything, so a screen reader can jump straight to it.
    """
    w = patient_words(language if view == "patient" else DEFAULT_LANGUAGE)
    main = _patient(report, w) if view == "patient" else _coordinator(report)
    program = w.program_text(report.program.title)
    title = (
        w.say("report_doc_title", program=program)
        if view == "patient"
        else f"{program}: case {report.case_id}"
    )
    return (
        f"<!DOCTYPE html>\n<html lang='{_e(w.language)}'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>{_e(title)}</title><style>{_CSS}</style></head>\n"
        f"<body>\n<main>\n{main}\n{_letters(report, w)}\n</main>\n</body></html>\n"
    )
