"""`recordready batch` end to end on a real inbox: real PDFs, real tesseract, real SQLite.

One uninterrupted run is the reference; a re-run must read nothing and change nothing; a
run killed with SIGKILL mid-file and run again must end with the same outputs, every
original stored once, and no page OCR'd twice.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from batch.inbox_builder import build_inbox, text_pdf
from intake.batch.runner import BatchConfig, run_once
from intake.pipeline.progress import QuietReporter
from intake.store import Store

RECORDREADY = [sys.executable, "-m", "ui.cli.main"]
OCR_PAGES = 3  # alice/echo_scan.pdf (1) + bruno/notes_scan.pdf (2)


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {
        p.relative_to(outdir).as_posix(): p.read_bytes()
        for p in sorted(outdir.rglob("*"))
        if p.is_file()
    }


def _cli(*args: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    return subprocess.Popen(
        [*RECORDREADY, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(inbox, outdir, store home) of one uninterrupted run."""
    root = tmp_path_factory.mktemp("ref")
    inbox = build_inbox(root / "inbox")
    out = root / "out"
    result = run_once(BatchConfig(inbox, out, workers=2), Store.at(root / "store"), QuietReporter())
    assert not result.stopped
    assert result.counters.pages_ocr == OCR_PAGES
    return inbox, out, root / "store"


def test_batch_writes_every_report_index_and_csv(reference: tuple[Path, Path, Path]) -> None:
    _, out, _ = reference
    files = _outputs(out)
    for case in ("alice", "bruno"):
        for name in ("report.json", "report.md", "report.html", "report.fhir.json"):
            assert f"{case}/{name}" in files
        bundle = Bundle.model_validate_json((out / case / "report.fhir.json").read_text())
        assert bundle.type == "collection" and bundle.entry[0].resource.get_resource_type() == (
            "Patient"
        )
    summary = list(csv.DictReader((out / "summary.csv").open()))
    assert [r["case"] for r in summary] == ["alice", "bruno"]
    assert all(r["program"] == "cart-lbcl" and r["ready"] in ("yes", "no") for r in summary)
    rejected = list(csv.DictReader((out / "rejected.csv").open()))
    assert [(r["file"], r["error_code"]) for r in rejected] == [("bruno/broken.pdf", "corrupt")]
    assert "broken.pdf" in rejected[0]["message"]
    unassigned = list(csv.DictReader((out / "unassigned.csv").open()))
    assert [r["file"] for r in unassigned] == ["unknown_patient.pdf"]
    index = (out / "index.html").read_text()
    assert 'href="./alice/report.html"' in index and "unknown_patient.pdf" in index
    # The loose fax names Alice: it was filed into her case and checked with it.
    alice = json.loads((out / "alice" / "report.json").read_text())
    assert "fax_for_alice.pdf" in {d["file"] for d in alice["documents"]}
    assert alice["as_of"] == "2026-11-20" and alice["case_id"] == "alice"
    # Patient identifiers never reach the coordinator's CSVs.
    for name in ("summary.csv", "rejected.csv", "unassigned.csv"):
        assert "Marlow" not in (out / name).read_text()
        assert "SMH-4410237" not in (out / name).read_text()


def test_rerun_reads_nothing_and_changes_nothing(reference: tuple[Path, Path, Path]) -> None:
    inbox, out, home = reference
    before = _outputs(out)
    result = run_once(BatchConfig(inbox, out, workers=2), Store.at(home), QuietReporter())
    c = result.counters
    assert (c.pages_ocr, c.pages_text, c.files_read) == (0, 0, 0)
    assert c.pages_cached >= OCR_PAGES and c.files_cached == 6
    assert "0 pages OCR'd" in result.counter_line()
    assert _outputs(out) == before


def _ocr_pages_stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(db, timeout=5) as con:
            return con.execute("select count(*) from rr_pages").fetchone()[0]
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def test_sigkill_mid_run_then_rerun_matches(
    reference: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    ref_inbox, ref_out, _ = reference
    # The very same bytes as the reference (scans embed their creation time).
    inbox = Path(shutil.copytree(ref_inbox, tmp_path / "inbox"))
    out, home = tmp_path / "out", tmp_path / "store"
    proc = _cli("batch", str(inbox), "-o", str(out), "--store", str(home), "-j", "1", "--quiet")
    deadline = time.monotonic() + 120
    while _ocr_pages_stored(home / "recordready.db") < 1 and proc.poll() is None:
        assert time.monotonic() < deadline, "no page was OCR'd in time"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    stored_before = _ocr_pages_stored(home / "recordready.db")
    assert stored_before >= 1

    rerun = _cli("batch", str(inbox), "-o", str(out), "--store", str(home), "-j", "2", "--quiet")
    assert rerun.wait(timeout=300) == 0, rerun.stdout.read().decode() if rerun.stdout else ""
    assert _outputs(out) == _outputs(ref_out)
    store = Store.at(home)
    # Every page was OCR'd exactly once across the killed run and the rerun.
    with sqlite3.connect(home / "recordready.db") as con:
        stats = json.loads(
            con.execute("select stats from rr_runs order by id desc limit 1").fetchone()[0]
        )
    assert stored_before + stats["pages_ocr"] == OCR_PAGES
    # Every original is stored, intact, once per case and name.
    names = {
        (c.name, f.name, f.sha256)
        for c in store.cases(include_holding=True)
        for f in store.files(c.id)
    }
    assert len(names) == sum(len(store.files(c.id)) for c in store.cases(include_holding=True))
    on_disk = {p for p in inbox.rglob("*") if p.is_file() and p.name != "case.json"}
    assert len({sha for _, _, sha in names}) == len({p.read_bytes() for p in on_disk})
    assert all(store.blobs.verify(sha) for _, _, sha in names)


def test_watch_picks_up_new_cases_and_stops_on_sigterm(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    (inbox / "first").mkdir(parents=True)
    (inbox / "first" / "note.pdf").write_bytes(text_pdf([["Clinic note", "ECOG 0"]]))
    proc = _cli(
        "batch",
        str(inbox),
        "-o",
        str(out),
        "--store",
        str(tmp_path / "store"),
        "--program",
        "cart-mm",
        "--as-of",
        "2026-11-20",
        "--watch",
        "--poll-seconds",
        "0.3",
        "-j",
        "1",
    )
    try:
        deadline = time.monotonic() + 120
        while not (out / "first" / "report.json").exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        (inbox / "second").mkdir()
        (inbox / "second" / "note.pdf").write_bytes(text_pdf([["Clinic note", "ECOG 1"]]))
        while not (out / "second" / "report.json").exists():
            assert proc.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
    finally:
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=60)
    assert rc == 0
    summary = (out / "summary.csv").read_text()
    assert "first,cart-mm" in summary and "second,cart-mm" in summary
