"""Printed order: lines rebuilt from word boxes read a page as it is printed.

The pages are drawn here (PIL, 200 dpi, DejaVu) from text written for the test: a
two-column key/value header, a heading and its paragraph, and a table whose cells sit
far apart, then tilted, speckled and turned. Real tesseract reads them; every printed
line must come back as one line, in the printed order.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz import fuzz

from extractors.ocr import _read, ocr_image

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 200
# (left cell, right cell or None): one printed row each.
ROWS: list[tuple[str, str | None]] = [
    ("NORTHFIELD REGIONAL PATHOLOGY", None),
    ("PATIENT: Harlow, Denise M", "PATH #: SP-26-04417"),
    ("DOB: 03/14/1962", "COLLECTED: 09/02/2026"),
    ("MRN: 00418822", "RECEIVED: 09/03/2026"),
    ("FINAL DIAGNOSIS", None),
    ("Lymph node, left axilla, excision:", None),
    ("Follicular lymphoma, grade 2 of 3.", None),
    ("Marker      Result", "Intensity"),
    ("CD20         Positive", "Strong"),
    ("CD10         Positive", "Moderate"),
    ("BCL2         Positive", "Strong"),
    ("Ki-67        15 percent", "Low"),
]


def _page(
    tilt: float = 0.0, noise: float = 0.0, turn: int = 0, margin: bool = False
) -> Image.Image:
    face = ImageFont.truetype(FONT, 30)
    img = Image.new("L", (1500, 100 + 58 * len(ROWS)), 255)
    draw = ImageDraw.Draw(img)
    for i, (left, right) in enumerate(ROWS):
        y = 60 + 58 * i
        draw.text((70, y), left, font=face, fill=0)
        if right is not None:
            draw.text((860, y), right, font=face, fill=0)
    if tilt:
        img = img.rotate(tilt, resample=Image.Resampling.BILINEAR, fillcolor=255, expand=True)
    if margin:
        # A scanner's dark edge along the left and top of the glass.
        ImageDraw.Draw(img).rectangle((0, 0, 36, img.height), fill=70)
        ImageDraw.Draw(img).rectangle((0, 0, img.width, 24), fill=70)
    if noise:
        rng = np.random.default_rng(17)
        arr = np.asarray(img, dtype=np.float64) + rng.normal(0, noise, (img.height, img.width))
        img = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))
    # PIL turns counter-clockwise for positive angles: the stored page is turned clockwise.
    return img.rotate(-turn, expand=True) if turn else img


def _expected() -> list[str]:
    return [" ".join(left.split() + (right.split() if right else [])) for left, right in ROWS]


def _assert_printed_order(text: str) -> None:
    got = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
    where = []
    for line in _expected():
        scores = [fuzz.ratio(line, g) for g in got]
        best = int(np.argmax(scores))
        assert scores[best] >= 85, f"printed line lost or split: {line!r} in {got!r}"
        where.append(best)
    assert where == sorted(where), f"lines out of printed order: {got!r}"
    assert len(set(where)) == len(where)


@pytest.mark.parametrize(
    ("tilt", "noise"), [(0.0, 0.0), (1.8, 12.0), (-2.6, 18.0)], ids=["clean", "tilt1.8", "tilt-2.6"]
)
def test_two_column_header_and_table_read_row_by_row(tilt: float, noise: float) -> None:
    result = ocr_image(_page(tilt, noise), dpi=DPI)
    _assert_printed_order(result.text)


def test_rows_follow_the_print_when_a_dark_scanner_edge_hides_the_tilt() -> None:
    # The edge's long straight lines outweigh the text in a skew estimate from the ink;
    # tesseract's own lines still follow the tilted print.
    result = ocr_image(_page(1.6, 10.0, margin=True), dpi=DPI)
    _assert_printed_order(result.text)


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_stored_turned_page_reads_in_printed_order(turn: int) -> None:
    result = ocr_image(_page(1.2, 10.0, turn), dpi=DPI)
    assert result.rotation == (360 - turn) % 360
    _assert_printed_order(result.text)


def test_page_read_the_wrong_way_round_still_comes_out_in_order() -> None:
    # tesseract given a page stored a quarter turn clockwise reads its lines as vertical
    # text, in the image's frame: the words are put back in the page's own frame, and
    # the turn recorded. (Turned the other way it reads them upside down, weakly, and
    # ocr_image's second opinion takes over: the test above.)
    turn = 90
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.tif"
        _page(0.8, 8.0, turn).save(path)
        reading = _read(path, "eng", DPI, 60.0)
    assert reading.rotation == (360 - turn) % 360
    _assert_printed_order(reading.text)
