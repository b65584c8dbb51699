"""The readers of the newer formats log nothing of a document's text, even at DEBUG:
extract-msg, RTFDE, olefile, charset-normalizer, striprtf and catdoc all see it."""

from __future__ import annotations

import logging

import pytest
from reading import letter_files as lf
from reading.msg_files import Attachment, Message, build

from extractors.pages import read_item
from extractors.sources import expand_bytes

SECRETS = ("Müller", "Jürgen", "448812", "Hämoglobin")


def _uploads() -> dict[str, bytes]:
    rtf = b"{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 Patient: M\\'fcller, J\\'fcrgen 448812\\par}"
    files = {
        "letter.odt": lf.odfpy_odt(),
        "letter.rtf": rtf,
        "export.txt": "Patient: Müller, Jürgen 448812\r\nHämoglobin 12,1".encode("cp1252"),
        "saved.eml": (
            "From: a@example.org\r\nSubject: Müller 448812\r\n\r\nHämoglobin 12,1"
        ).encode("utf-16"),
        "referral.msg": build(
            Message(
                subject="Referral Müller 448812",
                body="Patient: Müller, Jürgen",
                rtf=rtf,
                attachments=[
                    Attachment("notes.rtf", rtf),
                    Attachment("letter.odt", lf.odfpy_odt()),
                ],
            )
        ),
    }
    exe = lf.soffice()
    if exe is not None:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as tmp:
            files["letter.doc"] = lf.convert(exe, Path(tmp), lf.source_docx(), ("doc",))["doc"]
    return files


def test_new_format_readers_log_no_document_text(caplog: pytest.LogCaptureFixture) -> None:
    uploads = _uploads()
    with caplog.at_level(logging.DEBUG):
        logging.getLogger().setLevel(logging.DEBUG)
        texts = []
        for name, data in uploads.items():
            for item in expand_bytes(name, data):
                ft = read_item(item)
                assert ft.status == "ok", (item.name, ft.error)
                texts.append("\n".join(p.text for p in ft.pages))
    # The secrets were read (so the readers saw them) ...
    assert sum("Müller" in t for t in texts) >= len(uploads)
    # ... and none reached a log line.
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert [s for s in SECRETS if s in logged] == []
