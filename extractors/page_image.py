"""A page job's image, opened for OCR within a bounded amount of memory.

Tesseract reads best at about 300 dpi and gains nothing above it; a 600 dpi colour scan
decoded whole is 100 MB of RGB before a gray copy, its ink mask and a deskewed copy are
made, which took a worker past 400 MB on one page. So a JPEG is decoded straight to gray
(libjpeg converts while decoding) and, when the scan is finer than `MAX_OCR_DPI`, at a
reduced scale (libjpeg's DCT scaling: a half-size decode costs a quarter of the memory);
any other image finer than that is reduced by whole pixels after decoding. The scan's own
file still goes to tesseract untouched when the pixels it would read are the scan's own.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image

from extractors.page_job import PageJob

# Above this a scan is read at OCR_DPI instead: finer print than 400 dpi is not on paper.
MAX_OCR_DPI = 400
OCR_DPI = 300


@dataclass(frozen=True)
class OcrInput:
    image: Image.Image  # grayscale ("L" or bilevel "1")
    dpi: int
    # The scan's own file, when tesseract may read it instead of `image` (same pixels).
    encoded: bytes | None


@contextmanager
def open_for_ocr(job: PageJob) -> Iterator[OcrInput]:
    assert job.image is not None  # a job without text always carries its image
    with Image.open(io.BytesIO(job.image)) as img:
        full_width = img.width
        target = OCR_DPI if job.dpi > MAX_OCR_DPI else job.dpi
        scale = target / job.dpi
        if img.format == "JPEG":
            # Only gray and a size at least the target's: draft picks 1/1, 1/2, 1/4 or 1/8.
            img.draft("L", (math.ceil(img.width * scale), math.ceil(img.height * scale)))
        img.load()
        gray = img if img.mode in ("L", "1") else img.convert("L")
        factor = int(gray.width / max(1.0, full_width * scale) + 0.05)
        if factor > 1:
            gray = gray.reduce(factor)
        dpi = round(job.dpi * gray.width / full_width)
        same_pixels = gray.width == full_width
        yield OcrInput(gray, dpi, job.image if job.passthrough and same_pixels else None)
