"""PDF pages as jobs: the text layer where it holds real text, an image for OCR otherwise.

Decided page by page, so a packet of typed letters with a scanned lab sheet in the
middle reads each page the right way. A page that is one full-page scan is OCR'd
from its embedded image at the scanner's own resolution (re-rendering a 200 dpi scan
at 300 dpi only makes tesseract slower); any other page is rendered at 300 dpi.
"""

from __future__ import annotations

import io
import math
import unicodedata
from collections.abc import Iterator
from dataclasses import replace

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from extractors.errors import FileErrorCode, FileRejected
from extractors.images import to_gray
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.page_image import MAX_OCR_PIXELS
from extractors.page_job import PageJob

RENDER_DPI = 300
# Fewer letters/digits than this on a page is not a text layer worth trusting.
_MIN_TEXT_CHARS = 20
# A text layer this long beside a full-page image is an OCR'd scan ("sandwich" PDF).
_SANDWICH_TEXT_CHARS = 150
# Share of the page an image must cover to count as a scan of it.
_SCAN_COVER = 0.5
_FULL_PAGE_COVER = 0.85
_SIMPLE_FILTERS = {"ASCIIHexDecode", "ASCII85Decode", "RunLengthDecode", "FlateDecode", "LZWDecode"}
# The end-of-file marker must sit this close to the end; further in, the file was cut short.
_EOF_WINDOW = 8192


def open_pdf(name: str, data: bytes) -> pdfium.PdfDocument:
    tail = data[-_EOF_WINDOW:].rstrip(b"\x00\r\n\t \x0c")
    if b"%%EOF" not in tail:
        raise FileRejected(
            FileErrorCode.CORRUPT, f"{name}: PDF is truncated (no end-of-file marker)"
        )
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
            raise FileRejected(
                FileErrorCode.ENCRYPTED, f"{name}: PDF is password-protected"
            ) from exc
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: PDF structure is damaged") from exc
    return doc


def text_quality(text: str) -> tuple[int, float]:
    """(letters and digits, share of junk characters) of a text layer."""
    letters = sum(1 for ch in text if ch.isalnum())
    junk = sum(
        1
        for ch in text
        if ch == "\ufffd" or unicodedata.category(ch) in ("Co", "Cc") and ch not in "\n\t\r\f"
    )
    return letters, junk / max(len(text), 1)


def plan_pdf(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[PageJob]:
    return list(iter_pdf_jobs(name, data, limits))


def iter_pdf_jobs(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Iterator[PageJob]:
    """Page jobs one at a time, so a long scanned PDF never holds every page image at once."""
    doc = open_pdf(name, data)
    try:
        count = len(doc)
        if count == 0:
            raise FileRejected(FileErrorCode.EMPTY, f"{name}: PDF has no pages")
        if count > limits.max_pages:
            raise FileRejected(
                FileErrorCode.TOO_LARGE,
                f"{name}: PDF has {count} pages, over the limit of {limits.max_pages}",
            )
        for index in range(count):
            try:
                page = doc[index]
            except pdfium.PdfiumError as exc:
                raise FileRejected(
                    FileErrorCode.CORRUPT, f"{name}: page {index + 1} is damaged"
                ) from exc
            try:
                job = _plan_page(name, index + 1, page, limits)
            finally:
                page.close()
            yield job
    finally:
        doc.close()


def _page_text(page: pdfium.PdfPage) -> str:
    textpage = page.get_textpage()
    try:
        # pypdfium2 ships no types: say what it returns.
        text: str = textpage.get_text_range()
    finally:
        textpage.close()
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x02", "-")


def _plan_page(name: str, number: int, page: pdfium.PdfPage, limits: Limits) -> PageJob:
    text = _page_text(page)
    letters, junk = text_quality(text)
    width, height = page.get_size()
    page_area = max(width * height, 1.0)
    images = list(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
    refuse_image_bombs(name, number, images, limits)
    covers = [_cover(img, page_area) for img in images]
    scanned = any(c >= _SCAN_COVER for c in covers)
    good_text = letters >= _MIN_TEXT_CHARS and junk <= 0.05
    if good_text and not (scanned and letters < _SANDWICH_TEXT_CHARS):
        return PageJob(file=name, number=number, text=text.strip())
    if not images and (letters >= _MIN_TEXT_CHARS or not _has_drawing(page)):
        # Short or blank typed page with nothing drawn: the text layer is all there is.
        return PageJob(file=name, number=number, text=text.strip())
    if len(images) == 1 and covers[0] >= _FULL_PAGE_COVER:
        job = _native_image_job(name, number, images[0], limits)
        if job is not None:
            stamp = text.strip() if letters and junk <= 0.05 else ""
            return replace(job, text_layer=stamp)
    return _render_job(name, number, page, limits)


def refuse_image_bombs(
    name: str, number: int, images: list[pdfium.PdfImage], limits: Limits
) -> None:
    """An image declaring billions of pixels would be decoded whole by any renderer."""
    for img in images:
        try:
            w, h = img.get_px_size()
        except pdfium.PdfiumError:
            continue
        if w * h > limits.max_image_pixels:
            raise FileRejected(
                FileErrorCode.TOO_LARGE,
                f"{name}: page {number} holds an image over the pixel limit",
            )


def _cover(img: pdfium.PdfImage, page_area: float) -> float:
    try:
        bounds: tuple[float, float, float, float] = img.get_bounds()
    except (pdfium.PdfiumError, AttributeError):
        return 0.0
    left, bottom, right, top = bounds
    return abs((right - left) * (top - bottom)) / page_area


def _has_drawing(page: pdfium.PdfPage) -> bool:
    """Many vector paths and no text layer: text drawn as outlines, which only OCR can read."""
    for seen, _ in enumerate(
        page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH], max_depth=3), start=1
    ):
        if seen >= 50:
            return True
    return False


def _native_image_job(
    name: str, number: int, img: pdfium.PdfImage, limits: Limits
) -> PageJob | None:
    """The page's scan at its own resolution, or None to fall back to rendering."""
    try:
        px_w, px_h = img.get_px_size()
    except pdfium.PdfiumError:
        return None
    m = img.get_matrix()
    shown_w_pt = math.hypot(m.a, m.b)
    if shown_w_pt <= 0 or px_w < 200 or px_h < 200:
        return None
    dpi = int(round(px_w / (shown_w_pt / 72.0)))
    if not 70 <= dpi <= 1200:
        return None
    upright_placement = m.b == 0 and m.c == 0 and m.a > 0 and m.d > 0
    try:
        filters = img.get_filters()
        # reportlab and others wrap the JPEG in ASCII85 or Flate: peel those, keep the JPEG.
        if (
            upright_placement
            and filters
            and filters[-1] == "DCTDecode"
            and set(filters[:-1]) <= _SIMPLE_FILTERS
        ):
            jpeg = bytes(img.get_data(decode_simple=True))
            with Image.open(io.BytesIO(jpeg)) as probe:
                if probe.mode in ("L", "RGB"):
                    return PageJob(
                        file=name,
                        number=number,
                        image=jpeg,
                        image_suffix=".jpg",
                        dpi=dpi,
                        passthrough=True,
                    )
        pil = img.get_bitmap(render=False).to_pil()
    except (pdfium.PdfiumError, OSError, ValueError, KeyError):
        return None
    gray = pil if pil.mode in ("1", "L") else to_gray(pil)
    gray = _square_pixels(gray, m)
    gray = _as_placed(gray, m)
    buf = io.BytesIO()
    gray.save(buf, format="PNG", compress_level=1)
    return PageJob(file=name, number=number, image=buf.getvalue(), image_suffix=".png", dpi=dpi)


def _square_pixels(img: Image.Image, m: pdfium.PdfMatrix) -> Image.Image:
    """Stretch an image whose pixels are not square on the page back to square pixels.

    A fax in standard mode is 200 x 100 dpi: its pixels are twice as tall as wide, and read
    as they are stored, every glyph is squashed to half its height and OCR loses most words.
    """
    shown_w, shown_h = math.hypot(m.a, m.b), math.hypot(m.c, m.d)
    if shown_w <= 0 or shown_h <= 0:
        return img
    # Rows per point over columns per point: 0.5 for a 200 x 100 dpi fax.
    aspect = (img.height / shown_h) / (img.width / shown_w)
    if abs(aspect - 1.0) <= 0.2:
        return img
    # Bicubic on gray: a bilevel image would be resized by nearest neighbour, blockily.
    return img.convert("L").resize(
        (img.width, max(1, round(img.height / aspect))), Image.Resampling.BICUBIC
    )


def _as_placed(img: Image.Image, m: pdfium.PdfMatrix) -> Image.Image:
    """Undo a mirrored placement of the image on the page.

    OCR reads any quarter turn of a page by itself, but not a mirror image.
    """
    a, b, c, d = m.a, m.b, m.c, m.d
    if a * d - b * c >= 0:
        return img
    if abs(a) < abs(b):
        return img.transpose(Image.Transpose.TRANSPOSE)
    return img.transpose(
        Image.Transpose.FLIP_LEFT_RIGHT if a < 0 else Image.Transpose.FLIP_TOP_BOTTOM
    )


def _render_job(name: str, number: int, page: pdfium.PdfPage, limits: Limits) -> PageJob:
    width, height = page.get_size()
    scale = RENDER_DPI / 72.0
    if width * height * scale * scale > limits.max_render_pixels:
        scale = math.sqrt(limits.max_render_pixels / max(width * height, 1.0))
        if scale * 72.0 < 100:
            raise FileRejected(
                FileErrorCode.TOO_LARGE,
                f"{name}: page {number} is {width / 72:.0f}x{height / 72:.0f} inches, too large to OCR",
            )
    # Drawn no bigger than OCR will read it (extractors.page_image): a larger bitmap would
    # only be shrunk again after costing its full size twice, rendered and decoded.
    scale = min(scale, math.sqrt(MAX_OCR_PIXELS / max(width * height, 1.0)))
    try:
        bitmap = page.render(scale=scale, grayscale=True)
        pil = bitmap.to_pil()
    except pdfium.PdfiumError as exc:
        raise FileRejected(
            FileErrorCode.CORRUPT, f"{name}: page {number} could not be drawn"
        ) from exc
    gray = pil if pil.mode == "L" else pil.convert("L")
    buf = io.BytesIO()
    gray.save(buf, format="PNG", compress_level=1)
    return PageJob(
        file=name,
        number=number,
        image=buf.getvalue(),
        image_suffix=".png",
        dpi=int(round(scale * 72)),
    )
