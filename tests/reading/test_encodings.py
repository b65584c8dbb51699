"""Text files and e-mails in the encodings they really come in, and attachment-only mail.

Peers' suites carry an e-mail saved as UTF-16, a Latin-1 text file and a message whose
only part is an image: we reported them unsupported, garbled or corrupt.
"""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from fuzz import seeds

from extractors.pages import read_item
from extractors.sniff import Kind, sniff
from extractors.sources import expand_bytes

# Invented words with the characters that encodings disagree on.
LETTER = (
    "Befund für Frau Müller, geb. 03.04.1961\n"
    "Hämoglobin 12,1 g/dl; Größe 1,62 m; Ödeme keine.\n"
    "Señora Núñez: café, naïve, façade."
)


def _read(name: str, data: bytes) -> list[tuple[str, str, str]]:
    out = []
    for item in expand_bytes(name, data):
        ft = read_item(item)
        text = "\n".join(p.text for p in ft.pages)
        out.append((ft.file, ft.status, text))
    return out


@pytest.mark.parametrize(
    "codec", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"]
)
def test_text_file_in_any_encoding_reads_exactly(codec: str) -> None:
    data = LETTER.replace("\n", "\r\n").encode(codec)
    assert sniff(data) is Kind.TEXT
    [(name, status, text)] = _read("letter.txt", data)
    assert (name, status) == ("letter.txt", "ok")
    assert text == LETTER


def test_chinese_text_in_gb18030_reads() -> None:
    note = "出院小结\n姓名：张三  住院号：20261002\n诊断：弥漫大B细胞淋巴瘤，血红蛋白 120 g/L，肝功能正常。"
    [(_, status, text)] = _read("note.txt", note.encode("gb18030"))
    assert status == "ok"
    assert text == note


def _mail(body: str | None = None) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "records@example.org"
    msg["To"] = "intake@example.org"
    msg["Subject"] = "Befund"
    if body is not None:
        msg.set_content(body)
    return msg


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le"])
def test_email_saved_as_utf16_reads_its_headers_and_body(codec: str) -> None:
    data = _mail(LETTER).as_string().encode(codec)
    assert sniff(data) is Kind.EML
    [(name, status, text)] = _read("referral.eml", data)
    assert (name, status) == ("referral.eml/body.txt", "ok")
    assert text.strip() == LETTER


@pytest.mark.parametrize(
    ("declared", "codec"),
    [("iso-8859-1", "latin-1"), (None, "cp1252"), ("utf-8", "cp1252"), ("windows-1252", "cp1252")],
)
def test_email_body_in_declared_or_detected_charset(declared: str | None, codec: str) -> None:
    # An 8-bit body as Windows clients send it: declared right, undeclared, or declared wrong.
    charset = f'; charset="{declared}"' if declared else ""
    head = (
        "From: records@example.org\r\nTo: intake@example.org\r\nSubject: Befund\r\n"
        f"MIME-Version: 1.0\r\nContent-Type: text/plain{charset}\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    data = head.encode("ascii") + LETTER.replace("\n", "\r\n").encode(codec)
    [(_, status, text)] = _read("mail.eml", data)
    assert status == "ok"
    assert text.replace("\r\n", "\n").strip() == LETTER


@pytest.mark.parametrize("named", [True, False])
def test_email_whose_only_part_is_an_image_is_read(named: bool) -> None:
    msg = _mail()
    msg.set_content(
        seeds.png(), maintype="image", subtype="png", filename="scan.png" if named else None
    )
    if not named:
        del msg["Content-Disposition"]
    [(name, status, text)] = _read("scan.eml", msg.as_bytes())
    assert status == "ok"
    assert name == ("scan.eml/scan.png" if named else "scan.eml/attachment-1")
    assert "LABORATORY" in text  # real tesseract on the attached image


def test_email_whose_only_part_is_a_pdf_is_read() -> None:
    msg = _mail()
    msg.set_content(seeds.text_pdf(), maintype="application", subtype="pdf", filename="labs.pdf")
    results = _read("labs.eml", msg.as_bytes())
    assert [(n, s) for n, s, _ in results] == [("labs.eml/labs.pdf", "ok")]
    assert "Platelets 182" in results[0][2]


@pytest.mark.parametrize("damage", ["unpadded", "stray", "overpadded"])
def test_attachment_with_sloppy_base64_is_still_read(damage: str) -> None:
    # Some scanners and mailers leave the padding off or let a stray character through.
    import base64

    encoded = base64.b64encode(seeds.png()).decode()
    assert encoded.endswith("=")  # the seed's length needs padding
    if damage == "unpadded":
        encoded = encoded.rstrip("=")
    elif damage == "stray":
        encoded = encoded[:40] + "*" + encoded[40:]
    else:
        encoded += "=="
    head = (
        "From: scanner@example.org\r\nTo: intake@example.org\r\nMIME-Version: 1.0\r\n"
        'Content-Type: image/png\r\nContent-Disposition: attachment; filename="scan.png"\r\n'
        "Content-Transfer-Encoding: base64\r\n\r\n"
    )
    lines = "\r\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    [(name, status, _)] = _read("scan.eml", (head + lines + "\r\n").encode("ascii"))
    assert name == "scan.eml/scan.png"
    assert status == "ok"


def test_binary_noise_is_still_not_text() -> None:
    import random

    noise = random.Random(7).randbytes(6000)
    assert sniff(noise) is Kind.UNKNOWN
