"""Real TrueType fonts shared by the PDF and raster renderers, so both print the same glyphs."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

_LIB = Path("/usr/share/fonts/truetype/liberation")
_DJV = Path("/usr/share/fonts/truetype/dejavu")
_WQY = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")

# family -> (regular, bold)
FAMILIES: dict[str, tuple[Path, Path]] = {
    "sans": (_LIB / "LiberationSans-Regular.ttf", _LIB / "LiberationSans-Bold.ttf"),
    "serif": (_LIB / "LiberationSerif-Regular.ttf", _LIB / "LiberationSerif-Bold.ttf"),
    "mono": (_LIB / "LiberationMono-Regular.ttf", _LIB / "LiberationMono-Bold.ttf"),
    "dejavu": (_DJV / "DejaVuSans.ttf", _DJV / "DejaVuSans-Bold.ttf"),
    # The CJK face has no bold; headings stay regular, as on many Chinese hospital forms.
    "cjk": (_WQY, _WQY),
}


def font_name(family: str, bold: bool) -> str:
    return f"RR-{family}-{'b' if bold else 'r'}"


def font_path(family: str, bold: bool) -> Path:
    return FAMILIES[family][1 if bold else 0]


@cache
def register_all() -> None:
    for family, (regular, bold) in FAMILIES.items():
        for is_bold, path in ((False, regular), (True, bold)):
            if path.suffix == ".ttc":
                font = TTFont(font_name(family, is_bold), str(path), subfontIndex=0)
            else:
                font = TTFont(font_name(family, is_bold), str(path))
            pdfmetrics.registerFont(font)


def width(text: str, family: str, bold: bool, size: float) -> float:
    register_all()
    return pdfmetrics.stringWidth(text, font_name(family, bold), size)
