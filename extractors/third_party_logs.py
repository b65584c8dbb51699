"""Keep reading libraries from writing file content into our logs.

At DEBUG level Pillow logs every TIFF/EXIF tag value (phones and clinic software put
owner names and notes there), and other readers may do the same. Their loggers are
pinned to WARNING once, whatever level the application runs at.
"""

from __future__ import annotations

import logging

CONTENT_LOGGERS: tuple[str, ...] = ("PIL", "pypdfium2", "pytesseract", "pdfminer", "pdfplumber", "docx")


def pin_content_loggers() -> None:
    for name in CONTENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
