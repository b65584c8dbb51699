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
# A page image tesseract and the page's look may hold at once: a 300 dpi A2 sheet. Bigger
# pages (A0 posters, 139 MP: 567 MB in the worker, 579 MB in tesseract) are read smaller.
MAX_OCR_PIXELS = 40_000_000


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
        full_width, full_height = img.size
        target = OCR_DPI if job.dpi > MAX_OCR_DPI else job.dpi
        scale = min(target / job.dpi, math.sqrt(MAX_OCR_PIXELS / max(1, full_width * full_height)))
        want = (max(1, int(full_width * scale)), max(1, int(full_height * scale)))
        if img.format == "JPEG":
            # Only gray, and the smallest of 1/1, 1/2, 1/4, 1/8 at least 70% of the target:
            # a page a little over the cap is decoded at half size, not whole and then shrunk.
            img.draft("L", (math.ceil(want[0] * 0.7), math.ceil(want[1] * 0.7)))
        img.load()
        gray = img if img.mode in ("L", "1") else img.convert("L")
        if gray.width > want[0] * 1.05:
            # Box filtering is the mean of whole source pixels, like reduce() for whole factors
            # (a bilevel fax is made gray first: PIL would resize it by nearest neighbour).
            gray = (gray if gray.mode == "L" else gray.convert("L")).resize(
                want, Image.Resampling.BOX
            )
        dpi = round(job.dpi * gray.width / full_width)
        same_pixels = gray.width == full_width
        yield OcrInput(gray, dpi, job.image if job.passthrough and same_pixels else None)
