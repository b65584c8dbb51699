"""OCR of one page image with tesseract: skew, orientation, script, confidence.

Each page gets one tesseract pass when all goes well, as the plain CLI would. Before
it, a few milliseconds on the page's ink (extractors/skew.py, extractors/orientation.py)
measure its tilt, which way up it is and whether it is Latin or CJK text, and the page
is read turned upright in that script (`--psm 3`). Only when that reading is weak does
tesseract's own orientation and script detection (`--psm 0`) run on the page as it came,
and the page is read again its way; the better reading wins. OSD costs about as much as
a reading (and is unreliable on a downscaled copy), so asking it first on every page,
or inside every reading (`--psm 1`), would cost 40% or more on every page.

Small skew is corrected in the reading order (which words share a printed line); a
larger one also in the pixels.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytesseract
from PIL import Image

from extractors.ocr_ink import account_for_ink
from extractors.ocr_layout import Word, printed_text, rows_slope, turn_words, words_direction
from extractors.orientation import PageLook, look
from extractors.page_ink import leveled, page_ink
from extractors.skew import estimate_skew

# OCRmyPDF's default per-page limit; a deployment sets its own (RECORDREADY_OCR_TIMEOUT, read
# by intake.settings) and passes it to run_page.
DEFAULT_TIMEOUT_S = 180.0
# Upright English pages read at 77-95 mean word confidence (faxes lowest); pages turned
# sideways or upside down, or in another script, read at 25-35.
_WEAK_READING_BELOW = 65.0
_WEAK_READING_WORDS = 5
# tesseract's line finder copes with a couple of degrees; turn the pixels beyond that.
_PIXEL_DESKEW_DEGREES = 2.0
# One line of small print at 150 dpi is about 25 px tall: anything smaller holds no text.
_MIN_TEXT_PIXELS = 24
# A Chinese reading with less of its text in CJK characters than this read Latin text;
# a Chinese lab sheet, Latin abbreviations and numbers and all, is well above it.
_MIN_CJK_SHARE = 0.15
# OSD is consulted only for weak readings, and its turn must then also read better; below
# this orientation confidence it is guessing (OCRmyPDF's own threshold, 14, guards OSD
# used alone and misses upside-down pages OSD rates at 6-7).
_OSD_MIN_CONFIDENCE = 2.0
_CJK_SCRIPTS = {"Han", "HanS", "HanT", "Hiragana", "Katakana", "Japanese"}
_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float | None
    rotation: int  # degrees clockwise the image was turned so that its text reads upright
    language: str
    skew_degrees: float | None
    timed_out: bool = False
    # Share of the page's text-like ink under words read (extractors/ocr_ink.py), and how
    # many blocks of it had to be read again.
    ink_accounted: float | None = None
    blocks_reread: int = 0


@dataclass(frozen=True)
class _Reading:
    text: str
    confidence: float | None
    rotation: int
    words: int
    language: str
    timed_out: bool = False
    # What the text was laid out from, kept so that words read again can join it: the
    # word boxes in the frame of the image read, that image, the turn it was read at.
    boxes: tuple[Word, ...] = ()
    source: Path | None = None
    turn: int = 0
    skew: float = 0.0


def _as_l(img: Image.Image) -> Image.Image:
    # convert() copies even an image already in the mode: a full page is megabytes.
    return img if img.mode == "L" else img.convert("L")


def is_blank(gray: Image.Image) -> bool:
    """Nothing to read: too small to hold a line of text, no mark darker than paper noise,
    or a few specks (under 0.01% of the page dark: less than one short word)."""
    if min(gray.size) < _MIN_TEXT_PIXELS:
        return True
    # Full resolution: shrinking first would fade thin strokes into the paper.
    gray = _as_l(gray)
    # One band ("L") gives (low, high); Pillow's type also covers the per-band tuples.
    low, high = gray.getextrema()
    if isinstance(low, tuple) or isinstance(high, tuple):
        raise ValueError("is_blank needs a one-band image")
    if high - low < 48:
        return True
    dark = int(np.count_nonzero(np.asarray(gray) < (low + high) // 2))
    return dark < 1e-4 * gray.width * gray.height


def _read(
    path: Path, lang: str, dpi: int, timeout_s: float, rotation: int = 0, skew: float = 0.0
) -> _Reading:
    """One tesseract pass over an image already turned upright by `rotation` degrees."""
    try:
        data = pytesseract.image_to_data(
            str(path),
            lang=lang,
            config=f"--psm 3 --dpi {dpi}",
            output_type=pytesseract.Output.DICT,
            timeout=timeout_s,
        )
    except RuntimeError as exc:  # pytesseract's timeout is a bare RuntimeError
        if "timeout" in str(exc).lower():
            return _Reading("", None, 0, 0, lang, timed_out=True)
        raise
    except pytesseract.TesseractError:
        # tesseract refuses images it finds no text in at all (e.g. 1-pixel images).
        return _Reading("", None, 0, 0, lang)
    words: list[Word] = []
    for i in range(len(data["text"])):
        text = str(data["text"][i]).strip()
        if data["level"][i] != 5 or not text or float(data["conf"][i]) < 0:
            continue
        x0, y0 = float(data["left"][i]), float(data["top"][i])
        box = (x0, y0, x0 + float(data["width"][i]), y0 + float(data["height"][i]))
        line = (int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i]))
        words.append(Word(text, float(data["conf"][i]), box, line))
    if not words:
        return _Reading("", None, 0, 0, lang)
    confidence = round(sum(w.conf for w in words) / len(words), 1)
    text, turned = _layout(path, words, rotation, skew)
    return _Reading(
        text,
        confidence,
        turned,
        len(words),
        lang,
        boxes=tuple(words),
        source=path,
        turn=rotation,
        skew=skew,
    )


def _layout(path: Path, words: list[Word], rotation: int, skew: float) -> tuple[str, int]:
    """Text in printed order, and the page's true turn. A page turned the wrong way is
    still read, as vertical lines: it is ordered in its own upright frame."""
    with Image.open(path) as img:
        size = img.size
    extra = words_direction(words)
    words = turn_words(words, extra, size)
    return printed_text(words, rows_slope(words, skew)), (rotation + extra) % 360


@dataclass(frozen=True)
class Osd:
    rotate: int  # degrees clockwise to turn the image upright
    orientation_confidence: float
    script: str | None


def detect_orientation(path: Path, dpi: int, timeout_s: float) -> Osd | None:
    """tesseract's orientation and script detection; None when it finds too little text."""
    try:
        osd = pytesseract.image_to_osd(str(path), config=f"--psm 0 --dpi {dpi}", timeout=timeout_s)
    except (pytesseract.TesseractError, RuntimeError, subprocess.SubprocessError):
        return None
    rotate = re.search(r"Rotate:\s*(\d+)", osd)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", osd)
    script = re.search(r"Script:\s*(\S+)", osd)
    if rotate is None:
        return None
    return Osd(
        int(rotate.group(1)) % 360,
        float(conf.group(1)) if conf else 0.0,
        script.group(1) if script else None,
    )


def _latin_read_as_chinese(reading: _Reading) -> bool:
    """The Chinese model reads Latin capitals fluently too, at good confidence: a page of
    them taken for CJK by its look comes back with hardly a CJK character in it."""
    if reading.language != "chi_sim":
        return False
    letters = [c for c in reading.text if not c.isspace()]
    return not letters or sum(1 for c in letters if _CJK.match(c)) < _MIN_CJK_SHARE * len(letters)


def _is_weak(reading: _Reading) -> bool:
    if (reading.confidence or 0.0) < _WEAK_READING_BELOW or reading.words < _WEAK_READING_WORDS:
        return True
    return _latin_read_as_chinese(reading)


def _better(a: _Reading, b: _Reading) -> _Reading:
    def score(r: _Reading) -> float:
        return -1.0 if _latin_read_as_chinese(r) else (r.confidence or 0.0)

    return b if score(b) > score(a) else a


def _first_plan(page: PageLook) -> tuple[int, str]:
    """(turn, language) for the first reading, from the page's look."""
    if not page.confident:
        return 0, "eng"
    return page.rotate, "chi_sim" if page.script == "cjk" else "eng"


def ocr_image(
    image: Image.Image,
    *,
    dpi: int,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    encoded: bytes | None = None,
    encoded_suffix: str = ".jpg",
) -> OcrResult:
    """Read one page image. `encoded`, when given, is the image's own file (e.g. a scan's
    embedded JPEG): tesseract then reads it directly, as the plain CLI would."""
    # One budget for the page, however many tesseract passes it takes.
    deadline = time.monotonic() + timeout_s

    def left() -> float:
        return max(0.05, deadline - time.monotonic())

    gray = image if image.mode in ("L", "1") else image.convert("L")
    if is_blank(gray):
        # Blank sides of a duplex scan, cover sheets, empty fax frames: nothing to read.
        return OcrResult(text="", confidence=None, rotation=0, language="eng", skew_degrees=0.0)
    ink = page_ink(gray, dpi)
    skew = estimate_skew(ink)
    page = look(leveled(ink, skew))
    residual = skew
    with tempfile.TemporaryDirectory(prefix="rr-ocr-") as tmp:
        if abs(skew) >= _PIXEL_DESKEW_DEGREES:
            gray = _as_l(gray).rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
            residual, encoded = 0.0, None
        if encoded is not None:
            path = Path(tmp) / f"page{encoded_suffix}"
            path.write_bytes(encoded)
        else:
            # Uncompressed TIFF: nothing to spend on compression, and leptonica reads it
            # about 90 ms faster per page than the same pixels as PGM.
            path = Path(tmp) / "page.tif"
            gray.save(path)

        def read(turn: int, lang: str) -> _Reading:
            source = path
            if turn:
                source = Path(tmp) / f"turned{turn}.tif"
                if not source.exists():
                    # PIL turns counter-clockwise for positive angles.
                    _as_l(gray).rotate(-turn, expand=True).save(source)
            # Turning the page keeps the sense of its tilt: the same residual skew applies.
            return _read(source, lang, dpi, left(), rotation=turn, skew=residual)

        plan = _first_plan(page)
        reading = read(*plan)
        if _is_weak(reading) and not reading.timed_out and time.monotonic() < deadline:
            # The look was unsure or wrong, or the print is poor: ask tesseract's own
            # orientation and script detection, on the page as it came.
            osd = detect_orientation(path, dpi, left())
            if osd is not None:
                lang = "chi_sim" if osd.script in _CJK_SCRIPTS else "eng"
                turn = osd.rotate if osd.orientation_confidence >= _OSD_MIN_CONFIDENCE else 0
                if (turn, lang) != plan:
                    reading = _better(reading, read(turn, lang))
            elif plan != (0, "eng"):
                reading = _better(reading, read(0, "eng"))
        account = None
        if reading.source is not None and not reading.timed_out:
            account = account_for_ink(
                reading.source, list(reading.boxes), dpi, reading.language, left()
            )
            if account.words:
                words = list(reading.boxes) + account.words
                text, turned = _layout(reading.source, words, reading.turn, reading.skew)
                reading = dataclasses.replace(reading, text=text, rotation=turned)
    return OcrResult(
        text=reading.text,
        confidence=reading.confidence,
        rotation=reading.rotation,
        language=reading.language,
        skew_degrees=skew,
        timed_out=reading.timed_out,
        ink_accounted=account.share if account else None,
        blocks_reread=account.blocks_read if account else 0,
    )
