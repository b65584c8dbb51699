"""Which way up a page is, and whether it is Latin or CJK text, from its pixels alone.

tesseract's own orientation and script detection (`--psm 0`) costs about as much as a
whole reading, and on a downscaled copy it stops being reliable. Reading a page the
wrong way round first and then asking OSD costs three passes. This look at the ink takes
a few milliseconds and is right often enough to choose the first reading; the caller
keeps tesseract's OSD as the fallback when that reading is still weak.

Two properties of printed text carry the answer:

- Lines of text leave empty gaps between them across the page, so ink projected along
  the lines comes out as sharp bands and across them as a smooth smear. That tells
  upright or upside down from sideways.
- In Latin script, ascenders (capitals, digits, b d f h k l t) reach above the x-height
  far more often, and with more ink, than descenders (g j p q y) reach below it, so the
  ink of a line leans to the side its tops are on (the idea behind Bloomberg, Kopec and
  Dasari's orientation measure). CJK characters fill a square box, evenly: no lean, and
  a dense core that spans most of the line's height instead of about half of it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from extractors.page_ink import PageInk

# Text lines under this many working pixels tall are rules, dots or noise.
_MIN_LINE_PX = 5
# Rows either side searched for the gap between lines (about 0.2 inch at working size).
_FLOOR_HALF_WINDOW = 20
# Below these the page shows no clear direction: the caller reads it as it comes.
_MIN_AXIS_EVIDENCE = 0.25
_MIN_LEAN = 0.2
# CJK text: nearly every mark spans the line, and lines lean neither up nor down.
_CJK_FULL_HEIGHT = 0.8
_CJK_MAX_LEAN = 0.5


# (lines run down the page, ink leans downwards) -> degrees clockwise to turn upright.
_TURN = {(False, False): 0, (False, True): 180, (True, False): 270, (True, True): 90}


@dataclass(frozen=True)
class PageLook:
    rotate: int  # degrees clockwise to turn the image so that its text reads upright
    confident: bool
    script: str | None  # "latin", "cjk", or None when the page shows too little text
    # The measurements behind the decision, kept for tests and tuning.
    sideways_evidence: float = 0.0
    upright_lean: float = 0.0
    full_height_share: float = 0.0
    lines: int = 0


@dataclass(frozen=True)
class _Lines:
    count: int
    lean: float  # (ink above the core - ink below) / (both), over all lines
    # Share of the ink in marks (runs of inked columns) that span their line's full
    # height: nearly all of it for CJK characters, under a half for Latin letters.
    full_height_share: float


def look(page: PageInk) -> PageLook:
    """Orientation and script of a page from its ink, leveled (see page_ink.leveled)."""
    ink = page.mask
    if page.count < 300 or page.count > 0.35 * ink.size:
        return PageLook(0, False, None)
    across = _band_sharpness(ink.sum(axis=1))
    down = _band_sharpness(ink.sum(axis=0))
    sideways_evidence = float(np.log(down / across)) if across > 0 and down > 0 else 0.0
    sideways = sideways_evidence > 0
    lines = _lines(np.rot90(ink) if sideways else ink)
    if lines.count < 3:
        return PageLook(0, False, None, sideways_evidence, lines=lines.count)
    clear_axis = abs(sideways_evidence) > _MIN_AXIS_EVIDENCE
    if lines.full_height_share > _CJK_FULL_HEIGHT and abs(lines.lean) < _CJK_MAX_LEAN:
        # Square characters lean neither way: upside down cannot be told from the ink, so
        # only an upright-looking page (the usual case) is taken as read.
        return PageLook(
            0,
            clear_axis and not sideways,
            "cjk",
            sideways_evidence,
            lines.lean,
            lines.full_height_share,
            lines.count,
        )
    # np.rot90 turns counter-clockwise: a page whose lines run down it came in turned a
    # quarter clockwise, or a quarter anticlockwise if the rot90 copy reads upside down.
    rotate = _TURN[(sideways, lines.lean < 0)]
    confident = clear_axis and abs(lines.lean) > _MIN_LEAN
    return PageLook(
        rotate,
        confident,
        "latin",
        sideways_evidence,
        lines.lean,
        lines.full_height_share,
        lines.count,
    )


def _band_sharpness(profile: np.ndarray) -> float:
    """How much ink piles into bands along this axis, over the inked span only.

    Normalised second moment: 1 for ink spread evenly, higher the more it gathers into
    bands separated by empty gaps (text lines), independent of the page's margins.
    """
    nz = np.nonzero(profile)[0]
    if len(nz) < 2:
        return 0.0
    span = profile[nz[0] : nz[-1] + 1].astype(np.float64)
    total = span.sum()
    return float(np.square(span).sum() * len(span) / (total * total))


def _lines(ink: np.ndarray) -> _Lines:
    """Lean and core of the text lines of an ink mask whose lines run left to right."""
    profile = ink.sum(axis=1).astype(np.float64)
    # Vertical table rules put the same ink in every row they cross, filling the gaps
    # between lines: take off the least ink seen within a few lines' height around.
    if len(profile) > 2 * _FLOOR_HALF_WINDOW:
        padded = np.pad(profile, _FLOOR_HALF_WINDOW, mode="edge")
        window = np.lib.stride_tricks.sliding_window_view(padded, 2 * _FLOOR_HALF_WINDOW + 1)
        profile = profile - window.min(axis=1)
    # A row belongs to a line when it holds more than a speck of ink.
    occupied = profile > max(2, 0.02 * float(profile.max(initial=0)))
    edges = np.flatnonzero(np.diff(np.concatenate(([0], occupied.view(np.int8), [0]))))
    bands = list(zip(edges[::2], edges[1::2], strict=True))
    bands = [(a, b) for a, b in bands if b - a >= _MIN_LINE_PX]
    if not bands:
        return _Lines(0, 0.0, 0.0)
    typical = float(np.median([b - a for a, b in bands]))
    above = below = 0.0
    full_height_ink = 0.0
    ink_total = 0
    count = 0
    for a, b in bands:
        # Two lines run together, or a picture: no single core to measure against.
        if b - a > 1.8 * typical:
            continue
        q = profile[a:b]
        core = np.flatnonzero(q >= 0.5 * q.max())
        top, bottom = int(core[0]), int(core[-1])
        above += float(q[:top].sum())
        below += float(q[bottom + 1 :].sum())
        full_height_ink += _full_height_ink(ink[a:b])
        ink_total += int(q.sum())
        count += 1
    if count == 0 or ink_total == 0:
        return _Lines(0, 0.0, 0.0)
    lean = (above - below) / max(above + below, 1.0)
    return _Lines(count, lean, full_height_ink / ink_total)


def _full_height_ink(line: np.ndarray) -> float:
    """Ink of the marks in one text line that reach from its top to its bottom."""
    height = line.shape[0]
    columns = np.flatnonzero(line.any(axis=0))
    if len(columns) == 0:
        return 0.0
    inked = line[:, columns]
    tops = inked.argmax(axis=0)
    bottoms = height - 1 - inked[::-1].argmax(axis=0)
    # A mark is a run of neighbouring inked columns.
    starts = np.flatnonzero(np.concatenate(([True], np.diff(columns) > 1)))
    extent = np.maximum.reduceat(bottoms, starts) - np.minimum.reduceat(tops, starts) + 1
    ink = np.add.reduceat(inked.sum(axis=0), starts)
    return float(ink[extent >= 0.85 * height].sum())
