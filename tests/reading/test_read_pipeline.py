"""`extract` and `classify` read through intake's pipeline: one folder walk, the store's cache."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from intake.inbox import case_files
from intake.pipeline.flow import Naming, collect, read_paths
from intake.store import Store
from tests.reading import builders as b
from ui.cli.main import app


def test_one_folder_walk_leaves_out_case_json_hidden_and_partial_files(tmp_path: Path) -> None:
    folder = tmp_path / "case"
    (folder / "sub").mkdir(parents=True)
    for name in ("b.pdf", "sub/a.pdf", "case.json", ".hidden.pdf", "scan.pdf.part", "~$note.docx"):
        (folder / name).write_bytes(b"x")
    assert [p.relative_to(folder).as_posix() for p in case_files(folder)] == ["b.pdf", "sub/a.pdf"]
    assert [u.name for u in collect([folder], Naming.CASE)] == ["b.pdf", "sub/a.pdf"]
    assert [u.name for u in collect([folder], Naming.GIVEN)] == [
        str(folder / "b.pdf"),
        str(folder / "sub" / "a.pdf"),
    ]


def test_extract_then_classify_reads_each_file_once(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "echo.pdf").write_bytes(b.text_pdf([b.ECHO_LINES]))
    (inbox / "zero.pdf").write_bytes(b"")
    env = {"RECORDREADY_HOME": str(tmp_path / "home")}
    runner = CliRunner()
    extracted = runner.invoke(app, ["extract", "--json", str(inbox)], env=env)
    assert extracted.exit_code == 0, extracted.output
    classified = runner.invoke(app, ["classify", "--json", str(inbox)], env=env)
    assert classified.exit_code == 0, classified.output
    lines = [json.loads(line) for line in classified.stdout.splitlines()]
    assert [x.get("doc_type") for x in lines] == ["cardiac_function", None]
    assert lines[1]["error"]["message"].startswith(str(inbox / "zero.pdf") + ": ")
    # both commands stored into the same home: a third read is served wholly from the cache
    again = read_paths([inbox], Naming.GIVEN, Store.at(tmp_path / "home"), workers=0)
    assert again.counters.files_read == 0 and again.counters.files_cached == 2
