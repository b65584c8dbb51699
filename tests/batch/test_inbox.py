"""Inbox layout: case folders, case.json, loose files, and files still arriving."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from intake.inbox import ArrivalWatcher, scan_inbox


def test_scan_inbox_layout(tmp_path: Path) -> None:
    (tmp_path / "case-a" / "scans").mkdir(parents=True)
    (tmp_path / "case-a" / "case.json").write_text(
        json.dumps({"program": "cart-lbcl", "as_of": "2026-11-20", "patient": {"mrn": "1"}})
    )
    (tmp_path / "case-a" / "b.pdf").write_bytes(b"b")
    (tmp_path / "case-a" / "scans" / "a.tif").write_bytes(b"a")
    (tmp_path / "case-a" / ".DS_Store").write_bytes(b"x")
    (tmp_path / "case-a" / "upload.pdf.part").write_bytes(b"x")
    (tmp_path / "case-b").mkdir()
    (tmp_path / "case-b" / "case.json").write_text("{not json")
    (tmp_path / "loose.eml").write_bytes(b"m")
    listing = scan_inbox(tmp_path)
    a, b = listing.cases
    assert (a.name, a.meta.program, a.meta.as_of) == ("case-a", "cart-lbcl", dt.date(2026, 11, 20))
    assert [a.relative(f) for f in a.files] == ["b.pdf", "scans/a.tif"]
    assert b.files == () and b.meta.problem is not None and "case-b" in b.meta.problem
    assert [p.name for p in listing.loose] == ["loose.eml"]


def test_watcher_releases_files_once_they_settle(tmp_path: Path) -> None:
    (tmp_path / "c").mkdir()
    f = tmp_path / "c" / "x.pdf"
    f.write_bytes(b"part")
    w = ArrivalWatcher()
    assert w.settled(scan_inbox(tmp_path)).cases[0].files == ()
    with f.open("ab") as fh:
        fh.write(b" more")
    assert w.settled(scan_inbox(tmp_path)).cases[0].files == ()  # still growing
    assert w.settled(scan_inbox(tmp_path)).cases[0].files == (f.resolve(),)
