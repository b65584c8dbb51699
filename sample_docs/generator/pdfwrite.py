"""PDF output with reportlab: text-layer pages, image-only (scanned) pages, or both in one file.

`invariant=1` fixes the creation date and document id so the same seed gives the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from .fonts import font_name, register_all
from .layout import MARGIN, PAGE_SIZES, rules, runs
from .model import Institution, Page


@dataclass(frozen=True)
class TextSheet:
    inst: Institution
    page: Page


@dataclass(frozen=True)
class ImageSheet:
    jpeg: bytes  # already degraded, stored as it would come off a scanner
    width_pt: float
    height_pt: float


Sheet = TextSheet | ImageSheet


def write_pdf(sheets: list[Sheet], title: str = "", encrypt_password: str | None = None) -> bytes:
    register_all()
    buf = io.BytesIO()
    encrypt = None
    if encrypt_password:
        from reportlab.lib.pdfencrypt import StandardEncryption

        encrypt = StandardEncryption(
            encrypt_password, ownerPassword=encrypt_password + "-owner", canPrint=0
        )
    cv = canvas.Canvas(buf, invariant=1, pageCompression=1, encrypt=encrypt)
    # A neutral producer: real exports say little more than the software that wrote them.
    cv.setCreator("RecordReady sample generator")
    cv.setProducer("RecordReady sample generator")
    cv.setTitle(title)
    for sheet in sheets:
        if isinstance(sheet, TextSheet):
            _draw_text_page(cv, sheet)
        else:
            cv.setPageSize((sheet.width_pt, sheet.height_pt))
            cv.drawImage(ImageReader(io.BytesIO(sheet.jpeg)), 0, 0, sheet.width_pt, sheet.height_pt)
        cv.showPage()
    cv.save()
    return buf.getvalue()


def _draw_text_page(cv: canvas.Canvas, sheet: TextSheet) -> None:
    pw, ph = PAGE_SIZES[sheet.inst.style.page_size]
    cv.setPageSize((pw, ph))
    for r in runs(sheet.inst, sheet.page):
        cv.setFont(font_name(r.family, r.bold), r.size)
        cv.drawString(r.x, ph - r.y, r.text)
    cv.setLineWidth(0.6)
    for y in rules(sheet.inst, sheet.page):
        cv.line(MARGIN, ph - y, pw - MARGIN, ph - y)
