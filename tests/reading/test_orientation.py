"""Which way up a page is, from its ink, before tesseract reads it (extractors/orientation).

Pages are rendered with real fonts and turned; every OCR call below is real tesseract.
"""

from __future__ import annotations

import pytesseract
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors import ocr
from extractors.ocr import ocr_image
from extractors.orientation import PageLook, look
from extractors.page_ink import leveled, page_ink
from extractors.skew import estimate_skew
from tests.reading import builders as b

FONTS = {
    "sans": "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "serif": "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "mono": "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
}
LINES = b.ECHO_LINES + b.PATHOLOGY_LINES


def _look(img: Image.Image, dpi: int = 200) -> PageLook:
    ink = page_ink(img, dpi)
    return look(leveled(ink, estimate_skew(ink)))


def _page(font: str, size: int = 26) -> Image.Image:
    return b.page_image(LINES, font=FONTS[font], size=size, width=1500)


@pytest.mark.parametrize("font", sorted(FONTS))
@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_latin_page_turn_is_seen_in_its_ink(font: str, turned: int) -> None:
    # PIL turns counter-clockwise: turning back clockwise by the same angle sets it upright.
    page = _look(_page(font).rotate(turned, expand=True))
    assert page.script == "latin"
    assert page.confident and page.rotate == turned


def test_tilted_page_still_shows_its_turn() -> None:
    img = _page("serif").rotate(
        180 + 1.8, expand=True, fillcolor=255, resample=Image.Resampling.BILINEAR
    )
    page = _look(img)
    assert page.confident and page.rotate == 180


def _lab_table(rule_px: int) -> Image.Image:
    """A results table ruled in a full grid, as many lab systems print them."""
    img = Image.new("L", (1700, 1500), 255)
    draw = ImageDraw.Draw(img)
    face = ImageFont.truetype(FONTS["sans"], 26)
    cells = ["Hemoglobin", "12.9 g/dL", "(13.5-17.5)", "low", "09/10/2026"]
    left, top, width, height, rows = 100, 200, 300, 60, 18
    draw.text((left, 100), "COMPLETE BLOOD COUNT WITH DIFFERENTIAL", font=face, fill=0)
    for r in range(rows):
        for c, text in enumerate(cells):
            draw.text((left + c * width + 10, top + r * height + 15), text, font=face, fill=0)
    for r in range(rows + 1):
        draw.line(
            [(left, top + r * height), (left + 5 * width, top + r * height)], fill=0, width=rule_px
        )
    for c in range(6):
        draw.line(
            [(left + c * width, top), (left + c * width, top + rows * height)],
            fill=0,
            width=rule_px,
        )
    return img


@pytest.mark.parametrize("turned", [0, 90, 180, 270])
def test_ruled_table_turn_is_seen_despite_its_grid(turned: int) -> None:
    # Thick vertical rules cross every gap between rows of text.
    page = _look(_lab_table(rule_px=6).rotate(turned, expand=True))
    assert page.script == "latin" and page.confident and page.rotate == turned


def test_chinese_page_looks_cjk_and_english_does_not() -> None:
    chinese = b.page_image(b.CHINESE_LINES * 2, font=b.CJK_FONT, size=30, width=1500)
    assert _look(chinese).script == "cjk"
    assert _look(_page("sans")).script == "latin"


def test_blank_and_tiny_pages_claim_nothing() -> None:
    blank = Image.new("L", (1700, 2200), 255)
    one_line = b.page_image(["Page 2"], size=26, width=1500)
    for img in (blank, one_line):
        page = _look(img)
        assert not page.confident and page.rotate == 0


class _Passes:
    """Counts real tesseract runs (readings and OSD) while they happen."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[str] = []
        read, osd = pytesseract.image_to_data, pytesseract.image_to_osd

        def counted_read(*args: object, **kwargs: object) -> object:
            self.calls.append(f"read:{kwargs.get('lang')}")
            return read(*args, **kwargs)

        def counted_osd(*args: object, **kwargs: object) -> object:
            self.calls.append("osd")
            return osd(*args, **kwargs)

        monkeypatch.setattr(pytesseract, "image_to_data", counted_read)
        monkeypatch.setattr(pytesseract, "image_to_osd", counted_osd)


@pytest.mark.parametrize("turned", [90, 180])
def test_turned_page_is_read_upright_in_one_pass(
    monkeypatch: pytest.MonkeyPatch, turned: int
) -> None:
    passes = _Passes(monkeypatch)
    result = ocr_image(_page("sans", size=30).rotate(turned, expand=True), dpi=200)
    assert result.rotation == turned
    assert "ejection fraction 55 percent" in result.text
    assert passes.calls == ["read:eng"]


def test_chinese_page_is_read_in_chinese_in_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    passes = _Passes(monkeypatch)
    img = b.page_image(b.CHINESE_LINES * 2, font=b.CJK_FONT, size=40, width=1500)
    result = ocr_image(img, dpi=200)
    assert result.language == "chi_sim" and "淋巴" in result.text
    assert passes.calls == ["read:chi_sim"]


def test_a_wrong_look_is_caught_by_tesseracts_own_detection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Force the look to claim an upright page is upside down: the reading is then weak,
    # OSD is asked, and the page is read again the right way up.
    monkeypatch.setattr(ocr, "look", lambda _ink: PageLook(180, True, "latin"))
    passes = _Passes(monkeypatch)
    result = ocr_image(_page("sans", size=30), dpi=200)
    assert result.rotation == 0 and "ejection fraction 55 percent" in result.text
    assert passes.calls == ["read:eng", "osd", "read:eng"]


def test_latin_capitals_taken_for_cjk_are_still_read_in_english(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Capitals fill their line like CJK characters do; if the look takes them for CJK,
    # the Chinese reading holds hardly any CJK characters and loses to an English one.
    capitals = b.page_image(
        [line.upper() for line in LINES], font=FONTS["sans"], size=30, width=1600
    )
    monkeypatch.setattr(ocr, "look", lambda _ink: PageLook(0, True, "cjk"))
    result = ocr_image(capitals, dpi=200)
    assert result.language == "eng"
    assert "EJECTION FRACTION 55 PERCENT" in result.text
