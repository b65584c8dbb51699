"""Sniffing, folder walking and container unpacking (zip, eml, docx), without OCR."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from extractors.errors import FileErrorCode
from extractors.limits import Limits
from extractors.pages import plan_pages, read_item
from extractors.sniff import Kind, sniff
from extractors.sources import expand, expand_bytes
from tests.reading import builders as b


def _one(name: str, data: bytes, limits: Limits | None = None) -> list:
    return list(expand_bytes(name, data, limits) if limits else expand_bytes(name, data))


def test_kind_comes_from_content_not_name() -> None:
    pdf = b.text_pdf([["Clinic note"]])
    jpeg = b.image_bytes(b.page_image(["x"]), "JPEG")
    assert sniff(pdf) is Kind.PDF
    assert sniff(jpeg) is Kind.IMAGE
    assert sniff(b"") is Kind.EMPTY and sniff(b"   \n") is Kind.EMPTY
    assert sniff(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(40)) is Kind.UNKNOWN
    assert sniff(b"Clinic note\nECOG 1\n") is Kind.TEXT
    assert sniff(b.docx_pages([["Referral letter"]])) is Kind.DOCX
    assert sniff(b.zip_of({"a.txt": b"hello"})) is Kind.ZIP
    # A zip whose first member is a stored PDF still is a zip.
    stored = io.BytesIO()
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as zf:
        zf.writestr("a.pdf", pdf)
    assert sniff(stored.getvalue()) is Kind.ZIP
    [item] = _one("scan.pdf", jpeg)
    assert item.kind == "image" and item.error is None


def test_bad_top_level_files_get_their_codes() -> None:
    cases = {
        "zero.pdf": (b"", FileErrorCode.EMPTY),
        "voicemail.wav": (b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(200), FileErrorCode.UNSUPPORTED),
        "old.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), FileErrorCode.UNSUPPORTED),
    }
    for name, (data, code) in cases.items():
        [item] = _one(name, data)
        assert item.data is None and item.error is not None and item.error.code is code
        assert item.error.message.startswith(name)


def test_zip_members_are_named_inside_their_archive_and_traversal_is_refused() -> None:
    pdf = b.text_pdf([["Echocardiogram: LVEF 55%"]])
    data = b.zip_of(
        {
            "docs/echo.pdf": pdf,
            "../../etc/passwd": b"root",
            "/abs/x.txt": b"text",
            "__MACOSX/._echo.pdf": b"junk",
        }
    )
    items = _one("referral.zip", data)
    by_name = {i.name: i for i in items}
    assert by_name["referral.zip/docs/echo.pdf"].kind == "pdf"
    refused = [i for i in items if i.error is not None]
    assert len(refused) == 2 and all(i.error.code is FileErrorCode.UNSUPPORTED for i in refused)
    assert all(".." not in i.name and "//" not in i.name for i in items)
    assert len(items) == 3  # macOS resource forks are not records


def test_zip_nesting_depth_two_is_read_three_is_refused() -> None:
    pdf = b.text_pdf([["Pathology"]])
    inner = b.zip_of({"p.pdf": pdf})
    two = _one("outer.zip", b.zip_of({"inner.zip": inner}))
    assert [i.name for i in two] == ["outer.zip/inner.zip/p.pdf"] and two[0].error is None
    three = _one("outer.zip", b.zip_of({"mid.zip": b.zip_of({"inner.zip": inner})}))
    assert len(three) == 1 and three[0].error is not None
    assert (
        three[0].error.code is FileErrorCode.TOO_LARGE
        and three[0].name == "outer.zip/mid.zip/inner.zip"
    )


def test_zip_bomb_members_and_counts_hit_limits_but_neighbours_survive() -> None:
    bomb = b.zip_of({"zeros.pdf": bytes(8 * 1024 * 1024), "ok.txt": b"Clinic note: ECOG 1"})
    items = _one("bomb.zip", bomb)
    codes = {i.name: (i.error.code if i.error else None) for i in items}
    assert codes == {"bomb.zip/zeros.pdf": FileErrorCode.TOO_LARGE, "bomb.zip/ok.txt": None}
    many = b.zip_of({f"n{i}.txt": b"note" for i in range(12)})
    [refused] = _one("many.zip", many, Limits(max_members=10))
    assert refused.error is not None and refused.error.code is FileErrorCode.TOO_LARGE
    [empty] = _one("empty.zip", b.zip_of({}))
    assert empty.error is not None and empty.error.code is FileErrorCode.EMPTY
    [broken] = _one("broken.zip", b.zip_of({"a.txt": b"x" * 5000})[:60])
    assert broken.error is not None and broken.error.code is FileErrorCode.CORRUPT


def test_eml_gives_body_and_attachments_including_nested_zip() -> None:
    pdf = b.text_pdf([["CT chest abdomen pelvis: no new lesions"]])
    eml = b.eml_with(
        "Please find the outside records attached.\nRegards, records office",
        {
            "ct.pdf": (pdf, "application/pdf"),
            "labs.zip": (b.zip_of({"cbc.txt": b"ANC 1500/uL"}), "application/zip"),
        },
    )
    items = _one("mail.eml", eml)
    assert [i.name for i in items] == [
        "mail.eml/body.txt",
        "mail.eml/ct.pdf",
        "mail.eml/labs.zip/cbc.txt",
    ]
    body = read_item(items[0])
    assert body.status == "ok" and "outside records attached" in body.pages[0].text
    assert body.pages[0].method == "text-layer"
    assert read_item(items[1]).pages[0].text.startswith("CT chest abdomen pelvis")


def test_docx_splits_on_page_breaks_and_keeps_tables() -> None:
    data = b.docx_pages(
        [["Referral letter", "Dear colleague,"], ["Second page: treatment history"]],
        table=[["Test", "Result"], ["LVEF", "55%"]],
        letterhead="St. Brendan Medical Center",
    )
    ft = read_item(_one("referral.docx", data)[0])
    assert ft.status == "ok" and len(ft.pages) == 2
    assert ft.pages[0].text.startswith("St. Brendan Medical Center\nReferral letter")
    assert "Dear colleague," in ft.pages[0].text and "LVEF\t55%" in ft.pages[0].text
    assert ft.pages[1].text == "Second page: treatment history"
    assert {p.method for p in ft.pages} == {"text-layer"}


def test_broken_docx_is_corrupt_not_a_crash() -> None:
    good = b.docx_pages([["Referral"]])
    src = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for info in src.infolist():
            data = src.read(info)
            zf.writestr(
                info, b"<w:document><unclosed" if info.filename == "word/document.xml" else data
            )
    ft = read_item(_one("letter.docx", out.getvalue())[0])
    assert ft.status == "error" and ft.error is not None and ft.error.code is FileErrorCode.CORRUPT
    assert ft.error.message.startswith("letter.docx")


def test_folder_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Clinic note")
    (tmp_path / "a.txt").write_text("Referral")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (tmp_path / "c.pdf").write_bytes(b"")
    names = [i.name for i in expand(tmp_path)]
    assert names == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "z.txt"),
        str(tmp_path / "c.pdf"),
    ]
    with pytest.raises(FileNotFoundError):
        list(expand(tmp_path / "missing"))


def test_text_files_split_on_form_feeds() -> None:
    jobs = plan_pages(_one("notes.txt", b"Page one\fPage two\f")[0])
    assert [(j.number, j.text) for j in jobs] == [(1, "Page one"), (2, "Page two")]


def test_html_only_email_body_becomes_plain_text_lines() -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = "portal@hospital.example"
    msg["To"] = "intake@center.example"
    msg["Subject"] = "Results"
    msg.set_content(
        "<html><head><style>p{color:red}</style></head><body><p>Hemoglobin 11.8 g/dL</p>"
        "<p>Platelets 96 K/uL</p></body></html>",
        subtype="html",
    )
    [item] = _one("portal.eml", msg.as_bytes())
    assert item.name == "portal.eml/body.txt"
    text = read_item(item).pages[0].text
    assert (
        text.splitlines() == ["Hemoglobin 11.8 g/dL", "", "Platelets 96 K/uL"]
        and "color" not in text
    )


def test_damaged_base64_attachment_is_corrupt_and_deep_mime_nesting_is_refused() -> None:
    good = b.eml_with("see attached", {"ok.pdf": (b.text_pdf([b.ECHO_LINES]), "application/pdf")})
    head, _, tail = good.partition(b'filename="ok.pdf"\nMIME-Version: 1.0\n\n')
    assert tail, "the attachment's headers as the email package writes them"
    broken = head + b'filename="ok.pdf"\nMIME-Version: 1.0\n\n!!not*base64!!\n' + tail
    items = {i.name: i for i in _one("mail.eml", broken)}
    assert items["mail.eml/ok.pdf"].error is not None
    assert items["mail.eml/ok.pdf"].error.code is FileErrorCode.CORRUPT
    body = b"Content-Type: text/plain\r\n\r\nsee below\r\n"
    for level in range(60):
        body = (
            b'Content-Type: multipart/mixed; boundary="b%d"\r\n\r\n--b%d\r\n' % (level, level)
            + body
            + b"\r\n--b%d--\r\n" % level
        )
    deep = b"From: a@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n" + body
    [item] = [i for i in _one("deep.eml", deep) if i.error is not None]
    assert item.error.code is FileErrorCode.TOO_LARGE and "nested" in item.error.message


def test_blocked_traversal_members_get_distinct_names() -> None:
    data = b.zip_of({"../a/evil.pdf": b"x", "..\\b\\evil.pdf": b"y", "ok.txt": b"Clinic note"})
    names = [i.name for i in _one("t.zip", data)]
    assert sorted(names) == ["t.zip/evil-2.pdf", "t.zip/evil.pdf", "t.zip/ok.txt"]
