"""A picture of one page of an upload, for a person to compare with the text read from it.

Built on the readers themselves, so a preview shows the page as it was read and is bound
by the same limits: containers are unpacked by `sources.expand_bytes`, images go through
`images.plan_image` (pixel and frame limits, EXIF orientation, fax aspect), PDFs are
opened by `pdf.open_pdf` and refuse the same image bombs. A page that is too large to
draw, or a file the reader refuses, gives no preview (None), never a huge render.
"""

from __future__ import annotations

import io
import logging

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from extractors.errors import FileRejected
from extractors.images import plan_image
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.pdf import open_pdf, refuse_image_bombs
from extractors.sniff import Kind
from extractors.sources import expand_bytes

log = logging.getLogger(__name__)

PREVIEW_WIDTH = 1100
# A preview is for a screen: 16 megapixels is a 1100 px wide page about 14,500 px tall.
MAX_PREVIEW_PIXELS = 16_000_000
# The reader refuses a page it could not draw at this resolution (extractors.pdf).
_MIN_READ_DPI = 100


def page_png(
    name: str,
    data: bytes,
    member: str,
    page: int,
    width: int = PREVIEW_WIDTH,
    limits: Limits = DEFAULT_LIMITS,
) -> bytes | None:
    """PNG of page `page` of upload `name` (or of its container member `member`), at most
    `width` pixels wide; None for text-only formats, a missing page, or a page or file the
    reader would refuse."""
    data_of = _item_data(name, data, member, limits)
    if data_of is None:
        return None
    kind, raw = data_of
    target = member or name
    try:
        if kind == Kind.PDF:
            img = _pdf_page(target, raw, page, width, limits)
        elif kind == Kind.IMAGE:
            img = _image_page(target, raw, page, width, limits)
        else:
            return None
    except FileRejected:
        return None
    except Exception as exc:  # a page that cannot be drawn must not break the page showing it
        log.warning("page preview unavailable: %s", type(exc).__name__)
        return None
    if img is None:
        return None
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return buf.getvalue()


def _item_data(name: str, data: bytes, member: str, limits: Limits) -> tuple[str, bytes] | None:
    """(kind, bytes) of the upload itself or of one member, as the reader unpacked it."""
    target = member or name
    for item in expand_bytes(name, data, limits):
        if item.name == target:
            return (item.kind, item.data) if item.data is not None else None
    return None


def _pdf_page(name: str, data: bytes, page: int, width: int, limits: Limits) -> Image.Image | None:
    doc = open_pdf(name, data)
    try:
        if len(doc) > limits.max_pages or not 1 <= page <= len(doc):
            return None
        p = doc[page - 1]
        try:
            images = list(p.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=3))
            refuse_image_bombs(name, page, images, limits)
            w_pt, h_pt = p.get_size()
            read_px = (w_pt * _MIN_READ_DPI / 72.0) * (h_pt * _MIN_READ_DPI / 72.0)
            scale = width / max(w_pt, 1.0)
            shown_px = (w_pt * scale) * (h_pt * scale)
            if read_px > limits.max_render_pixels or shown_px > _max_pixels(limits):
                return None
            shown: Image.Image = p.render(scale=scale).to_pil()
            return shown
        except pdfium.PdfiumError:
            return None
        finally:
            p.close()
    finally:
        doc.close()


def _image_page(
    name: str, data: bytes, page: int, width: int, limits: Limits
) -> Image.Image | None:
    jobs = plan_image(name, data, limits)
    encoded = jobs[page - 1].image if 1 <= page <= len(jobs) else None
    if encoded is None:
        return None
    img = Image.open(io.BytesIO(encoded))
    img.thumbnail((width, width * 2))
    return img if img.width * img.height <= _max_pixels(limits) else None


def _max_pixels(limits: Limits) -> int:
    return min(MAX_PREVIEW_PIXELS, limits.max_render_pixels)
