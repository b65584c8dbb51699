"""Account for the ink: text no word covers is read again; a page short of it is marked.

Pages are drawn here (PIL, 200 dpi, DejaVu) from text written for the test and read by
real tesseract. tesseract's page layout drops a paragraph only on some pages, so the
dropped lines are taken out of a real reading's words, as its layout analysis does when
it takes a paragraph for a picture; the page's ink must bring them back, in place.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont
from rapidfuzz import fuzz

from extractors.ocr import _read, ocr_image
from extractors.ocr_ink import account_for_ink
from extractors.ocr_layout import printed_text, rows_slope
from extractors.page_job import PageJob
from extractors.pages import run_page

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 200
LINES = [
    "CYTOGENETICS REPORT",
    "Specimen: peripheral blood, sodium heparin",
    "COMMENT",
    "Twenty metaphases were examined from two cultures.",
    "A balanced rearrangement was seen in six of them.",
    "Correlation with the prior marrow biopsy is advised.",
    "MICROSCOPIC",
    "Sections show sheets of medium sized cells.",
    "Electronically signed by the laboratory director",
]
_DROPPED = (3, 4, 5)  # the COMMENT paragraph


def _page(tilt: float = 1.2, scribble: bool = False) -> Image.Image:
    face = ImageFont.truetype(FONT, 30)
    img = Image.new("L", (1500, 120 + 62 * len(LINES) + (300 if scribble else 0)), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(LINES):
        y = 60 + 62 * i
        draw.text((70, y), line, font=face, fill=0)
        if line.isupper():
            # A rule under each heading: drawn ink that is not text.
            draw.line((70, y + 42, 1400, y + 42), fill=0, width=2)
    if scribble:
        # Two lines of print smeared past reading (a wet fax, a fingerprint of toner):
        # text-shaped ink that no reading can turn into words.
        smear = Image.new("L", (1300, 160), 255)
        sd = ImageDraw.Draw(smear)
        sd.text((0, 10), "Addendum to follow from the reference laboratory.", font=face, fill=0)
        sd.text((0, 80), "Please file with the original report of this date.", font=face, fill=0)
        smear = smear.filter(ImageFilter.GaussianBlur(4)).point(lambda v: 0 if v < 200 else 255)
        img.paste(smear, (70, 80 + 62 * len(LINES)))
    rng = np.random.default_rng(11)
    img = img.rotate(tilt, resample=Image.Resampling.BILINEAR, fillcolor=255, expand=True)
    arr = np.asarray(img, dtype=np.float64) + rng.normal(0, 10, (img.height, img.width))
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def _found_in_order(text: str, wanted: list[str]) -> None:
    got = [" ".join(g.split()) for g in text.splitlines() if g.strip()]
    where = []
    for line in wanted:
        scores = [fuzz.ratio(line, g) for g in got]
        best = int(np.argmax(scores))
        assert scores[best] >= 85, f"line lost: {line!r} in {got!r}"
        where.append(best)
    assert where == sorted(where) and len(set(where)) == len(where), got


def test_dropped_paragraph_is_read_from_its_ink_and_put_in_place() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.tif"
        _page().save(path)
        reading = _read(path, "eng", DPI, 60.0)
        words = list(reading.boxes)
        lines = sorted(
            {w.line for w in words}, key=lambda k: min(w.box[1] for w in words if w.line == k)
        )
        assert len(lines) == len(LINES)
        kept = [w for w in words if w.line not in {lines[i] for i in _DROPPED}]
        account = account_for_ink(path, kept, DPI, "eng", 60.0)
    assert account.blocks_read >= 1
    assert account.share is not None and account.share >= 0.95
    everything = kept + account.words
    _found_in_order(printed_text(everything, rows_slope(everything)), LINES)


def test_page_fully_read_costs_no_second_pass() -> None:
    result = ocr_image(_page(), dpi=DPI)
    _found_in_order(result.text, LINES)
    assert result.blocks_reread == 0
    # The heading rules are ink, but not text: they do not count against the page.
    assert result.ink_accounted is not None and result.ink_accounted >= 0.97


def test_ink_nobody_can_read_marks_the_page_for_review() -> None:
    img = _page(tilt=0.5, scribble=True)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.png"
        img.save(path)
        job = PageJob(file="scribbled.png", number=1, image=path.read_bytes(), dpi=DPI)
    page = run_page(job)
    _found_in_order(page.text, LINES)
    assert page.ink_accounted is not None and page.ink_accounted < 0.9
    assert page.review_reason == "ink_unread"
