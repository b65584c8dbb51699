"""Outlook .msg e-mails: how hospital staff save a referral. Body, attachments (also a
forwarded message inside), and the container limits, on messages laid out as MS-OXMSG
describes and written by extract-msg's own OLE writer (tests/reading/msg_files.py).
"""

from __future__ import annotations

import io
import zipfile

from fuzz import seeds

from extractors.limits import Limits
from extractors.outlook import MAX_NESTED
from extractors.pages import read_item
from extractors.sniff import Kind, sniff
from extractors.sources import expand_bytes

from .msg_files import Attachment, Message, build

BODY = "Dear colleague,\r\nplease find Mr Müller's pathology and labs attached.\r\nRegards"


def _read(name: str, data: bytes, limits: Limits | None = None) -> list[tuple[str, str, str]]:
    out = []
    for item in expand_bytes(name, data, limits or Limits()):
        ft = read_item(item)
        text = "\n".join(p.text for p in ft.pages)
        out.append(
            (
                ft.file,
                ft.error.code if ft.error else ft.status,
                ft.error.message if ft.error else text,
            )
        )
    return out


def referral() -> bytes:
    forwarded = Message(
        subject="Fwd: outside labs",
        body="Forwarded: Hämoglobin 12,1 g/dl",
        attachments=[Attachment("outside.pdf", seeds.text_pdf())],
    )
    return build(
        Message(
            subject="Referral",
            body=BODY,
            attachments=[
                Attachment("labs.pdf", seeds.text_pdf()),
                Attachment("scan.png", seeds.png()),
                Attachment("Fwd outside labs.msg", embedded=forwarded),
            ],
        )
    )


def test_msg_body_attachments_and_forwarded_message_are_read() -> None:
    data = referral()
    assert sniff(data) is Kind.MSG
    results = _read("referral.msg", data)
    assert [(n, s) for n, s, _ in results] == [
        ("referral.msg/body.txt", "ok"),
        ("referral.msg/labs.pdf", "ok"),
        ("referral.msg/scan.png", "ok"),
        ("referral.msg/Fwd outside labs.msg/body.txt", "ok"),
        ("referral.msg/Fwd outside labs.msg/outside.pdf", "ok"),
    ]
    texts = [t for _, _, t in results]
    assert texts[0] == BODY.replace("\r\n", "\n")
    assert "Platelets 182" in texts[1]
    assert "LABORATORY" in texts[2]  # real tesseract on the attached image
    assert texts[3] == "Forwarded: Hämoglobin 12,1 g/dl"
    assert "Platelets 182" in texts[4]


def test_msg_with_only_an_html_body() -> None:
    html = "<html><body><p>Referral for <b>Mrs Núñez</b></p><p>HIV: negative</p></body></html>"
    [(name, status, text)] = _read("html.msg", build(Message(subject="Referral", html=html)))
    assert (name, status) == ("html.msg/body.txt", "ok")
    assert text.split("\n") == ["Referral for Mrs Núñez", "", "HIV: negative"]


def test_msg_with_only_a_rich_text_body() -> None:
    # Outlook's rich-text format: the body is compressed RTF that wraps no HTML.
    rtf = b"{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\f0 Referral for Mr M\\'fcller\\par HIV: negative\\par}"
    [(name, status, text)] = _read("rich.msg", build(Message(subject="Referral", rtf=rtf)))
    assert (name, status) == ("rich.msg/body.txt", "ok")
    assert text.split("\n") == ["Referral for Mr Müller", "HIV: negative"]


def test_msg_whose_only_content_is_an_attachment() -> None:
    data = build(Message(subject="Scan", attachments=[Attachment("scan.pdf", seeds.text_pdf())]))
    assert [(n, s) for n, s, _ in _read("scan.msg", data)] == [("scan.msg/scan.pdf", "ok")]


def test_msg_inside_a_zip_is_unpacked() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("mail/referral.msg", referral())
    names = [n for n, s, _ in _read("upload.zip", buf.getvalue()) if s == "ok"]
    assert "upload.zip/mail/referral.msg/labs.pdf" in names


def _refused(results: list[tuple[str, str, str]], code: str, file: str) -> None:
    found = [(n, s, m) for n, s, m in results if s == code]
    assert found, results
    name, _, message = found[0]
    assert name == file and message.startswith(file)
    for secret in ("Müller", "Hämoglobin", "pathology"):
        assert secret not in message


def test_damaged_msg_is_corrupt_with_its_name() -> None:
    data = referral()
    _refused(_read("cut.msg", data[: len(data) // 3]), "corrupt", "cut.msg")
    empty = build(Message(subject="nothing"))
    _refused(_read("empty.msg", empty), "empty", "empty.msg")


def test_msg_limits_members_bytes_and_nesting() -> None:
    many = build(
        Message(
            subject="many",
            attachments=[Attachment(f"p{i}.pdf", seeds.text_pdf()) for i in range(6)],
        )
    )
    _refused(_read("many.msg", many, Limits(max_members=3)), "too_large", "many.msg")
    _refused(_read("big.msg", many, Limits(max_total_bytes=5000)), "too_large", "big.msg/p2.pdf")
    deep = Message(subject="0", body="innermost")
    for level in range(MAX_NESTED + 1):
        deep = Message(
            subject=str(level + 1), attachments=[Attachment(f"m{level}.msg", embedded=deep)]
        )
    results = _read("deep.msg", build(deep))
    assert any(s == "corrupt" and "nested too deep" in m for _, s, m in results), results
    assert not any(s == "ok" for _, s, _ in results)


def test_word_and_outlook_files_are_told_apart(tmp_path: object) -> None:
    from . import letter_files as lf

    exe = lf.soffice()
    assert sniff(referral()) is Kind.MSG
    if exe is not None:
        from pathlib import Path

        doc = lf.convert(exe, Path(str(tmp_path)), lf.source_docx(), ("doc",))["doc"]
        assert sniff(doc) is Kind.DOC
