"""Image uploads: EXIF orientation, every TIFF frame, HEIC, bombs and broken files."""

from __future__ import annotations

import io
import logging
import struct
import zlib

import pillow_heif
import pytest
from PIL import Image

from extractors.errors import FileErrorCode
from extractors.ocr import is_blank
from extractors.pages import plan_pages, read_item
from extractors.sources import expand_bytes
from tests.reading import builders as b


def _read(name: str, data: bytes):
    [item] = list(expand_bytes(name, data))
    return read_item(item, ocr_parallel=True)


def test_exif_orientation_is_honoured_and_reported() -> None:
    # A phone stores the pixels sideways and an EXIF tag saying "turn 90 degrees clockwise".
    stored = b.page_image(b.ECHO_LINES).rotate(90, expand=True)
    exif = Image.Exif()
    exif[0x0112] = 6
    ft = _read(
        "IMG_0001.jpg",
        b.image_bytes(stored.convert("RGB"), "JPEG", exif=exif.tobytes(), quality=92),
    )
    [page] = ft.pages
    assert page.rotation == 90 and page.method == "ocr"
    assert "ejection fraction 55 percent" in page.text


def test_every_tiff_frame_is_a_page() -> None:
    frames = [b.page_image(b.ECHO_LINES).convert("1"), b.page_image(b.PATHOLOGY_LINES).convert("1")]
    data = b.image_bytes(
        frames[0],
        "TIFF",
        save_all=True,
        append_images=frames[1:],
        compression="group4",
        dpi=(200, 200),
    )
    ft = _read("fax.tif", data)
    assert [p.number for p in ft.pages] == [1, 2]
    assert "ECHOCARDIOGRAM" in ft.pages[0].text and "PATHOLOGY" in ft.pages[1].text


def test_standard_resolution_fax_is_stretched_to_square_pixels() -> None:
    page = b.page_image(b.ECHO_LINES).convert("1")
    squashed = page.resize((page.width, page.height // 2))
    [item] = list(
        expand_bytes(
            "fax.tif", b.image_bytes(squashed, "TIFF", compression="group4", dpi=(204, 98))
        )
    )
    [job] = plan_pages(item)
    with Image.open(io.BytesIO(job.image)) as img:
        assert abs(img.height - round(squashed.height * 204 / 98)) <= 1


def test_heic_photo_is_read() -> None:
    img = b.page_image(b.PATHOLOGY_LINES).convert("RGB")
    heif = pillow_heif.from_pillow(img)
    buf = io.BytesIO()
    heif.save(buf, quality=90)
    ft = _read("IMG_0002.HEIC", buf.getvalue())
    assert ft.status == "ok" and "lymph node biopsy" in ft.pages[0].text


def _png_declaring(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(bytes(64)))
        + chunk(b"IEND", b"")
    )


def test_decompression_bomb_and_broken_images_are_file_errors() -> None:
    bomb = _read("huge.png", _png_declaring(60000, 60000))
    assert bomb.status == "error" and bomb.error.code is FileErrorCode.TOO_LARGE
    jpeg = b.image_bytes(b.page_image(b.ECHO_LINES), "JPEG")
    cut = _read("cut.jpg", jpeg[: len(jpeg) // 3])
    assert cut.status == "error" and cut.error.code is FileErrorCode.CORRUPT
    assert cut.error.message.startswith("cut.jpg")


def test_blank_frames_skip_ocr_and_text_frames_are_still_read() -> None:
    blank = Image.new("1", (1100, 800), 1)
    text = b.page_image(b.ECHO_LINES).convert("1")
    frames = [blank] * 30 + [text]
    data = b.image_bytes(
        frames[0], "TIFF", save_all=True, append_images=frames[1:], compression="group4"
    )
    ft = _read("fax.tif", data)
    assert len(ft.pages) == 31 and all(p.text == "" for p in ft.pages[:30])
    assert "ejection fraction" in ft.pages[30].text


def test_specks_and_tiny_frames_are_not_sent_to_ocr() -> None:
    speck = Image.new("L", (1100, 800), 255)
    speck.putpixel((500, 400), 0)
    tiny = Image.new("L", (16, 16), 255)
    tiny.putpixel((8, 8), 0)
    assert is_blank(speck) and is_blank(tiny)
    assert not is_blank(b.page_image(["Page 2"]))


def test_exif_owner_text_never_reaches_the_logs(caplog: pytest.LogCaptureFixture) -> None:
    exif = Image.Exif()
    exif[0x013B] = "Margaret O'Neill MRN SMH-4410237"  # Artist
    data = b.image_bytes(b.page_image(b.ECHO_LINES).convert("RGB"), "JPEG", exif=exif.tobytes())
    with caplog.at_level(logging.DEBUG):
        logging.getLogger().setLevel(logging.DEBUG)
        ft = _read("IMG_0003.jpg", data)
    assert ft.status == "ok"
    assert "O'Neill" not in caplog.text and "SMH-4410237" not in caplog.text
