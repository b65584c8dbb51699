"""Resource limits for reading uploads: containers, images and pages.

Every limit exists because a hostile or broken file can otherwise exhaust memory,
disk or time for the whole batch (zip bombs, decompression bombs, endless nesting).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from extractors.errors import FileErrorCode, FileRejected

MiB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    # One upload or one unpacked member.
    max_file_bytes: int = 512 * MiB
    # Containers (zip, eml): members, their unpacked total, the deflate ratio and nesting.
    max_members: int = 1000
    max_total_bytes: int = 1024 * MiB
    max_ratio: float = 200.0
    # Depth 1 is a container given directly; a container inside it is depth 2.
    max_depth: int = 2
    # 250 megapixels is OCRmyPDF's cap; a real scan page at 600 dpi is about 35.
    max_image_pixels: int = 250_000_000
    max_pages: int = 2000
    # Strips or tiles of one image frame: a 600 dpi page stored one row per strip has 6,600.
    max_strips: int = 100_000
    # A page rendered for OCR above this is too big to OCR usefully (a 200-inch page).
    max_render_pixels: int = 120_000_000
    # Plain text (an email body, a .txt upload): far beyond any real letter or note.
    max_text_bytes: int = 16 * MiB
    # Planning one file's pages (unpacking, text layers, page images): 60 blank 81-megapixel
    # frames took 25 s, and such a file within the upload cap would hold a worker 11 minutes.
    max_file_seconds: float = 300.0
    # One C-CDA: a large CCD is a few MiB; one carrying a scanned PDF in base64 is more.
    max_xml_bytes: int = 64 * MiB
    # DICOM objects read from one upload's containers, and one DICOMDIR's records: a CD
    # holds thousands of images, and their attributes are all that is read of them.
    max_dicom_records: int = 20000


DEFAULT_LIMITS = Limits()


def check_time(name: str, started: float, limits: Limits) -> None:
    """Refuse the file once planning it has taken longer than its budget."""
    if time.monotonic() - started > limits.max_file_seconds:
        raise FileRejected(
            FileErrorCode.TOO_LARGE,
            f"{name}: reading stopped after {limits.max_file_seconds:g} s, the time limit for one file",
        )
