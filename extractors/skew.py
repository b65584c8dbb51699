"""How far a page's text lines are tilted, from its ink."""

from __future__ import annotations

import math

import numpy as np

from extractors.page_ink import PageInk

_MAX_DEGREES = 6.0
# Enough ink pixels to find the angle to a tenth of a degree; more only costs time.
_SAMPLE = 30_000


def estimate_skew(ink: PageInk) -> float:
    """Clockwise tilt of the text lines in degrees (0 when unsure).

    Ink pixels are projected along candidate angles; the angle whose row (or, for a
    sideways page, column) histogram is sharpest is the one the lines follow. Works the
    same for upright and 90-degree pages, so it can run before orientation is known.
    """
    arr = ink.mask
    ys, xs = np.nonzero(arr)
    if len(ys) < 200 or len(ys) > 0.3 * arr.size:
        return 0.0
    if len(ys) > _SAMPLE:
        step = len(ys) // _SAMPLE + 1
        ys, xs = ys[::step], xs[::step]
    yf = ys.astype(np.float64)
    xf = xs.astype(np.float64)
    height, width = arr.shape

    def score(deg: float) -> float:
        t = math.tan(math.radians(deg))
        rows = np.bincount(np.rint(yf - xf * t - min(0.0, -t * width)).astype(np.int64))
        cols = np.bincount(np.rint(xf + yf * t - min(0.0, t * height)).astype(np.int64))
        return max(
            float(np.square(rows.astype(np.float64)).sum()),
            float(np.square(cols.astype(np.float64)).sum()),
        )

    coarse = np.arange(-_MAX_DEGREES, _MAX_DEGREES + 0.01, 0.5)
    scores = [score(d) for d in coarse]
    best = float(coarse[int(np.argmax(scores))])
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    fine_scores = [score(d) for d in fine]
    best = float(fine[int(np.argmax(fine_scores))])
    # A flat response (blank page, photo of a table edge) is no evidence of skew.
    if max(scores) <= 1.02 * score(0.0) and abs(best) < 1.5:
        return 0.0
    return round(best, 2)
