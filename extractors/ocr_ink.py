"""Account for a page's ink: text that tesseract's page layout left unread is read again.

tesseract's layout analysis (`--psm 3`) sometimes takes a whole paragraph for a picture
and drops it without a trace: the page's confidence still looks fine, since it is the
mean over the words that were read. Here the page's ink (extractors/page_ink.py) is
compared with the word boxes. Ink no word covers that looks like text (marks of a text
line's height, not rules, solid blobs, a scanner's edge or specks) is cropped in blocks
and read on its own (`--psm 6`, a uniform block, or `--psm 7` for one line); the words
found are placed among the others by position (extractors/ocr_layout.py). The share of
text-like ink under words is recorded, so a page that stays short of it can be sent to
a person. A page fully accounted for costs a few milliseconds of array work, no pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytesseract
from PIL import Image

from extractors.ocr_layout import Word
from extractors.page_ink import page_ink

# Below this share of its text-like ink under words a page is marked for review.
REVIEW_BELOW = 0.9
# Unread text-like ink under this share of the page's is not worth a pass: a stray mark.
_REREAD_ABOVE = 0.01
# Working-resolution sizes (page_ink.WORK_DPI, about 110 dpi): a text line's marks are
# 5-60 px tall (6 to 36 pt); a word of small print holds a few dozen inked pixels.
_LINE_MIN_PX, _LINE_MAX_PX = 5, 60
_MIN_MARK_INK = 30
# Text fills under half of its box; a punch hole, a filled box or a dark edge nearly all.
_MAX_TEXT_FILL = 0.6
# Thickness (working pixels) of a drawn rule or a box's edge, column by column.
_RULE_MAX_PX = 3
# Surroundings this much darker than the paper are not paper.
_OFF_PAPER_CONTRAST = 80
# At most this many blocks are read again on one page (bounded cost on a noisy one).
_MAX_BLOCKS = 8
# Words read again below this confidence are noise taken for letters.
_MIN_WORD_CONF = 45.0
# Words read below this confidence do not account for their ink (guesses at a smear).
_COUNTED_CONF = 40.0
# Re-read words are numbered apart from tesseract's own blocks.
_BLOCK_BASE = 10_000


@dataclass(frozen=True)
class InkAccount:
    share: float | None  # text-like ink under words, 0-1; None when the page has none
    words: list[Word]  # words read again, in the frame of the image read
    blocks_read: int


def account_for_ink(
    path: Path, words: list[Word], dpi: int, lang: str, timeout_s: float
) -> InkAccount:
    """Read again the text-like ink of the image at `path` that no word of `words` covers."""
    with Image.open(path) as img:
        gray = img.convert("L")
    ink = page_ink(gray, dpi)
    f = ink.factor
    covered = _covered(ink.mask.shape, words, f)
    small = np.asarray(ink.small)
    marks = _text_marks(ink.mask & ~covered, small)
    under = int((ink.mask & covered).sum())
    unread = sum(m[4] for m in marks)
    if under + unread == 0:
        return InkAccount(None, [], 0)
    if unread <= _REREAD_ABOVE * (under + unread):
        return InkAccount(_share(ink.mask, small, words, f), [], 0)
    found: list[Word] = []
    blocks = sorted(_blocks(marks), key=lambda b: -b[4])[:_MAX_BLOCKS]
    for n, (x0, y0, x1, y1, _, one_line) in enumerate(blocks):
        pad = 4
        crop_box = (
            max(0, (x0 - pad) * f),
            max(0, (y0 - pad) * f),
            min(gray.width, (x1 + pad) * f),
            min(gray.height, (y1 + pad) * f),
        )
        psm = 7 if one_line else 6
        found += _read_block(gray.crop(crop_box), crop_box[:2], psm, lang, dpi, timeout_s, n)
    # A block's crop takes in lines already read beside the unread ones: keep those once.
    found = [w for w in found if not _already_read(w, words)]
    return InkAccount(_share(ink.mask, small, words + found, f), found, len(blocks))


def _share(mask: np.ndarray, small: np.ndarray, words: list[Word], f: int) -> float:
    """Text-like ink under words read with some confidence, of all text-like ink: a
    smear or a scribble read as a string of guesses is not accounted for."""
    sure = _covered(mask.shape, [w for w in words if w.conf >= _COUNTED_CONF], f)
    under = int((mask & sure).sum())
    unread = sum(m[4] for m in _text_marks(mask & ~sure, small))
    return round(under / max(under + unread, 1), 3)


def _already_read(word: Word, words: list[Word]) -> bool:
    x0, y0, x1, y1 = word.box
    area = max((x1 - x0) * (y1 - y0), 1.0)
    for w in words:
        ix = min(x1, w.box[2]) - max(x0, w.box[0])
        iy = min(y1, w.box[3]) - max(y0, w.box[1])
        if ix > 0 and iy > 0 and ix * iy > 0.4 * area:
            return True
    return False


def _covered(shape: tuple[int, ...], words: list[Word], f: int) -> np.ndarray:
    mask = np.zeros(shape, dtype=bool)
    for w in words:
        x0, y0, x1, y1 = (v / f for v in w.box)
        # A little round each box: antialiased edges and accents sit just outside it.
        pad = max(1.0, 0.3 * (y1 - y0))
        mask[
            max(0, int(y0 - pad)) : int(y1 + pad) + 1, max(0, int(x0 - pad)) : int(x1 + pad) + 1
        ] = True
    return mask


Mark = tuple[int, int, int, int, int]  # x0, y0, x1, y1 (exclusive), inked pixels


def _text_marks(unread: np.ndarray, small: np.ndarray) -> list[Mark]:
    """Runs of unread ink, letters joined into words, that have the shape of text and
    lie on paper (`small`: the page in gray at the mask's resolution)."""
    paper = float(np.percentile(small, 90))
    # Join the letters of a word (gaps under about 1 mm) so a word is one component.
    joined = _dilate_rows(unread, 3)
    out: list[Mark] = []
    for x0, y0, x1, y1 in _components(joined):
        h, w = y1 - y0, x1 - x0
        if not (_LINE_MIN_PX <= h <= _LINE_MAX_PX) or w < 4:
            continue
        piece = unread[y0:y1, x0:x1]
        inked = int(piece.sum())
        if inked < _MIN_MARK_INK or inked > _MAX_TEXT_FILL * h * w:
            continue
        # A rule, tilted with the page, spans several rows but is thin in every column;
        # letters have stems.
        if float(np.percentile(piece.sum(axis=0), 95)) <= _RULE_MAX_PX:
            continue
        if _off_paper(small, (x0, y0, x1, y1), paper):
            continue
        out.append((x0, y0, x1, y1, inked))
    return out


def _off_paper(small: np.ndarray, box: tuple[int, int, int, int], paper: float) -> bool:
    """A mark along the edge of something dark (a photographed page's edge against the
    desk, a scanner's margin, a picture), not text on paper: its surroundings are dark."""
    x0, y0, x1, y1 = box
    h = y1 - y0
    around = small[max(0, y0 - h) : y1 + h, max(0, x0 - h) : x1 + h].astype(np.int16)
    ring = np.ones(around.shape, dtype=bool)
    ring[min(h, y0) : min(h, y0) + h, min(h, x0) : min(h, x0) + (x1 - x0)] = False
    return float(np.median(around[ring])) < paper - _OFF_PAPER_CONTRAST


def _blocks(marks: list[Mark]) -> list[tuple[int, int, int, int, int, int]]:
    """Marks gathered into blocks to read: words of one line, lines of one paragraph.
    Each block: x0, y0, x1, y1, inked pixels, and 1 when it is a single line."""
    blocks: list[list[int]] = []
    for x0, y0, x1, y1, inked in sorted(marks, key=lambda m: (m[1], m[0])):
        h = y1 - y0
        for b in blocks:
            # Same line: rows overlapping by half a height, a gap under three heights.
            # Next line: starting at most a line's height below, columns overlapping.
            overlap = min(y1, b[3]) - max(y0, b[1])
            same_line = overlap > 0.5 * h and x0 - b[2] < 3 * h and b[0] - x1 < 3 * h
            next_line = -0.5 * h <= y0 - b[3] < 1.2 * h and x0 < b[2] and x1 > b[0]
            if same_line or next_line:
                b[0], b[1], b[2], b[3] = min(b[0], x0), min(b[1], y0), max(b[2], x1), max(b[3], y1)
                b[4] += inked
                b[5] = max(b[5], h)
                break
        else:
            blocks.append([x0, y0, x1, y1, inked, h])
    # One line when the block is hardly taller than its tallest mark.
    return [(b[0], b[1], b[2], b[3], b[4], int(b[3] - b[1] < 1.5 * b[5])) for b in blocks]


def _read_block(
    crop: Image.Image,
    origin: tuple[int, int],
    psm: int,
    lang: str,
    dpi: int,
    timeout_s: float,
    n: int,
) -> list[Word]:
    try:
        data = pytesseract.image_to_data(
            crop,
            lang=lang,
            config=f"--psm {psm} --dpi {dpi}",
            output_type=pytesseract.Output.DICT,
            timeout=max(1.0, timeout_s),
        )
    except (RuntimeError, pytesseract.TesseractError):
        return []
    words = []
    for i in range(len(data["text"])):
        text = str(data["text"][i]).strip()
        conf = float(data["conf"][i])
        if data["level"][i] != 5 or not text or conf < _MIN_WORD_CONF:
            continue
        x0 = float(data["left"][i]) + origin[0]
        y0 = float(data["top"][i]) + origin[1]
        box = (x0, y0, x0 + float(data["width"][i]), y0 + float(data["height"][i]))
        line = (_BLOCK_BASE + n, int(data["par_num"][i]), int(data["line_num"][i]))
        words.append(Word(text, conf, box, line))
    return words


def _dilate_rows(mask: np.ndarray, k: int) -> np.ndarray:
    """Each inked pixel spread k pixels left and right."""
    out = mask.copy()
    for s in range(1, k + 1):
        out[:, s:] |= mask[:, :-s]
        out[:, :-s] |= mask[:, s:]
    return out


def _components(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """Bounding boxes (x0, y0, x1, y1) of 8-connected components, by runs per row."""
    parent: list[int] = []
    boxes: list[list[int]] = []

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    prev: list[tuple[int, int, int]] = []  # start, end (exclusive), run id
    rows = np.flatnonzero(mask.any(axis=1))
    last_row = -2
    for y in rows:
        line = mask[y].view(np.int8)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], line, [0]))))
        runs: list[tuple[int, int, int]] = []
        if y != last_row + 1:
            prev = []
        j = 0
        for a, b in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
            rid = len(parent)
            parent.append(rid)
            boxes.append([a, int(y), b, int(y) + 1])
            while j < len(prev) and prev[j][1] < a:
                j += 1
            k = j
            while k < len(prev) and prev[k][0] <= b:
                ra, rb = find(prev[k][2]), find(rid)
                if ra != rb:
                    parent[rb] = ra
                k += 1
            runs.append((a, b, rid))
        prev, last_row = runs, int(y)
    merged: dict[int, list[int]] = {}
    for i, box in enumerate(boxes):
        root = find(i)
        m = merged.setdefault(root, list(box))
        m[0], m[1] = min(m[0], box[0]), min(m[1], box[1])
        m[2], m[3] = max(m[2], box[2]), max(m[3], box[3])
    return [(m[0], m[1], m[2], m[3]) for m in merged.values()]
