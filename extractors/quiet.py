"""Libraries the readers use that write file content into their DEBUG lines.

At DEBUG, Pillow logs every TIFF/EXIF tag value (phones and clinic software put owner names
there) and the PDF libraries log page text; pydicom's warnings quote attribute values. Whatever level a host chooses, these stay at
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


# pydicom's warnings quote the offending value (a malformed birth date, a patient's name):
# only its errors are let through.
VALUE_LOGGERS: tuple[str, ...] = ("pydicom",)


def pin_content_loggers() -> None:
    for name in CONTENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    for name in VALUE_LOGGERS:
        logging.getLogger(name).setLevel(logging.ERROR)
