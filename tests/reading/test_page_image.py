"""Scans finer than 400 dpi are read at 300 dpi, decoded small; others go to tesseract as they are."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from extractors.page_image import OCR_DPI, open_for_ocr
from extractors.page_job import PageJob
from extractors.pages import read_item
from extractors.sources import expand_bytes
from tests.reading.builders import image_bytes, page_image, scan_pdf

LINES = [
    "SURGICAL PATHOLOGY REPORT",
    "Specimen: left axillary lymph node, core biopsy",
    "Diagnosis: diffuse large B-cell lymphoma",
    "CD20 positive, Ki-67 about 80 percent",
]


def _colour_scan(scale: int) -> Image.Image:
    """A colour page of the lines, `scale` times the pixels of a 150 dpi page."""
    gray = page_image(LINES, size=30 * scale, width=1200 * scale)
    return Image.merge("RGB", [gray, gray, gray.point(lambda v: min(255, v + 12))])


def test_a_600_dpi_colour_jpeg_is_decoded_gray_at_300_dpi() -> None:
    jpeg = image_bytes(_colour_scan(4), "JPEG", quality=90)
    job = PageJob(
        file="s.pdf", number=1, image=jpeg, image_suffix=".jpg", dpi=600, passthrough=True
    )
    with open_for_ocr(job) as page:
        assert page.image.mode == "L"
        assert page.dpi == OCR_DPI
        assert page.image.width == 1200 * 4 // 2
        # Tesseract must read the pixels we measured, not the 600 dpi file.
        assert page.encoded is None


def test_a_300_dpi_scan_goes_to_tesseract_untouched() -> None:
    jpeg = image_bytes(_colour_scan(2), "JPEG", quality=90)
    job = PageJob(
        file="s.pdf", number=1, image=jpeg, image_suffix=".jpg", dpi=300, passthrough=True
    )
    with open_for_ocr(job) as page:
        assert (page.image.mode, page.dpi, page.image.width) == ("L", 300, 2400)
        assert page.encoded == jpeg


def test_a_1200_dpi_png_is_reduced_to_300_dpi() -> None:
    png = image_bytes(page_image(LINES, size=240, width=9600), "PNG")
    job = PageJob(file="s.png", number=1, image=png, dpi=1200)
    with open_for_ocr(job) as page:
        assert (page.dpi, page.image.width) == (300, 2400)


def test_a_600_dpi_scanned_pdf_reads_every_line(tmp_path: Path) -> None:
    pdf = scan_pdf([_colour_scan(4)], tmp_path, dpi=600)
    (item,) = expand_bytes("scan600.pdf", pdf)
    text = read_item(item).pages[0].text
    for line in LINES:
        assert line in text


def test_a_poster_sized_scan_is_read_within_the_pixel_cap(tmp_path: Path) -> None:
    """A 27 x 27 inch sheet at 300 dpi (64 MP) is read at under 40 MP, its ink measured at 4."""
    from extractors.page_image import MAX_OCR_PIXELS
    from extractors.page_ink import WORK_MAX_PIXELS, page_ink

    sheet = Image.new("L", (8000, 8000), 255)
    sheet.paste(page_image(LINES, size=60, width=2600), (400, 400))
    jpeg = image_bytes(sheet, "JPEG", quality=85)
    job = PageJob(
        file="p.pdf", number=1, image=jpeg, image_suffix=".jpg", dpi=300, passthrough=True
    )
    with open_for_ocr(job) as page:
        assert page.image.width * page.image.height <= MAX_OCR_PIXELS
        assert page.encoded is None and page.dpi < 300
        ink = page_ink(page.image, page.dpi)
        assert ink.small.width * ink.small.height <= WORK_MAX_PIXELS
    pdf = scan_pdf([sheet], tmp_path, dpi=300)
    (item,) = expand_bytes("poster.pdf", pdf)
    text = read_item(item).pages[0].text
    for line in LINES:
        assert line in text
