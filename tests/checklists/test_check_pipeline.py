"""`recordready check` goes through intake's pipeline: uploads stored first, then the cache.

Real PDFs and a real scanned page (tesseract reads it), a real SQLite store in a temporary
RECORDREADY_HOME: a second check of the same files reads nothing, and gives the same report.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from checklist_files import echo, labs, scanned_page, write_pdf
from typer.testing import CliRunner

from intake.pipeline.casecheck import check_case
from intake.pipeline.flow import Naming, read_paths
from intake.store import Store
from ui.cli.main import app

AS_OF = "2026-11-20"


@pytest.fixture
def case(tmp_path: Path) -> Path:
    folder = tmp_path / "case"
    folder.mkdir()
    write_pdf(folder / "echo.pdf", echo(62, "10/28/2026"))
    write_pdf(folder / "labs.pdf", labs())
    scanned_page(folder / "labs_scan.png", labs()[:12])
    (folder / "case.json").write_text(json.dumps({"program": "cart-lbcl", "as_of": AS_OF}))
    return folder


def test_second_check_reads_nothing_and_gives_the_same_report(case: Path, tmp_path: Path) -> None:
    store = Store.at(tmp_path / "home")
    first = read_paths([case], Naming.CASE, store)
    assert (first.counters.files_read, first.counters.files_cached) == (3, 0)
    assert first.counters.pages_ocr == 1
    second = read_paths([case], Naming.CASE, store)
    assert (second.counters.files_read, second.counters.files_cached) == (0, 3)
    assert second.counters.pages_ocr == 0 and second.counters.pages_cached >= 1
    assert second.file_texts == first.file_texts and second.documents == first.documents
    # every upload was stored (content-addressed) before it was read
    assert all(store.blobs.exists(ft.sha256 or "") for ft in first.file_texts)
    assert check_case([case], store=store) == check_case([case], store=store)


def test_cli_check_uses_the_home_store(case: Path, tmp_path: Path) -> None:
    home = tmp_path / "cli-home"
    runner = CliRunner()
    reports = []
    for _ in range(2):
        result = runner.invoke(app, ["check", str(case)], env={"RECORDREADY_HOME": str(home)})
        assert result.exit_code == 0, result.output
        reports.append(result.stdout)
    assert reports[0] == reports[1]
    assert (home / "recordready.db").is_file() and any((home / "blobs").rglob("*"))


def test_same_bytes_under_two_names_keep_their_own_names(case: Path, tmp_path: Path) -> None:
    shutil.copy(case / "echo.pdf", case / "echo (1).pdf")
    reading = read_paths([case], Naming.CASE, Store.at(tmp_path / "home"))
    names = [ft.file for ft in reading.file_texts]
    assert names == ["echo (1).pdf", "echo.pdf", "labs.pdf", "labs_scan.png"]
    assert {d.file for d in reading.documents} >= {"echo (1).pdf", "echo.pdf"}
    report = check_case([case], store=Store.at(tmp_path / "home"))
    assert {(p.kind.value, p.file) for p in report.problems} == {("duplicate", "echo (1).pdf")}


def test_too_large_upload_is_refused_by_name_and_never_stored(case: Path, tmp_path: Path) -> None:
    store = Store.at(tmp_path / "home")
    reading = read_paths([case / "echo.pdf"], Naming.CASE, store, max_file_bytes=100)
    (ft,) = reading.file_texts
    assert ft.file == "echo.pdf" and ft.status == "error" and ft.error is not None
    assert ft.error.code.value == "too_large" and ft.error.message.startswith("echo.pdf: ")
    assert not any(p.is_file() for p in (tmp_path / "home" / "blobs").rglob("*"))


def test_loose_files_beside_a_case_folder_are_named_by_file(case: Path, tmp_path: Path) -> None:
    loose = tmp_path / "elsewhere" / "echo_outside.pdf"
    loose.parent.mkdir()
    write_pdf(loose, echo(58, "10/30/2026"))
    reading = read_paths([case, loose], Naming.CASE, Store.at(tmp_path / "home"))
    assert [ft.file for ft in reading.file_texts][-1] == "echo_outside.pdf"
