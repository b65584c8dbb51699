"""One page's unit of work: either text already read, or an image waiting for OCR.

Picklable on purpose: the batch pool sends these to worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.vocabulary import CodedRecord


@dataclass(frozen=True)
class PageJob:
    file: str
    number: int  # 1-based within the file
    # Resolved pages (text layer, DOCX, email body) carry their text and need no work.
    text: str | None = None
    # OCR pages carry one encoded image (a scan's own JPEG, or a lossless PNG).
    image: bytes | None = None
    image_suffix: str = ".png"
    dpi: int = 300
    # Degrees clockwise already turned before OCR (EXIF orientation, image placement).
    base_rotation: int = 0
    # When True, `image` is the source's own file and can go to tesseract untouched.
    passthrough: bool = False
    # A little real text beside the scan (a fax service's header line): kept ahead of the OCR.
    text_layer: str = ""
    # Facts a structured source states (C-CDA, DICOM, XDM): carried onto the page's PageText.
    record: CodedRecord | None = None

    @property
    def needs_ocr(self) -> bool:
        return self.text is None
