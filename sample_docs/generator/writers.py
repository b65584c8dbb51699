"""File writers: turn composed documents into the bytes of each upload form.

Every writer returns the file's bytes and, per stored page, the ground truth: the exact printed
text, how the page was captured, and how far it must be turned to read upright.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import pillow_heif
from PIL import Image

from . import raster
from .model import Built, Institution
from .pdfwrite import ImageSheet, Sheet, TextSheet, write_pdf
from .people import INSTITUTIONS

SCAN_DPI = 200
# A 12 MP phone photo of a letter page resolves roughly this much once the desk is cropped.
PHOTO_DPI = 200
ZIP_TIME = (2026, 11, 20, 9, 30, 0)
EXIF_TIME = "2026:11:18 14:22:07"


@dataclass
class Placed:
    """One composed document and how its pages are captured inside a file."""

    built: Built
    render: str = "text"  # text | scan | photo | fax
    rotations: dict[int, int] = field(default_factory=dict)  # page index -> upright_rotation
    heavy: bool = False  # barely legible scan


def _page_truth(n: int, text: str, kind: str, rotation: int, lang: str) -> dict[str, Any]:
    return {"number": n, "text": text, "kind": kind, "upright_rotation": rotation, "language": lang}


def _inst(b: Built) -> Institution:
    return INSTITUTIONS[b.institution]


def _scan_sheet(
    b: Built, idx: int, rng: random.Random, rotation: int, heavy: bool
) -> tuple[ImageSheet, Image.Image]:
    inst = _inst(b)
    img = raster.render(inst, b.pages[idx], SCAN_DPI)
    skew = rng.uniform(0.3, 2.5) * rng.choice((-1, 1))
    img = raster.age_scan(img, rng, skew, heavy)
    img = raster.turn(img, rotation)
    quality = 35 if heavy else rng.randint(60, 72)
    data = raster.jpeg_bytes(img, quality, SCAN_DPI)
    return ImageSheet(data, img.width * 72 / SCAN_DPI, img.height * 72 / SCAN_DPI), img


def pdf(
    placed: list[Placed], rng: random.Random, title: str = "", password: str | None = None
) -> tuple[bytes, list[dict[str, Any]]]:
    """Text, scanned or mixed PDF, depending on each document's `render`."""
    sheets: list[Sheet] = []
    truth: list[dict[str, Any]] = []
    for pl in placed:
        for i, page in enumerate(pl.built.pages):
            rot = pl.rotations.get(i, 0)
            if pl.render == "text":
                sheets.append(TextSheet(_inst(pl.built), page))
            else:
                sheets.append(_scan_sheet(pl.built, i, rng, rot, pl.heavy)[0])
            kind = "text" if pl.render == "text" else "scan"
            truth.append(_page_truth(len(truth) + 1, page.text, kind, rot, pl.built.language))
    return write_pdf(sheets, title, password), truth


def _exif(orientation: int, model: str = "iPhone 13") -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Apple"  # Make
    exif[0x0110] = model  # Model
    exif[0x0112] = orientation  # Orientation
    exif[0x0132] = EXIF_TIME  # DateTime
    exif[0x0131] = "17.6.1"  # Software
    return exif


def photo_jpeg(
    pl: Placed, rng: random.Random, sideways: bool = False
) -> tuple[bytes, list[dict[str, Any]]]:
    """Phone photo; `sideways` stores the pixels turned with EXIF Orientation 6, as iPhones do."""
    inst = _inst(pl.built)
    img = raster.photo(raster.render(inst, pl.built.pages[0], PHOTO_DPI), rng)
    rotation = 0
    orientation = 1
    if sideways:
        # Orientation 6: the viewer must turn the stored pixels 90 degrees clockwise.
        rotation, orientation = 90, 6
        img = raster.turn(img, 90)
    data = raster.jpeg_bytes(img, 82, 72, _exif(orientation).tobytes())
    return data, [_page_truth(1, pl.built.pages[0].text, "photo", rotation, pl.built.language)]


def heic(pl: Placed, rng: random.Random) -> tuple[bytes, list[dict[str, Any]]]:
    inst = _inst(pl.built)
    img = raster.photo(raster.render(inst, pl.built.pages[0], PHOTO_DPI), rng)
    pillow_heif.register_heif_opener()
    buf = io.BytesIO()
    # x265's default preset takes ~15 s per photo here; "ultrafast" is still a real HEVC stream.
    img.save(
        buf,
        "HEIF",
        quality=60,
        exif=_exif(1, "iPhone 15 Pro").tobytes(),
        enc_params={"preset": "ultrafast"},
    )
    return buf.getvalue(), [_page_truth(1, pl.built.pages[0].text, "photo", 0, pl.built.language)]


def png(pl: Placed) -> tuple[bytes, list[dict[str, Any]]]:
    """A patient-portal screenshot: clean, 144 dpi, RGB."""
    img = raster.render(_inst(pl.built), pl.built.pages[0], 144, ink=40).convert("RGB")
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue(), [_page_truth(1, pl.built.pages[0].text, "scan", 0, pl.built.language)]


def fax_tiff(placed: list[Placed], rng: random.Random) -> tuple[bytes, list[dict[str, Any]]]:
    frames: list[Image.Image] = []
    truth: list[dict[str, Any]] = []
    for pl in placed:
        for page in pl.built.pages:
            frames.append(raster.fax(_inst(pl.built), page, rng))
            truth.append(_page_truth(len(truth) + 1, page.text, "fax", 0, pl.built.language))
    buf = io.BytesIO()
    frames[0].save(
        buf, "TIFF", compression="group4", dpi=(204, 98), save_all=True, append_images=frames[1:]
    )
    return buf.getvalue(), truth


def docx(pl: Placed) -> tuple[bytes, list[dict[str, Any]]]:
    """A word-processor letter: one paragraph per printed line, letterhead in bold."""
    from docx import Document as DocxDocument
    from docx.shared import Pt

    doc = DocxDocument()
    fixed = dt.datetime(2026, 11, 12, 10, 0, 0)
    props = doc.core_properties
    props.author, props.created, props.modified, props.last_modified_by = (
        "Clinic secretary",
        fixed,
        fixed,
        "",
    )
    text_lines: list[str] = []
    for page in pl.built.pages:
        for ln in page.lines:
            if not ln.text or ln.style == "foot":
                continue
            par = doc.add_paragraph()
            run = par.add_run(ln.text)
            run.bold = ln.style in ("org", "title", "head")
            run.font.size = Pt(14 if ln.style == "org" else 10.5)
            text_lines.append(ln.text)
    buf = io.BytesIO()
    doc.save(buf)
    text = "\n".join(text_lines)
    return _fixed_zip_times(buf.getvalue()), [_page_truth(1, text, "text", 0, pl.built.language)]


def _fixed_zip_times(data: bytes) -> bytes:
    """python-docx stamps zip members with the current time; pin them for byte-identical output."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


def zip_of(members: list[tuple[str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(zi, data)
    return out.getvalue()


def eml_of(
    subject: str,
    sender: str,
    to: str,
    body: str,
    members: list[tuple[str, bytes]],
    when: dt.datetime,
    seed_tag: str,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(when)
    msg["Message-ID"] = f"<{seed_tag}@mail.example.org>"
    msg.set_content(body)
    for name, data in members:
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    # Fixed MIME boundary: the default one is random.
    msg.set_boundary(f"==rr-boundary-{seed_tag}==")
    return bytes(msg)


def wav_silence(seconds: float = 0.5) -> bytes:
    import wave

    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(8000)
        w.writeframes(b"\x00\x00" * int(8000 * seconds))
    return buf.getvalue()


def unreadable_jpeg(rng: random.Random) -> bytes:
    return raster.jpeg_bytes(raster.unreadable_photo(rng), 70, 72, _exif(1).tobytes())
