"""Cross-case outputs: deterministic CSVs, escaped HTML, atomic files."""

from __future__ import annotations

import io
from pathlib import Path

from intake.batch.outputs import CaseSummary, Rejected, Unassigned, write_batch_outputs
from intake.pipeline.progress import PlainReporter


def test_outputs_are_sorted_escaped_and_complete(tmp_path: Path) -> None:
    cases = [
        CaseSummary("b<script>", "cart-mm", False, {"missing": 2, "met": 5}, problems=1, files=3),
        CaseSummary("a", "cart-lbcl", True, {"met": 9}, files=9),
        CaseSummary("c", None, None, note="no program: give one in case.json or with --program"),
    ]
    rejected = [Rejected("a/x.pdf", "encrypted", "x.pdf: PDF is password-protected")]
    unassigned = [Unassigned("fax.pdf", "matches no case's patient")]
    write_batch_outputs(tmp_path, list(reversed(cases)), rejected, unassigned)
    summary = (tmp_path / "summary.csv").read_text().splitlines()
    assert summary[0].startswith("case,program,ready,met,missing,stale")
    assert [line.split(",")[0] for line in summary[1:]] == ["a", "b<script>", "c"]
    assert summary[1].startswith("a,cart-lbcl,yes,9,0")
    html = (tmp_path / "index.html").read_text()
    assert "<script>" not in html and "b&lt;script&gt;" in html
    assert 'href="./a/report.html"' in html and "fax.pdf" in html and "x.pdf" in html
    assert (tmp_path / "rejected.csv").read_text().splitlines()[1] == (
        "a/x.pdf,encrypted,x.pdf: PDF is password-protected"
    )
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    write_batch_outputs(tmp_path, cases, rejected, unassigned)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first  # order-independent


def test_plain_progress_lines() -> None:
    buf = io.StringIO()
    rep = PlainReporter(buf, every_s=0)
    rep.add_totals(files=2, pages=4)
    rep.advance(pages=3)
    rep.advance(files=1)
    rep.advance(files=1, pages=1)
    lines = buf.getvalue().splitlines()
    assert lines[-1].startswith("files 2/2, pages 4/4")
    assert "pages/s" in lines[0]
