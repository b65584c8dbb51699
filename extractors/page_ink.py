"""A page's ink at a working resolution: what the skew and orientation looks measure.

Built once per page and shared, because shrinking and thresholding a full scan costs
more than either measurement made on the result.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter

# About 100 dpi: 8 pt text keeps an x-height of a few pixels, and a letter-size page is
# under a million pixels.
WORK_DPI = 110
# And never more working pixels than this (a letter page at WORK_DPI is about 1.1 million):
# a poster-sized page read at 150 dpi would otherwise be measured whole, in 16-bit arrays.
WORK_MAX_PIXELS = 4_000_000
# Ink is what is clearly darker than its own surroundings: a global threshold would take
# the desk around a photographed page, or a scanner's dark margin, for text.
_INK_CONTRAST = 40


@dataclass(frozen=True)
class PageInk:
    mask: np.ndarray  # True where there is ink, rows top to bottom
    factor: int  # how many source pixels one working pixel stands for, per side
    small: Image.Image  # the page at working resolution, grayscale

    @property
    def count(self) -> int:
        return int(self.mask.sum())


def page_ink(gray: Image.Image, dpi: int) -> PageInk:
    small = gray if gray.mode == "L" else gray.convert("L")
    # Whole-pixel reduction (block means): several times cheaper than resampling, and
    # neither measurement needs an exact resolution.
    factor = max(
        1, round(dpi / WORK_DPI), math.ceil(math.sqrt(small.width * small.height / WORK_MAX_PIXELS))
    )
    if factor > 1:
        small = small.reduce(factor)
    return PageInk(_ink(small), factor, small)


def leveled(ink: PageInk, skew: float) -> PageInk:
    """The same ink turned so that lines tilted `skew` degrees clockwise run level.

    The gray page is turned (bilinear) and thresholded again: turning the mask itself, or
    turning by nearest neighbour, leaves each line in one-pixel steps, which smears the
    few rows an ascender or descender occupies.
    """
    if abs(skew) < 0.2:
        return ink
    # Only the inked part of the page: margins cost as much to turn as text.
    rows = np.flatnonzero(ink.mask.any(axis=1))
    cols = np.flatnonzero(ink.mask.any(axis=0))
    if len(rows) == 0:
        return ink
    pad = 8
    box = (
        max(0, int(cols[0]) - pad),
        max(0, int(rows[0]) - pad),
        min(ink.small.width, int(cols[-1]) + pad + 1),
        min(ink.small.height, int(rows[-1]) + pad + 1),
    )
    turned = ink.small.crop(box).rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    return PageInk(_ink(turned), ink.factor, turned)


def _ink(small: Image.Image) -> np.ndarray:
    arr = np.asarray(small, dtype=np.int16)
    # The paper's own brightness around each pixel, from a coarse copy blown back up.
    coarse = small.reduce(8) if min(small.size) >= 64 else small
    # Nearest: the blocks it leaves differ by a few gray levels, far under the contrast.
    background = coarse.filter(ImageFilter.BoxBlur(1)).resize(small.size, Image.Resampling.NEAREST)
    return arr < np.asarray(background, dtype=np.int16) - _INK_CONTRAST
