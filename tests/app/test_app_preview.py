"""The coordinator's page preview (extractors.preview) on real uploads: drawn the way the
reader reads them (EXIF orientation, fax aspect, container members) and bound by the
reader's limits, so a page too large to draw gives no preview instead of a huge render."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from PIL import Image
from reportlab.pdfgen import canvas

from extractors.limits import Limits
from extractors.preview import PREVIEW_WIDTH, page_png

FORMATS = Path(__file__).resolve().parents[2] / "sample_docs" / "formats"


def _png(data: bytes | None) -> Image.Image:
    assert data is not None and data.startswith(b"\x89PNG")
    return Image.open(io.BytesIO(data))


def _pdf(width_pt: float, height_pt: float) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width_pt, height_pt))
    c.drawString(36, height_pt - 72, "Laboratory results: hemoglobin 12.0 g/dL")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_a_sideways_phone_photo_is_shown_upright() -> None:
    name = "photo_medication_list_sideways.jpg"
    data = (FORMATS / name).read_bytes()
    stored = Image.open(io.BytesIO(data))
    assert stored.width > stored.height and stored.getexif().get(0x0112) == 6
    shown = _png(page_png(name, data, "", 1))
    assert shown.height > shown.width and shown.width <= PREVIEW_WIDTH
    assert page_png(name, data, "", 2) is None


def test_fax_pages_and_pdf_pages_in_range_only() -> None:
    fax = (FORMATS / "fax_muga_and_cover.tif").read_bytes()
    assert _png(page_png("fax.tif", fax, "", 2)).width <= PREVIEW_WIDTH
    assert page_png("fax.tif", fax, "", 3) is None
    pdf = (FORMATS / "text_clinic_note_two_pages.pdf").read_bytes()
    assert _png(page_png("note.pdf", pdf, "", 2)).width == PREVIEW_WIDTH
    assert page_png("note.pdf", pdf, "", 0) is None and page_png("note.pdf", pdf, "", 3) is None


def test_container_members_and_files_without_pages() -> None:
    data = (FORMATS / "referral.zip").read_bytes()
    assert _png(page_png("referral.zip", data, "referral.zip/labs.pdf", 1)).width > 0
    assert page_png("referral.zip", data, "referral.zip/missing.pdf", 1) is None
    assert page_png("referral.zip", data, "", 1) is None  # a zip has no page of its own
    docx = (FORMATS / "referral_letter.docx").read_bytes()
    assert page_png("referral_letter.docx", docx, "", 1) is None
    for bad in ("bad_truncated.pdf", "bad_password_protected.pdf", "bad_zero_bytes.pdf"):
        assert page_png(bad, (FORMATS / bad).read_bytes(), "", 1) is None
    # Read by what the bytes are, as the reader does, not by the name.
    jpeg = (FORMATS / "bad_jpeg_named.pdf").read_bytes()
    assert _png(page_png("bad_jpeg_named.pdf", jpeg, "", 1)).width > 0


def test_a_page_or_image_over_the_reader_limits_gives_no_preview() -> None:
    # 200 x 200 inches: the reader refuses to draw it for OCR, so there is no preview either.
    huge = _pdf(14_400, 14_400)
    assert page_png("huge.pdf", huge, "", 1) is None
    # A page 1 inch wide and 200 inches tall: 1100 px wide would be ~220,000 px tall.
    ribbon = _pdf(72, 14_400)
    assert page_png("ribbon.pdf", ribbon, "", 1) is None
    letter = _pdf(612, 792)
    assert _png(page_png("letter.pdf", letter, "", 1)).width == PREVIEW_WIDTH
    assert page_png("letter.pdf", letter, "", 1, limits=Limits(max_render_pixels=500_000)) is None
    photo = (FORMATS / "photo_lab_results.jpg").read_bytes()
    assert page_png("photo.jpg", photo, "", 1) is not None
    assert page_png("photo.jpg", photo, "", 1, limits=Limits(max_image_pixels=1_000_000)) is None
    assert page_png("photo.jpg", photo, "", 1, limits=Limits(max_file_bytes=1000)) is None
    big_zip = io.BytesIO()
    with zipfile.ZipFile(big_zip, "w") as zf:
        zf.writestr("photo.jpg", photo)
    tight = Limits(max_image_pixels=1_000_000)
    assert page_png("up.zip", big_zip.getvalue(), "up.zip/photo.jpg", 1) is not None
    assert page_png("up.zip", big_zip.getvalue(), "up.zip/photo.jpg", 1, limits=tight) is None
