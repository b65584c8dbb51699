"""Page text in printed order, rebuilt from tesseract's word boxes by position.

tesseract splits a page into blocks and reads block after block, so a two-column
key/value header ("PATIENT: X" on the left, "PATH #: Y" on the right) or a table row
broken by wide gaps comes out column by column, far apart. Its lines are kept as units
here, but pieces that share a printed row are put back together left to right, and rows
are read top to bottom.

Two things would defeat that and are measured from the words themselves, not taken on
trust: the tilt of the rows (a global skew estimate is thrown off by a scanner's dark
margin; tesseract's own lines follow the print), and the direction the lines run. When
a page was turned the wrong way before reading, tesseract still reads its lines as
vertical text and reports their boxes in the image's frame, words running down (or up)
the image; sorting those boxes by height would list the page column by column. The boxes
are then turned into the page's own upright frame first, and the caller learns the
extra turn so that the page's recorded rotation is the true one.
"""

from __future__ import annotations

import math
import re
import statistics
from dataclasses import dataclass

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
# A line whose words advance further down the image than across it runs vertically; the
# page is taken as turned when most of its characters are in such lines.
_TURNED_SHARE = 0.6
# Rows tilt by the median slope of lines at least this many words long.
_SLOPE_MIN_WORDS = 3

Box = tuple[float, float, float, float]  # x0, y0, x1, y1


@dataclass(frozen=True)
class Word:
    text: str
    conf: float
    box: Box
    # tesseract's (block, paragraph, line) of this word; words re-read apart get their own.
    line: tuple[int, int, int]


def words_direction(words: list[Word]) -> int:
    """Degrees clockwise the image must still turn for its lines to run left to right:
    0, 90 (words run up the image) or 270 (words run down it)."""
    by_line = _by_line(words)
    across = down = up = 0
    for members in by_line.values():
        chars = sum(len(w.text) for w in members)
        if len(members) < 2:
            across += chars if _wide(members[0]) else 0
            continue
        xs = [(w.box[0] + w.box[2]) / 2 for w in members]
        ys = [(w.box[1] + w.box[3]) / 2 for w in members]
        if max(xs) - min(xs) >= max(ys) - min(ys):
            across += chars
        elif ys[-1] > ys[0]:
            down += chars
        else:
            up += chars
    total = across + down + up
    if total == 0 or max(down, up) < _TURNED_SHARE * total:
        return 0
    return 270 if down >= up else 90


def _wide(word: Word) -> bool:
    x0, y0, x1, y1 = word.box
    return len(word.text) < 3 or (x1 - x0) >= (y1 - y0)


def turn_words(words: list[Word], turn: int, size: tuple[int, int]) -> list[Word]:
    """The words' boxes in the frame of the image turned `turn` degrees clockwise."""
    if turn % 360 == 0:
        return words
    width, height = size
    out = []
    for w in words:
        x0, y0, x1, y1 = w.box
        if turn == 90:  # (x, y) -> (H - y, x)
            box = (height - y1, x0, height - y0, x1)
        elif turn == 270:  # (x, y) -> (y, W - x)
            box = (y0, width - x1, y1, width - x0)
        else:  # 180
            box = (width - x1, height - y1, width - x0, height - y0)
        out.append(Word(w.text, w.conf, box, w.line))
    return out


def _by_line(words: list[Word]) -> dict[tuple[int, int, int], list[Word]]:
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault(w.line, []).append(w)
    return lines


def rows_slope(words: list[Word], fallback_degrees: float = 0.0) -> float:
    """The tilt of the printed rows (dy/dx, positive when rows fall to the right), as the
    median over tesseract's longer lines of the slope through their words' centres."""
    slopes: list[float] = []
    for members in _by_line(words).values():
        if len(members) < _SLOPE_MIN_WORDS:
            continue
        xs = [(w.box[0] + w.box[2]) / 2 for w in members]
        ys = [(w.box[1] + w.box[3]) / 2 for w in members]
        mx, my = statistics.fmean(xs), statistics.fmean(ys)
        sxx = sum((x - mx) ** 2 for x in xs)
        if sxx <= 0:
            continue
        slopes.append(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx)
    if len(slopes) >= 2:
        return statistics.median(slopes)
    return math.tan(math.radians(fallback_degrees))


def printed_text(words: list[Word], slope: float) -> str:
    """Page text line by line, as printed, with rows levelled by `slope` (dy/dx)."""
    pieces: list[tuple[float, float, float, str]] = []  # centre y, height, left, text
    for members in _by_line(words).values():
        members = sorted(members, key=lambda w: w.box[0])
        boxes = [w.box for w in members]
        # Median centre and height: one stray speck read as a tall glyph must not stretch it.
        centre = statistics.median((b[1] + b[3]) / 2 - slope * (b[0] + b[2]) / 2 for b in boxes)
        height = statistics.median(b[3] - b[1] for b in boxes)
        pieces.append((centre, max(height, 1.0), min(b[0] for b in boxes), _line_text(members)))
    pieces.sort(key=lambda p: (p[0], p[2]))
    rows: list[tuple[float, float, list[tuple[float, str]]]] = []
    for centre, height, left, text in pieces:
        for row_centre, row_height, members_ in rows:
            if abs(centre - row_centre) <= 0.5 * min(height, row_height):
                members_.append((left, text))
                break
        else:
            rows.append((centre, height, [(left, text)]))
    rows.sort(key=lambda r: r[0])
    return "\n".join(" ".join(t for _, t in sorted(m)) for _, _, m in rows)


def _line_text(words: list[Word]) -> str:
    parts: list[str] = []
    for i, w in enumerate(words):
        word = w.text.strip()
        if i:
            prev = words[i - 1]
            cjk = bool(_CJK.match(prev.text.strip()[-1:])) or bool(_CJK.match(word[:1]))
            # Chinese puts no space between characters, nor around Latin words and numbers;
            # keep one only where the page shows a wide gap.
            gap = w.box[0] - prev.box[2]
            if not cjk or gap > 1.5 * max(w.box[3] - w.box[1], 1.0):
                parts.append(" ")
        parts.append(word)
    return "".join(parts)
