"""Image uploads (JPEG, PNG, TIFF incl. multi-frame faxes, HEIC, GIF, BMP, WebP) as OCR jobs."""

from __future__ import annotations

import io
import time
import warnings

import pillow_heif
from PIL import Image, ImageOps, ImageSequence, UnidentifiedImageError

from extractors.errors import FileErrorCode, FileRejected
from extractors.limits import DEFAULT_LIMITS, Limits, check_time
from extractors.page_job import PageJob
from extractors.quiet import pin_content_loggers
from extractors.tiff_scan import most_pieces

pillow_heif.register_heif_opener()
pin_content_loggers()

# EXIF orientation tag -> degrees clockwise the stored pixels must turn to display upright.
_EXIF_ROTATION = {1: 0, 2: 0, 3: 180, 4: 180, 5: 90, 6: 90, 7: 270, 8: 270}
_EXIF_ORIENTATION = 0x0112
# A US letter page is 8.5 in wide: the best guess of resolution for an image without one.
_PAGE_WIDTH_IN = 8.5


def _guess_dpi(width: int, info_dpi: object) -> tuple[int, float]:
    """(x dpi, y/x pixel aspect) from the file's own resolution, else from the page width."""
    if isinstance(info_dpi, tuple) and len(info_dpi) == 2:
        try:
            x, y = float(info_dpi[0]), float(info_dpi[1])
        except (TypeError, ValueError):
            x = y = 0.0
        if 70 <= x <= 1200 and 35 <= y <= 1200:
            return int(round(x)), y / x
    return int(min(600, max(100, round(width / _PAGE_WIDTH_IN)))), 1.0


def to_gray(img: Image.Image) -> Image.Image:
    """Grayscale on white: transparent pixels would otherwise turn black and hide the text."""
    if img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("L")
    return img.convert("L")


def _encode(frame: Image.Image) -> bytes:
    buf = io.BytesIO()
    frame.save(buf, format="PNG", compress_level=1)
    return buf.getvalue()


def plan_image(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[PageJob]:
    """One OCR job per frame; raises FileRejected for unreadable or oversized images."""
    started = time.monotonic()
    pieces = most_pieces(data, limits.max_pages)
    if pieces > limits.max_strips:
        raise FileRejected(
            FileErrorCode.TOO_LARGE,
            f"{name}: a TIFF frame is stored in {pieces} strips or tiles, over the limit of {limits.max_strips}",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            width, height = img.size
            if width * height > limits.max_image_pixels:
                raise FileRejected(
                    FileErrorCode.TOO_LARGE,
                    f"{name}: image is {width}x{height} pixels, over the {limits.max_image_pixels // 1_000_000} megapixel limit",
                )
            frames = getattr(img, "n_frames", 1)
            if frames > limits.max_pages:
                raise FileRejected(
                    FileErrorCode.TOO_LARGE,
                    f"{name}: image has {frames} frames, over the limit of {limits.max_pages}",
                )
            fmt = (img.format or "").upper()
            jobs: list[PageJob] = []
            for number, frame in enumerate(ImageSequence.Iterator(img), start=1):
                check_time(name, started, limits)
                fw, fh = frame.size
                if fw * fh > limits.max_image_pixels:
                    raise FileRejected(
                        FileErrorCode.TOO_LARGE, f"{name}: frame {number} is over the pixel limit"
                    )
                jobs.append(_frame_job(name, number, frame, fmt, data if frames == 1 else None))
    except FileRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise FileRejected(
            FileErrorCode.TOO_LARGE, f"{name}: image declares too many pixels"
        ) from exc
    except UnidentifiedImageError as exc:
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: image data is not readable") from exc
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise FileRejected(FileErrorCode.CORRUPT, f"{name}: image is damaged or truncated") from exc
    if not jobs:
        raise FileRejected(FileErrorCode.EMPTY, f"{name}: image has no frames")
    return jobs


def _frame_job(
    name: str, number: int, frame: Image.Image, fmt: str, whole_file: bytes | None
) -> PageJob:
    orientation = 1
    try:
        orientation = int(frame.getexif().get(_EXIF_ORIENTATION, 1) or 1)
    except (ValueError, TypeError, OSError):
        orientation = 1
    dpi, aspect = _guess_dpi(frame.width, frame.info.get("dpi"))
    frame.load()
    # A plain single-frame JPEG goes to tesseract as it is: no re-encoding, no loss.
    if fmt == "JPEG" and whole_file is not None and orientation == 1 and frame.mode in ("L", "RGB"):
        return PageJob(
            file=name,
            number=number,
            image=whole_file,
            image_suffix=".jpg",
            dpi=dpi,
            passthrough=True,
        )
    upright = ImageOps.exif_transpose(frame) if orientation != 1 else frame
    if upright.mode not in ("1", "L"):
        upright = to_gray(upright)
    # Standard-resolution faxes are 204x98 dpi: stretch to square pixels or glyphs are squashed.
    if abs(aspect - 1.0) > 0.2:
        upright = upright.convert("L").resize(
            (upright.width, max(1, round(upright.height / aspect))), Image.Resampling.BICUBIC
        )
    return PageJob(
        file=name,
        number=number,
        image=_encode(upright),
        image_suffix=".png",
        dpi=dpi,
        base_rotation=_EXIF_ROTATION.get(orientation, 0),
    )
