"""Page images: the same runs as the text PDF, drawn with the same fonts, then aged.

Scans get skew, speckle, blur and JPEG artefacts; phone photos get perspective, uneven light
and a desk around the paper; faxes are 204 x 98 dpi, 1-bit.
"""

from __future__ import annotations

import io
import random
from functools import cache

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from .fonts import font_path
from .layout import MARGIN, PAGE_SIZES, rules, runs
from .model import Institution, Page


@cache
def _font(family: str, bold: bool, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(family, bold)), px)


def render(
    inst: Institution, page: Page, dpi: float, dpi_y: float | None = None, ink: int = 25
) -> Image.Image:
    """Upright grayscale page image; `dpi_y` differs from `dpi` only for fax resolution."""
    dpi_y = dpi_y or dpi
    pw, ph = PAGE_SIZES[inst.style.page_size]
    sx, sy = dpi / 72.0, dpi_y / 72.0
    img = Image.new("L", (round(pw * sx), round(ph * sy)), 255)
    draw = ImageDraw.Draw(img)
    # Fax rendering: draw square at the horizontal resolution, then squash vertically.
    if dpi_y != dpi:
        tall = render(inst, page, dpi, None, ink)
        return tall.resize((img.width, img.height), Image.Resampling.LANCZOS)
    for r in runs(inst, page):
        draw.text(
            (r.x * sx, r.y * sy),
            r.text,
            fill=ink,
            font=_font(r.family, r.bold, max(6, round(r.size * sx))),
            anchor="ls",
        )
    for y in rules(inst, page):
        draw.line(
            [(MARGIN * sx, y * sy), ((pw - MARGIN) * sx, y * sy)],
            fill=ink,
            width=max(1, round(0.6 * sx)),
        )
    return img


def _noise(img: Image.Image, rng: random.Random, sigma: float, speckle: float) -> Image.Image:
    nrng = np.random.default_rng(rng.randrange(2**32))
    a = np.asarray(img, dtype=np.float32)
    a = a + nrng.normal(0.0, sigma, a.shape)
    if speckle:
        mask = nrng.random(a.shape) < speckle
        a[mask] = nrng.uniform(0, 120, int(mask.sum()))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "L")


def age_scan(img: Image.Image, rng: random.Random, skew: float, heavy: bool = False) -> Image.Image:
    """A flatbed/ADF scan: slight blur, toner noise, skew; heavy = barely legible."""
    out = img.filter(ImageFilter.GaussianBlur(0.55))
    if heavy:
        small = out.resize((out.width // 4, out.height // 4), Image.Resampling.BILINEAR)
        out = small.resize(out.size, Image.Resampling.BILINEAR).filter(
            ImageFilter.GaussianBlur(2.2)
        )
        # Washed-out toner: squeeze the contrast into a narrow gray band.
        out = out.point(lambda v: 150 + v * 0.38)
        out = _noise(out, rng, 28.0, 0.02)
    else:
        out = _noise(out, rng, 7.0, 0.0008)
    out = out.rotate(skew, resample=Image.Resampling.BICUBIC, fillcolor=245, expand=False)
    return out


def turn(img: Image.Image, upright_rotation: int) -> Image.Image:
    """Store a page so that turning it `upright_rotation` degrees clockwise reads upright."""
    if upright_rotation % 360 == 0:
        return img
    # PIL rotates counter-clockwise, the inverse of the clockwise turn that restores it.
    return img.rotate(upright_rotation, expand=True)


def jpeg_bytes(
    img: Image.Image, quality: int, dpi: float = 200, exif: bytes | None = None
) -> bytes:
    buf = io.BytesIO()
    kwargs: dict[str, object] = {"quality": quality, "dpi": (dpi, dpi), "optimize": False}
    if exif is not None:
        kwargs["exif"] = exif
    img.save(buf, "JPEG", **kwargs)
    return buf.getvalue()


def photo(img: Image.Image, rng: random.Random) -> Image.Image:
    """A phone photo of the page on a desk: perspective, warm uneven light, some blur."""
    page = img.convert("RGB")
    w, h = page.size
    pad = int(w * 0.12)
    canvas_w, canvas_h = w + 2 * pad, h + 2 * pad
    desk = Image.new("RGB", (canvas_w, canvas_h), (92, 74, 58))
    desk.paste(page, (pad, pad))
    # Perspective: the far edge of the paper appears narrower than the near edge.
    dx = int(w * rng.uniform(0.05, 0.09))
    dy = int(h * rng.uniform(0.01, 0.03))
    src = [(pad - dx, pad - dy), (pad + w + dx, pad), (pad + w, pad + h + dy), (pad, pad + h)]
    coeffs = _perspective_coeffs([(0, 0), (canvas_w, 0), (canvas_w, canvas_h), (0, canvas_h)], src)
    warped = desk.transform(
        desk.size,
        Image.Transform.PERSPECTIVE,
        coeffs,
        Image.Resampling.BICUBIC,
        fillcolor=(92, 74, 58),
    )
    a = np.asarray(warped, dtype=np.float32)
    yy, xx = np.mgrid[0:canvas_h, 0:canvas_w]
    cx, cy = canvas_w * rng.uniform(0.3, 0.7), canvas_h * rng.uniform(0.2, 0.5)
    dist = np.sqrt(((xx - cx) / canvas_w) ** 2 + ((yy - cy) / canvas_h) ** 2)
    light = 1.06 - 0.45 * dist  # a lamp to one side, falling off across the sheet
    tint = np.array([1.0, 0.97, 0.90], dtype=np.float32)
    a = a * light[..., None] * tint
    nrng = np.random.default_rng(rng.randrange(2**32))
    a = a + nrng.normal(0.0, 4.0, a.shape)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    return out.filter(ImageFilter.GaussianBlur(0.6))


def _perspective_coeffs(
    dst: list[tuple[int, int]], src: list[tuple[int, int]]
) -> tuple[float, ...]:
    rows = []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
    a = np.array(rows, dtype=np.float64)
    b = np.array([c for pt in src for c in pt], dtype=np.float64)
    return tuple(float(x) for x in np.linalg.solve(a, b))


def fax(inst: Institution, page: Page, rng: random.Random) -> Image.Image:
    """Standard-resolution fax: 204 x 98 dpi, thresholded to 1 bit, a few line dropouts."""
    img = render(inst, page, 204, 98)
    img = _noise(img, rng, 10.0, 0.0005)
    # Fax machines keep faint strokes: a light threshold, as in the T.4 "text" mode.
    bw = img.point(lambda v: 255 if v > 190 else 0).convert("1")
    return bw


def unreadable_photo(rng: random.Random) -> Image.Image:
    """A dark, motion-blurred photo of a page: nothing legible survives."""
    w, h = 1200, 1600
    nrng = np.random.default_rng(rng.randrange(2**32))
    a = np.full((h, w, 3), 40.0, dtype=np.float32)
    a[200:1400, 150:1050] = 95.0
    for y in range(260, 1350, 34):
        a[y : y + 10, 200 : 200 + rng.randint(400, 820)] = 70.0
    a = a + nrng.normal(0.0, 12.0, a.shape)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    return img.filter(ImageFilter.BoxBlur(14))
