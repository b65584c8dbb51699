"""Libraries the readers use that write file content into their DEBUG lines.

At DEBUG, Pillow logs every TIFF/EXIF tag value (phones and clinic software put owner names
there) and the PDF libraries log page text. Whatever level a host chooses, these stay at
WARNING; every reader calls `pin_content_loggers` before it touches a file.
"""

from __future__ import annotations

import logging

CONTENT_LOGGERS: tuple[str, ...] = (
    "PIL",
    "pypdfium2",
    "pytesseract",
    "pdfminer",
    "pdfplumber",
    "docx",
)


def pin_content_loggers() -> None:
    for name in CONTENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
