"""OpenDocument, RTF and Word 97-2003 letters, as LibreOffice and odfpy write them.

Peers' suites carry .odt and .doc files we refused as unsupported; a clinic's letters
also come as .rtf. Each must read with its table rows in order, accents intact and
its page breaks kept, and a bad one must come back as a per-file error.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from extractors.limits import Limits
from extractors.pages import read_item
from extractors.sniff import Kind, sniff
from extractors.sources import expand_bytes

from . import letter_files as lf


@pytest.fixture(scope="module")
def saved(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    exe = lf.soffice()
    if exe is None:
        pytest.skip("LibreOffice is not installed (scripts/bootstrap.sh --dev installs it)")
    return lf.convert(exe, tmp_path_factory.mktemp("lo"), lf.source_docx(), ("odt", "doc", "rtf"))


def _read(name: str, data: bytes, limits: Limits | None = None) -> tuple[str, list[str], str]:
    [item] = list(expand_bytes(name, data, limits or Limits()))
    ft = read_item(item, limits=limits or Limits())
    message = ft.error.message if ft.error else ""
    return ft.status if ft.error is None else ft.error.code, [p.text for p in ft.pages], message


def _assert_letter(pages: list[str], want_pages: int) -> None:
    text = "\n".join(pages)
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert lines[0] == lf.HEADING
    assert lf.NAME_LINE in lines
    for a, b in lf.TABLE:  # each row's cells, in order, on one line
        assert f"{a}\t{b}" in lines
    assert lines.index("Test\tResult") < lines.index("HIV\tNegative")
    assert lf.PAGE_TWO in lines
    assert len(pages) == want_pages
    if want_pages > 1:
        assert lf.PAGE_TWO in pages[-1] and lf.PAGE_TWO not in pages[0]


@pytest.mark.parametrize(("fmt", "kind", "pages"), [("odt", Kind.ODT, 2), ("rtf", Kind.RTF, 2)])
def test_libreoffice_letter_reads_with_its_pages(
    saved: dict[str, bytes], fmt: str, kind: Kind, pages: int
) -> None:
    data = saved[fmt]
    assert sniff(data) is kind
    status, texts, _ = _read(f"letter.{fmt}", data)
    assert status == "ok"
    _assert_letter(texts, pages)


def test_libreoffice_word97_doc_reads(saved: dict[str, bytes]) -> None:
    data = saved["doc"]
    assert sniff(data) is Kind.DOC
    status, texts, _ = _read("letter.doc", data)
    assert status == "ok"
    # catdoc does not mark the author's page breaks: a .doc reads as one page.
    _assert_letter(texts, 1)


def test_odfpy_letter_reads_with_its_page_break() -> None:
    data = lf.odfpy_odt()
    assert sniff(data) is Kind.ODT
    status, texts, _ = _read("letter.odt", data)
    assert status == "ok"
    _assert_letter(texts, 2)


def _rezip(data: bytes, replace: dict[str, bytes]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = replace.get(info.filename, src.read(info))
            out.writestr(
                info.filename,
                body,
                compress_type=zipfile.ZIP_STORED
                if info.filename == "mimetype"
                else zipfile.ZIP_DEFLATED,
            )
    return buf.getvalue()


def _refused(name: str, data: bytes, code: str, limits: Limits | None = None) -> None:
    status, texts, message = _read(name, data, limits)
    assert status == code, message
    assert texts == []
    assert message.startswith(name)
    for secret in ("Müller", "448812", "Hämoglobin"):
        assert secret not in message


def test_hostile_odt_shapes_are_refused() -> None:
    good = lf.odfpy_odt()
    bomb = b"<a>" + b" " * (40 << 20) + b"</a>"
    _refused("bomb.odt", _rezip(good, {"content.xml": bomb}), "too_large")
    entity = (
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]>'
        b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
        b"&e;</office:document-content>"
    )
    _refused("entity.odt", _rezip(good, {"content.xml": entity}), "unsupported")
    manifest = zipfile.ZipFile(io.BytesIO(good)).read("META-INF/manifest.xml")
    # How LibreOffice marks a password-protected part (its bytes are then ciphertext).
    entry = b'manifest:full-path="content.xml" manifest:media-type="text/xml"'
    locked = manifest.replace(
        entry + b"/>",
        entry
        + b'><manifest:encryption-data manifest:checksum-type="SHA1/1K"/></manifest:file-entry>',
    )
    assert locked != manifest
    _refused("locked.odt", _rezip(good, {"META-INF/manifest.xml": locked}), "encrypted")
    _refused("broken.odt", _rezip(good, {"content.xml": b"<office:document-content"}), "corrupt")


def test_hostile_rtf_and_doc_shapes_are_refused(saved: dict[str, bytes]) -> None:
    _refused("blank.rtf", b"{\\rtf1\\ansi {\\fonttbl{\\f0 Arial;}} }", "empty")
    small = Limits(max_xml_bytes=1000)
    _refused("big.rtf", saved["rtf"], "too_large", small)
    doc = saved["doc"]
    status, texts, message = _read("cut.doc", doc[: len(doc) // 2])
    assert status in ("corrupt", "unsupported", "ok")  # olefile may no longer call it Word
    if status != "ok":
        assert message.startswith("cut.doc") and "Müller" not in message
    _refused("zeros.doc", doc[:512] + b"\0" * (len(doc) - 512), "unsupported")


def test_rtf_in_its_declared_code_page() -> None:
    # A Central European letter declares cp1250: "ł" is \'b3 there, "³" in cp1252.
    rtf = b"{\\rtf1\\ansi\\ansicpg1250 {\\fonttbl{\\f0 Arial;}}\\f0 Pacjent: Micha\\'b3 \\'a3ukasz\\par}"
    status, texts, _ = _read("list.rtf", rtf)
    assert status == "ok"
    assert texts == ["Pacjent: Michał Łukasz"]


def test_sample_files_are_real_writers_output(saved: dict[str, bytes]) -> None:
    # The .doc is an OLE file with a WordDocument stream (Word 97-2003), the .rtf is RTF.
    import olefile

    with olefile.OleFileIO(saved["doc"]) as ole:
        assert ole.exists("WordDocument")
    assert saved["rtf"].startswith(b"{\\rtf1")


@pytest.mark.parametrize(
    ("shape", "data", "code"),
    [
        ("deep", b"{\\rtf1 " + b"{" * 200_000 + b"x" + b"}" * 200_000 + b"}", "ok"),
        ("unclosed", b"{\\rtf1 " + b"{\\*\\x " * 100_000 + b"hi", "empty"),
        ("overflow", b"{\\rtf1 \\u99999999999 hi}", "corrupt"),
    ],
)
def test_hostile_rtf_is_read_or_refused_not_crashed(shape: str, data: bytes, code: str) -> None:
    status, _, message = _read(f"{shape}.rtf", data)
    assert status == code, message


def test_word_reader_runs_under_its_memory_cap(
    saved: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The cap is real: with 2 MB of address space catdoc cannot even start, and the file is
    # refused with its name instead of the worker running out of memory.
    from extractors import letters

    monkeypatch.setattr(letters, "_CAPPED", 'ulimit -v 2048 && exec "$0" "$@"')
    status, texts, message = _read("letter.doc", saved["doc"])
    assert status in ("too_large", "corrupt") and texts == []
    assert message.startswith("letter.doc") and "Müller" not in message
