"""The batch's cross-case outputs: index.html, summary.csv, rejected.csv, unassigned.csv.

Every file is written atomically and its content depends only on the inputs (rows sorted,
no clocks), so a re-run or a resumed run produces byte-identical outputs.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from checklists.escaping import csv_row, href_path, html_text
from intake.store.blobs import atomic_write_text

STATUS_COLUMNS = (
    "met",
    "missing",
    "stale",
    "out_of_range",
    "needs_review",
    "waived",
    "not_applicable",
)


@dataclass(frozen=True)
class CaseSummary:
    case: str  # the case folder name; also its output folder
    program: str | None
    ready: bool | None  # None when no report could be made (see `note`)
    counts: dict[str, int] = field(default_factory=dict)
    problems: int = 0
    files: int = 0
    note: str | None = None


@dataclass(frozen=True)
class Rejected:
    file: str  # "<case>/<name>" or the loose file's name, with container members after "/"
    code: str
    message: str


@dataclass(frozen=True)
class Unassigned:
    file: str
    reason: str


def _csv(header: Iterable[str], rows: Iterable[Iterable[object]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(list(header))
    for row in rows:
        w.writerow(csv_row(list(row)))
    return buf.getvalue()


def summary_csv(cases: list[CaseSummary]) -> str:
    rows = []
    for c in sorted(cases, key=lambda c: c.case):
        ready = "" if c.ready is None else ("yes" if c.ready else "no")
        rows.append(
            [c.case, c.program or "", ready]
            + [c.counts.get(s, 0) for s in STATUS_COLUMNS]
            + [c.problems, c.files, c.note or ""]
        )
    return _csv(["case", "program", "ready", *STATUS_COLUMNS, "problems", "files", "note"], rows)


def rejected_csv(rejected: list[Rejected]) -> str:
    rows = sorted({(r.file, r.code, r.message) for r in rejected})
    return _csv(["file", "error_code", "message"], rows)


def unassigned_csv(unassigned: list[Unassigned]) -> str:
    rows = sorted({(u.file, u.reason) for u in unassigned})
    return _csv(["file", "reason"], rows)


_STYLE = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem;color:#222}
.wide{overflow-x:auto;margin-bottom:2rem}
table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.35rem .45rem;text-align:left;vertical-align:top}
th{background:#f3f3f3;font-size:.85rem}.yes{color:#176b2c;font-weight:600}.no{color:#a32020;font-weight:600}
.num{text-align:right}
"""


def index_html(
    cases: list[CaseSummary], rejected: list[Rejected], unassigned: list[Unassigned]
) -> str:
    e = html_text
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>RecordReady batch</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>RecordReady batch</h1>",
        f"<p>{len(cases)} case(s), {sum(1 for c in cases if c.ready)} ready; "
        f"{len(rejected)} file(s) rejected; {len(unassigned)} file(s) unassigned.</p>",
        "<h2>Cases</h2>",
        '<div class="wide"><table><thead><tr><th>Case</th><th>Program</th><th>Ready</th>',
    ]
    out += [f"<th>{e(s.replace('_', ' '))}</th>" for s in STATUS_COLUMNS]
    out.append("<th>problems</th><th>files</th><th>note</th></tr></thead><tbody>")
    for c in sorted(cases, key=lambda c: c.case):
        if c.ready is None:
            name, ready = e(c.case), "<td>no report</td>"
        else:
            name = f'<a href="{e(href_path(c.case, "report.html"))}">{e(c.case)}</a>'
            ready = '<td class="yes">yes</td>' if c.ready else '<td class="no">no</td>'
        out.append(f"<tr><td>{name}</td><td>{e(c.program or '')}</td>{ready}")
        out += [f'<td class="num">{c.counts.get(s, 0)}</td>' for s in STATUS_COLUMNS]
        out.append(
            f'<td class="num">{c.problems}</td><td class="num">{c.files}</td>'
            f"<td>{e(c.note or '')}</td></tr>"
        )
    out.append("</tbody></table></div>")
    out.append("<h2>Unassigned files</h2>")
    if unassigned:
        out.append("<p>Loose files that match no case's patient: a coordinator must file them.</p>")
        out.append(
            '<div class="wide"><table><thead><tr><th>File</th><th>Why</th></tr></thead><tbody>'
        )
        for u in sorted(unassigned, key=lambda u: (u.file, u.reason)):
            out.append(f"<tr><td>{e(u.file)}</td><td>{e(u.reason)}</td></tr>")
        out.append("</tbody></table></div>")
    else:
        out.append("<p>None.</p>")
    out.append("<h2>Rejected files</h2>")
    if rejected:
        out.append(
            '<div class="wide"><table><thead><tr><th>File</th><th>Error</th><th>Message</th></tr></thead>'
        )
        out.append("<tbody>")
        for r in sorted(rejected, key=lambda r: (r.file, r.code, r.message)):
            out.append(f"<tr><td>{e(r.file)}</td><td>{e(r.code)}</td><td>{e(r.message)}</td></tr>")
        out.append("</tbody></table></div>")
    else:
        out.append("<p>None.</p>")
    out.append("</body></html>\n")
    return "\n".join(out)


def write_batch_outputs(
    outdir: Path,
    cases: list[CaseSummary],
    rejected: list[Rejected],
    unassigned: list[Unassigned],
) -> None:
    atomic_write_text(outdir / "summary.csv", summary_csv(cases))
    atomic_write_text(outdir / "rejected.csv", rejected_csv(rejected))
    atomic_write_text(outdir / "unassigned.csv", unassigned_csv(unassigned))
    # Last: index.html's presence means the batch finished and the other files are current.
    atomic_write_text(outdir / "index.html", index_html(cases, rejected, unassigned))
