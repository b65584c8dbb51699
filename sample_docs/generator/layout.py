"""Pagination and geometry: where every run of text sits on a page, in points.

Both the text-PDF and the raster renderer draw from the same runs, so a scanned page
prints exactly the ground-truth text of its text-PDF twin.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fonts import width
from .model import Institution, Line, Page

PAGE_SIZES: dict[str, tuple[float, float]] = {"letter": (612.0, 792.0), "a4": (595.3, 841.9)}
MARGIN = 54.0
FOOTER_SPACE = 30.0

# style -> (size factor, bold, extra leading in points)
_STYLES: dict[str, tuple[float, bool, float]] = {
    "org": (1.55, True, 5.0),
    "addr": (0.85, False, 2.5),
    "title": (1.3, True, 9.0),
    "head": (1.0, True, 7.0),
    "body": (1.0, False, 3.5),
    "kv": (1.0, False, 3.5),
    "table": (1.0, False, 3.5),
    "thead": (1.0, True, 4.5),
    "sig": (1.0, False, 3.5),
    "small": (0.9, False, 3.0),
    "foot": (0.8, False, 0.0),
    "gap": (0.6, False, 0.0),
}

_TABLE_COLS: dict[int, tuple[float, ...]] = {
    1: (0.0,),
    2: (0.0, 0.45),
    3: (0.0, 0.45, 0.72),
    4: (0.0, 0.40, 0.56, 0.72),
    5: (0.0, 0.36, 0.51, 0.59, 0.75),
    6: (0.0, 0.28, 0.44, 0.54, 0.66, 0.82),
}


@dataclass(frozen=True)
class Run:
    x: float  # points from the left edge
    y: float  # baseline, points from the top edge
    text: str
    family: str
    bold: bool
    size: float


def line_height(line: Line, body: float) -> float:
    factor, _, extra = _STYLES[line.style]
    return body * factor + extra


def paginate(
    inst: Institution, first: list[Line], running: list[Line], body: list[Line]
) -> list[Page]:
    """Fill pages: `first` tops page 1, `running` tops later pages; footers are added last."""
    size = inst.style.body_size
    _, height = PAGE_SIZES[inst.style.page_size]
    usable = height - 2 * MARGIN - FOOTER_SPACE
    pages: list[Page] = [Page(list(first))]
    used = sum(line_height(ln, size) for ln in first)
    for ln in body:
        h = line_height(ln, size)
        # Never leave a heading orphaned at the bottom of a page.
        need = h + (line_height(Line(("x",)), size) * 2 if ln.style == "head" else 0)
        if used + need > usable and len(pages[-1].lines) > len(running):
            pages.append(Page(list(running)))
            used = sum(line_height(x, size) for x in running)
            if ln.style == "gap":
                continue
        pages[-1].lines.append(ln)
        used += h
    total = len(pages)
    for n, page in enumerate(pages, start=1):
        page.lines.append(Line((inst.style.footer.format(n=n, N=total),), "foot"))
    return pages


def runs(inst: Institution, page: Page) -> list[Run]:
    st = inst.style
    pw, ph = PAGE_SIZES[st.page_size]
    usable_w = pw - 2 * MARGIN
    out: list[Run] = []
    y = MARGIN
    for ln in page.lines:
        factor, bold, extra = _STYLES[ln.style]
        size = st.body_size * factor
        if ln.style == "foot":
            text = ln.cells[0]
            w = width(text, st.font, bold, size)
            out.append(Run((pw - w) / 2, ph - MARGIN + 14, text, st.font, bold, size))
            continue
        y += size + extra
        cells = list(ln.cells)
        if ln.style in ("table", "thead"):
            cols = _TABLE_COLS[len(cells)]
        elif ln.style == "kv":
            cols = tuple(i / len(cells) for i in range(len(cells)))
        else:
            cols = (0.0,)
            cells = [ln.text]
        for i, cell in enumerate(cells):
            if not cell:
                continue
            # Shrink a cell that would overflow its column rather than let cells overlap.
            room = (
                (cols[i + 1] - cols[i]) * usable_w - 8
                if i + 1 < len(cols)
                else (1 - cols[i]) * usable_w
            )
            w = width(cell, st.font, bold, size)
            fsize = size * (room / w if w > room > 0 else 1.0)
            x = MARGIN + cols[i] * usable_w
            if ln.style in ("org", "addr") and len(cells) == 1:
                w = width(cell, st.font, bold, fsize)
                if st.letterhead_align == "center":
                    x = (pw - w) / 2
                elif st.letterhead_align == "right":
                    x = pw - MARGIN - w
            elif ln.style == "title" and st.letterhead_align == "center":
                x = (pw - width(cell, st.font, bold, fsize)) / 2
            out.append(Run(x, y, cell, st.font, bold, fsize))
    return out


def rules(inst: Institution, page: Page) -> list[float]:
    """Y positions (points from top) of horizontal rules: under the letterhead and table heads."""
    if not inst.style.rule:
        return []
    st = inst.style
    y = MARGIN
    out: list[float] = []
    prev = ""
    for ln in page.lines:
        factor, _, extra = _STYLES[ln.style]
        if ln.style == "foot":
            continue
        if prev == "addr" and ln.style != "addr":
            out.append(y + 4)
        y += st.body_size * factor + extra
        if ln.style == "thead":
            out.append(y + 3)
        prev = ln.style
    return out
