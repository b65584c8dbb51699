"""`recordready batch` over a case folder full of hostile files: each is one rejected.csv row
naming the file and the reason, and the case's good files still make its report."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

from fuzz import seeds

from hostile import builders

CLI = Path(sys.executable).with_name("recordready")

HOSTILE: dict[str, tuple[bytes, str, str]] = {
    # name: (bytes, expected code of its row, rejected.csv file column prefix)
    "big.png": (builders.png_declared(30000, 30000), "too_large", "case_a/big.png"),
    "bomb.zip": (builders.zip_bomb(64), "too_large", "case_a/bomb.zip/records/labs.pdf"),
    "frames.tif": (builders.tiff_many_frames(2001), "too_large", "case_a/frames.tif"),
    "locked.pdf": (builders.pdf_encrypted(), "encrypted", "case_a/locked.pdf"),
    "empty.pdf": (b"", "empty", "case_a/empty.pdf"),
    "future.zip": (builders.zip_future_version(), "corrupt", "case_a/future.zip"),
    "laughs.docx": (builders.docx_entity_bomb(), "corrupt", "case_a/laughs.docx"),
    "names.zip": (builders.zip_traversal(), "unsupported", "case_a/names.zip/"),
}


def test_batch_reports_each_hostile_file_and_reads_the_rest(tmp_path: Path) -> None:
    case = tmp_path / "inbox" / "case_a"
    case.mkdir(parents=True)
    (case / "case.json").write_text(
        json.dumps(
            {
                "program": "cart-lbcl",
                "as_of": "2026-11-20",
                "patient": {"name": "Test Person", "dob": "1970-01-01", "mrn": "T-1"},
            }
        )
    )
    (case / "letter.docx").write_bytes(seeds.docx_file())
    (case / "report.pdf").write_bytes(seeds.text_pdf())
    (case / "deep.eml").write_bytes(builders.eml_deep_multipart(500, forwarded_every=2))
    for name, (data, _, _) in HOSTILE.items():
        (case / name).write_bytes(data)

    out = tmp_path / "out"
    run = subprocess.run(
        [str(CLI), "batch", str(tmp_path / "inbox"), "-o", str(out),
         "--store", str(tmp_path / "home"), "--quiet"],
        capture_output=True, text=True, timeout=600,
        env={k: v for k, v in os.environ.items() if k != "RECORDREADY_BROKER_URL"},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]

    with (out / "rejected.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for name, (_, code, prefix) in HOSTILE.items():
        mine = [r for r in rows if r["file"].startswith(prefix)]
        assert mine, f"{name} is not in rejected.csv"
        for row in mine:
            assert row["error_code"] == code, row
            shown = row["file"].removeprefix("case_a/")
            assert shown in row["message"], f"the message does not name the file: {row}"
            assert len(row["message"]) > len(shown) + 5, f"no reason given: {row}"
    # The deep email is read or rejected per part, never a crash that loses the case.
    assert not any(r["file"] in ("case_a/letter.docx", "case_a/report.pdf") for r in rows)

    report = json.loads((out / "case_a" / "report.json").read_text(encoding="utf-8"))
    read = {d["file"] for d in report["documents"]}
    assert "letter.docx" in read
    assert read & {"report.pdf", "bomb.zip/records/ok.pdf", "names.zip/records/ok.pdf"}
