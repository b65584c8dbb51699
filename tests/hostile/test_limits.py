"""Each limit on hostile input gives its own per-file error, and the rest of the upload is read.

Every upload goes through the real readers (`expand_bytes` then `read_item`) inside the
per-file guard, so a regression that hangs or explodes fails here instead of stalling CI.
"""

from __future__ import annotations

import random
import zipfile
from collections.abc import Callable

import pytest
from fuzz import seeds
from fuzz.harness import FILE_MEMORY, read_upload, run_one, verdict

from extractors.errors import FileErrorCode
from extractors.limits import Limits
from extractors.vocabulary import FileText
from hostile import builders
from intake.jobs.guard import GuardLimits, Outcome, run_guarded

_MiB = 1024 * 1024
GOOD = seeds.text_pdf()


def read(name: str, data: bytes, limits: Limits | None = None) -> dict[str, FileText]:
    result = run_one(name, data, limits or Limits())
    assert verdict(name, result) == []
    return {ft.file: ft for ft in (FileText.model_validate(r) for r in result.value or [])}


def assert_rejected(ft: FileText, code: FileErrorCode, *reason: str) -> None:
    assert ft.status == "error" and ft.error is not None, ft
    assert ft.error.code is code, ft.error
    message = ft.error.message
    assert ft.file.rsplit("/", 1)[-1] in message, "the message names the file"
    for word in reason:
        assert word in message.lower(), f"{word!r} not in {message!r}"
    assert "LABORATORY" not in message and "Platelets" not in message, "no document text"


def assert_read(ft: FileText) -> None:
    assert ft.status == "ok", ft.error
    assert "LABORATORY RESULTS" in ft.pages[0].text


def noise(n: int, seed: int = 7) -> bytes:
    return random.Random(seed).randbytes(n)


# --- sizes ---------------------------------------------------------------------------------


def test_upload_over_the_size_limit() -> None:
    files = read("huge.pdf", GOOD + b"%" + b"0" * (2 * _MiB), Limits(max_file_bytes=_MiB))
    assert_rejected(files["huge.pdf"], FileErrorCode.TOO_LARGE, "size limit")


def test_email_over_the_size_limit() -> None:
    files = read("big.eml", builders.eml_huge_body(3), Limits(max_file_bytes=2 * _MiB))
    assert_rejected(files["big.eml"], FileErrorCode.TOO_LARGE, "size limit")


def test_unpacked_total_over_the_limit_keeps_earlier_members() -> None:
    upload = builders.zip_of(
        {"ok.pdf": GOOD, "a.bin": noise(1536 * 1024, 1), "b.bin": noise(1536 * 1024, 2)},
        zipfile.ZIP_STORED,
    )
    files = read("parts.zip", upload, Limits(max_total_bytes=2 * _MiB))
    assert_read(files["parts.zip/ok.pdf"])
    assert_rejected(files["parts.zip/b.bin"], FileErrorCode.TOO_LARGE, "limit")


def test_email_attachment_over_the_unpacked_limit() -> None:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["Subject"] = "records"
    msg.set_content("attached")
    msg.add_attachment(GOOD, maintype="application", subtype="pdf", filename="ok.pdf")
    msg.add_attachment(noise(2 * _MiB), maintype="application", subtype="pdf", filename="big.pdf")
    files = read("mail.eml", msg.as_bytes(), Limits(max_total_bytes=_MiB))
    assert_read(files["mail.eml/ok.pdf"])
    assert_rejected(files["mail.eml/big.pdf"], FileErrorCode.TOO_LARGE, "size limit")


# --- archives ------------------------------------------------------------------------------


def test_zip_bomb_is_stopped_by_the_ratio_limit_and_its_sibling_read() -> None:
    result = run_one("bomb.zip", builders.zip_bomb(64))
    assert verdict("bomb.zip", result) == []
    files = {ft["file"]: FileText.model_validate(ft) for ft in result.value or []}
    assert_rejected(files["bomb.zip/records/labs.pdf"], FileErrorCode.TOO_LARGE, "ratio")
    assert_read(files["bomb.zip/records/ok.pdf"])
    # Stopped early: it never holds the 64 MiB it would inflate to.
    assert (result.peak_growth_bytes or 0) < 48 * _MiB


def test_zip_with_lying_sizes_is_not_trusted() -> None:
    files = read("lying.zip", builders.zip_lying_sizes())
    ft = files["lying.zip/small.pdf"]
    assert ft.status == "error" and ft.error is not None
    assert ft.error.code in (FileErrorCode.CORRUPT, FileErrorCode.TOO_LARGE)


def test_too_many_zip_members() -> None:
    files = read("many.zip", builders.zip_many_members(1001))
    assert_rejected(files["many.zip"], FileErrorCode.TOO_LARGE, "1001 files", "limit")


def test_nesting_deeper_than_the_limit_keeps_shallow_files() -> None:
    upload = builders.zip_of({"deep.zip": builders.nested_zip(1), "ok.pdf": GOOD})
    files = read("n.zip", upload)
    assert_rejected(files["n.zip/deep.zip/level0.zip"], FileErrorCode.TOO_LARGE, "nested")
    assert_read(files["n.zip/ok.pdf"])


def test_path_traversal_names_are_blocked() -> None:
    result = run_one("t.zip", builders.zip_traversal())
    assert verdict("t.zip", result) == []
    fts = [FileText.model_validate(r) for r in result.value or []]
    blocked = [ft for ft in fts if ft.status == "error"]
    assert len(blocked) == 4
    for ft in blocked:
        assert_rejected(ft, FileErrorCode.UNSUPPORTED, "outside the archive")
    for ft in fts:
        assert ".." not in ft.file.split("/") and not ft.file.startswith("/")
        assert "\\" not in ft.file
    assert_read(next(ft for ft in fts if ft.file == "t.zip/records/ok.pdf"))


def test_zip_member_with_a_corrupt_deflate_stream_is_a_per_file_error() -> None:
    good = builders.zip_of({"ok.pdf": GOOD})
    damaged = bytearray(builders.zip_of({"bad.pdf": GOOD}))
    damaged[60] ^= 0xFF  # inside the deflate stream of the only member
    damaged[80] ^= 0x10
    upload = builders.zip_of({"a.zip": bytes(damaged), "b.zip": good}, zipfile.ZIP_STORED)
    files = read("u.zip", upload)
    assert_rejected(files["u.zip/a.zip/bad.pdf"], FileErrorCode.CORRUPT)
    assert_read(files["u.zip/b.zip/ok.pdf"])


def test_zip_needing_a_newer_format_version_is_a_per_file_error() -> None:
    # zipfile raises NotImplementedError for it, from the content sniffer and the unpacker.
    upload = builders.zip_of(
        {"future.zip": builders.zip_future_version(), "ok.pdf": GOOD}, zipfile.ZIP_STORED
    )
    files = read("u.zip", upload)
    assert_read(files["u.zip/ok.pdf"])
    future = [ft for name, ft in files.items() if name.startswith("u.zip/future.zip")]
    assert len(future) == 1
    assert_rejected(future[0], future[0].error.code if future[0].error else FileErrorCode.CORRUPT)


def test_zip_member_with_an_empty_name_is_a_per_file_error() -> None:
    # ZipInfo.is_dir() indexes the last character of the name: IndexError for "".
    files = read("noname.zip", builders.zip_empty_member_name())
    assert_read(files["noname.zip/ok.pdf"])


def test_empty_and_unsupported_members_beside_a_good_one() -> None:
    upload = builders.zip_of(
        {"empty.pdf": b"", "tool.exe": b"MZ\x90\x00" + noise(3000), "ok.pdf": GOOD}
    )
    files = read("misc.zip", upload)
    assert_rejected(files["misc.zip/empty.pdf"], FileErrorCode.EMPTY, "empty")
    assert_rejected(files["misc.zip/tool.exe"], FileErrorCode.UNSUPPORTED, "not a format")
    assert_read(files["misc.zip/ok.pdf"])


# --- email ---------------------------------------------------------------------------------


def test_attachment_with_invalid_base64_is_reported_not_read_as_text() -> None:
    files = read("cut.eml", builders.eml_unterminated_multipart())
    assert_rejected(files["cut.eml/labs.pdf"], FileErrorCode.CORRUPT, "decoded")


def test_email_with_too_many_attachments() -> None:
    files = read("m.eml", builders.eml_many_parts(25), Limits(max_members=20))
    assert_rejected(files["m.eml"], FileErrorCode.TOO_LARGE, "attachments")
    assert files["m.eml/body.txt"].status == "ok"


def test_forwarded_emails_nested_past_the_limit() -> None:
    files = read("f.eml", builders.eml_nested(3))
    deep = [ft for ft in files.values() if ft.status == "error"]
    assert len(deep) == 1
    assert_rejected(deep[0], FileErrorCode.TOO_LARGE, "nested")
    assert files["f.eml/body.txt"].status == "ok"


def test_deeply_nested_multipart_email_is_a_per_file_error() -> None:
    # 500 levels of multipart with a forwarded message every other level: Python's email
    # generator recurses once per level when a forwarded part is turned back into bytes.
    upload = builders.zip_of(
        {"deep.eml": builders.eml_deep_multipart(500, forwarded_every=2), "ok.pdf": GOOD}
    )
    files = read("mail.zip", upload)
    assert_read(files["mail.zip/ok.pdf"])
    deep = [ft for name, ft in files.items() if name.startswith("mail.zip/deep.eml")]
    assert deep, "the email itself must come back, read or rejected"
    for ft in deep:
        if ft.status == "error":
            assert_rejected(ft, ft.error.code if ft.error else FileErrorCode.CORRUPT)


def test_forwarded_message_with_a_mangled_boundary_keeps_the_other_attachments() -> None:
    # Turning the forwarded part back into bytes raises UnicodeEncodeError (found by fuzzing).
    files = read("fwd.eml", builders.eml_forwarded_with_8bit_boundary())
    assert_read(files["fwd.eml/ok.pdf"])


# --- images and pages ----------------------------------------------------------------------


def test_decompression_bomb_png_beside_a_good_file() -> None:
    upload = builders.zip_of({"big.png": builders.png_declared(30000, 30000), "ok.pdf": GOOD})
    files = read("p.zip", upload)
    assert_rejected(files["p.zip/big.png"], FileErrorCode.TOO_LARGE, "pixels")
    assert_read(files["p.zip/ok.pdf"])


def test_jpeg_declaring_huge_dimensions() -> None:
    files = read("big.jpg", builders.jpeg_declared(65000, 65000))
    assert_rejected(files["big.jpg"], FileErrorCode.TOO_LARGE, "pixels")


def test_tiff_declaring_huge_dimensions() -> None:
    files = read("td.tif", builders.tiff_declared(100_000, 100_000))
    assert_rejected(files["td.tif"], FileErrorCode.TOO_LARGE, "pixels")


def test_tiff_with_more_frames_than_the_page_limit() -> None:
    files = read("frames.tif", builders.tiff_many_frames(2001))
    assert_rejected(files["frames.tif"], FileErrorCode.TOO_LARGE, "2001 frames", "limit")


def test_many_blank_frames_under_the_page_limit_do_not_stall_the_file() -> None:
    # 100 blank 16x16 frames (50 KB) are within the 2000-page limit; reading them must not
    # take minutes (each frame sent to tesseract costs about a second), or one small upload
    # holds a worker hostage. 20 s is far beyond any sane reading of 50 KB of nothing.
    result = run_guarded(
        read_upload,
        "frames.tif",
        builders.tiff_many_frames(100),
        Limits(),
        limits=GuardLimits(timeout_s=20.0, memory_bytes=FILE_MEMORY),
    )
    assert result.outcome is not Outcome.TIMEOUT, "no per-file time limit: still reading at 20 s"
    assert verdict("frames.tif", result) == []


def test_many_speck_frames_do_not_stall_the_file() -> None:
    # Not blank (one dark dot each) but nothing to read: must not cost a tesseract run apiece.
    result = run_guarded(
        read_upload, "specks.tif", builders.tiff_many_frames(100, speck=True), Limits(),
        limits=GuardLimits(timeout_s=20.0, memory_bytes=FILE_MEMORY),
    )  # fmt: skip
    assert result.outcome is not Outcome.TIMEOUT, "still reading 100 specks at 20 s"
    assert verdict("specks.tif", result) == []


def test_pdf_with_more_pages_than_the_limit() -> None:
    files = read("long.pdf", builders.pdf_pages(2001))
    assert_rejected(files["long.pdf"], FileErrorCode.TOO_LARGE, "2001 pages", "limit")


def test_pdf_image_declaring_billions_of_pixels() -> None:
    files = read("bomb.pdf", builders.pdf_image_bomb())
    assert_rejected(files["bomb.pdf"], FileErrorCode.TOO_LARGE, "pixel limit")


def test_giant_blank_pdf_page_is_not_rendered_at_full_size() -> None:
    result = run_one("poster.pdf", builders.pdf_huge_page())
    assert verdict("poster.pdf", result) == []
    assert (result.peak_growth_bytes or 0) < 600 * _MiB


# --- damaged formats -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "code", "reason"),
    [
        ("locked.pdf", builders.pdf_encrypted, FileErrorCode.ENCRYPTED, "password"),
        ("trunc.pdf", lambda: GOOD[: len(GOOD) // 2], FileErrorCode.CORRUPT, "truncated"),
        ("broken.docx", builders.docx_broken_xml, FileErrorCode.CORRUPT, "damaged"),
        ("laughs.docx", builders.docx_entity_bomb, FileErrorCode.CORRUPT, "damaged"),
        ("nz.docx", builders.docx_not_a_zip, FileErrorCode.CORRUPT, "damaged"),
        ("empty.pdf", lambda: b"", FileErrorCode.EMPTY, "empty"),
    ],
)
def test_damaged_file_gets_its_own_error(
    name: str, make: Callable[[], bytes], code: FileErrorCode, reason: str
) -> None:
    files = read(name, make())
    assert_rejected(files[name], code, reason)


def test_one_upload_of_many_bad_files_still_reads_the_good_ones() -> None:
    upload = builders.zip_of(
        {
            "a/locked.pdf": builders.pdf_encrypted(),
            "a/bomb.png": builders.png_declared(40000, 40000),
            "a/broken.docx": builders.docx_broken_xml(),
            "a/frames.tif": builders.tiff_many_frames(2001),
            "a/inner.zip": builders.zip_traversal(),
            "b/ok.pdf": GOOD,
            "b/letter.docx": seeds.docx_file(),
        }
    )
    files = read("mixed.zip", upload)
    assert_read(files["mixed.zip/b/ok.pdf"])
    assert_read(files["mixed.zip/b/letter.docx"])
    assert_read(files["mixed.zip/a/inner.zip/records/ok.pdf"])
    bad = {f for f, ft in files.items() if ft.status == "error"}
    assert {
        "mixed.zip/a/locked.pdf",
        "mixed.zip/a/bomb.png",
        "mixed.zip/a/broken.docx",
        "mixed.zip/a/frames.tif",
    } <= bad
