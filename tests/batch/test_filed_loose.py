"""Loose inbox files the batch files into a case are read, for the app too (issue 16 row 11).

The filed copy of a loose file was recorded 'queued' and nobody ever read it again: the
app showed the case as reading for ever and its report lacked the file's documents (9 in
the app against 10 in the batch's report). A loose e-mail carrying two patients' records
is split between their cases, and the app shows each case only its own patient's item.
"""

from __future__ import annotations

import json
from pathlib import Path

from batch.inbox_builder import ALICE, BRUNO, clinic, labs, text_pdf
from checklists.corrections import Corrections
from intake.batch.runner import BatchConfig, run_once
from intake.casework.results import case_results, evaluate_case, programs
from intake.pipeline.progress import QuietReporter
from intake.store import FileStatus, Store
from tests.reading.builders import eml_with


def _inbox(root: Path) -> Path:
    for who, p in (("alice", ALICE), ("bruno", BRUNO)):
        (root / who).mkdir(parents=True)
        meta = {"program": "cart-lbcl", "as_of": "2026-11-20", "patient": p}
        (root / who / "case.json").write_text(json.dumps(meta))
    (root / "alice" / "labs.pdf").write_bytes(text_pdf([labs(ALICE, "2026-11-12")]))
    (root / "fax_for_alice.pdf").write_bytes(text_pdf([clinic(ALICE, "2026-11-15")]))
    mail = eml_with(
        "Records attached.",
        {
            "alice_note.pdf": (text_pdf([clinic(ALICE, "2026-11-16")]), "application/pdf"),
            "bruno_labs.pdf": (text_pdf([labs(BRUNO, "2026-11-10")]), "application/pdf"),
        },
    )
    (root / "outside.eml").write_bytes(mail)
    return root


def test_filed_loose_files_are_done_and_in_the_apps_report(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path / "inbox")
    out = tmp_path / "out"
    store = Store.at(tmp_path / "store")
    result = run_once(BatchConfig(inbox, out, workers=0), store, QuietReporter())
    assert not result.stopped
    by_name = {c.name: c for c in store.cases()}
    program = programs()["cart-lbcl"]
    for who in ("alice", "bruno"):
        case = by_name[who]
        files = store.files(case.id)
        assert [f.status for f in files if f.status is not FileStatus.DONE] == [], who
        batch = json.loads((out / who / "report.json").read_text())
        app = evaluate_case(store, case, program, Corrections())
        assert sorted(d.file for d in app.documents) == sorted(
            d["file"] for d in batch["documents"]
        ), who
        assert [(i.id, i.status.value) for i in app.items] == [
            (i["id"], i["status"]) for i in batch["items"]
        ], who
    alice_files = {t.file for t in case_results(store, by_name["alice"].id)[0]}
    assert "fax_for_alice.pdf" in alice_files and "outside.eml/alice_note.pdf" in alice_files
    assert not any("bruno" in f for f in alice_files)  # the other patient's attachment
    bruno_files = {t.file for t in case_results(store, by_name["bruno"].id)[0]}
    assert bruno_files == {"outside.eml/bruno_labs.pdf"}
