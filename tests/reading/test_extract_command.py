"""`recordready extract`: JSON lines per file (members included), exit codes, bad files."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from extractors.vocabulary import FileText
from tests.reading import builders as b
from ui.cli.main import app

runner = CliRunner()


def test_json_lines_cover_every_file_and_member_and_bad_files_do_not_stop_the_run(
    tmp_path: Path,
) -> None:
    inbox = tmp_path / "inbox"
    (inbox / "sub").mkdir(parents=True)
    (inbox / "a_echo.pdf").write_bytes(b.text_pdf([b.ECHO_LINES]))
    (inbox / "b_broken.pdf").write_bytes(b.text_pdf([b.ECHO_LINES])[:300])
    (inbox / "c_locked.pdf").write_bytes(b.text_pdf([["Outside records"]], user="pw"))
    (inbox / "sub" / "d_bundle.zip").write_bytes(
        b.zip_of(
            {
                "path.pdf": b.text_pdf([b.PATHOLOGY_LINES]),
                "voicemail.wav": b"RIFF\x24\x00\x00\x00WAVE" + bytes(300),
            }
        )
    )
    (inbox / "e_zero.pdf").write_bytes(b"")
    result = runner.invoke(app, ["extract", "--json", str(inbox)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    for row in rows:
        FileText.model_validate(row)
        assert {"file", "status", "error", "pages"} <= row.keys()
    got = {
        Path(r["file"]).relative_to(inbox).as_posix(): (
            r["status"],
            r["error"] and r["error"]["code"],
        )
        for r in rows
    }
    assert got == {
        "a_echo.pdf": ("ok", None),
        "b_broken.pdf": ("error", "corrupt"),
        "c_locked.pdf": ("error", "encrypted"),
        "sub/d_bundle.zip/path.pdf": ("ok", None),
        "sub/d_bundle.zip/voicemail.wav": ("error", "unsupported"),
        "e_zero.pdf": ("error", "empty"),
    }
    echo = rows[0]["pages"][0]
    assert (
        echo["method"] == "text-layer" and echo["rotation"] == 0 and echo["ocr_confidence"] is None
    )
    assert "ejection fraction" in echo["text"]


def test_summary_table_and_missing_path(tmp_path: Path) -> None:
    good = tmp_path / "note.txt"
    good.write_text("Clinic note: ECOG 1")
    table = runner.invoke(app, ["extract", str(good)], env={"COLUMNS": "400"})
    assert table.exit_code == 0 and "note.txt" in table.output and "ok" in table.output
    missing = runner.invoke(app, ["extract", str(good), str(tmp_path / "nope.pdf")])
    assert missing.exit_code == 2 and "nope.pdf" in missing.output
