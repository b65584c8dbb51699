"""Small valid files of every accepted kind, made here so the fuzz seeds are real formats.

The text printed in them is invented; nothing is copied from any record. Images carry a
short line of large print so an OCR pass over a seed stays fast.
"""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from functools import cache

import docx
import pillow_heif
from PIL import Image, ImageDraw, ImageFont
from reading import letter_files, msg_files
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen import canvas

from fuzz import seeds_exports as exports

pillow_heif.register_heif_opener()

_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
LINES = ("LABORATORY RESULTS", "Platelets 182 x10^3/uL", "Collected 2026-10-02")


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    try:
        return ImageFont.truetype(_FONT, size)
    except OSError:
        return ImageFont.load_default()


def page_image(width: int = 360, height: int = 120) -> Image.Image:
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    font = _font(height // 6)
    for i, line in enumerate(LINES):
        draw.text((8, 8 + i * (height // 4)), line, fill=0, font=font)
    return img


def _encode(img: Image.Image, fmt: str, **opts: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **opts)
    return buf.getvalue()


@cache
def text_pdf() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A6, invariant=1)
    for page in range(2):
        y = 380
        for line in LINES:
            c.drawString(20, y, f"{line} ({page + 1})")
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


@cache
def scan_pdf() -> bytes:
    # One page that is only an image: the reader must OCR it.
    return _encode(page_image().convert("RGB"), "PDF", resolution=100.0)


@cache
def png() -> bytes:
    return _encode(page_image(), "PNG")


@cache
def jpeg() -> bytes:
    return _encode(page_image().convert("RGB"), "JPEG", quality=80)


@cache
def tiff() -> bytes:
    # Fax style: 1-bit, G4-compressed, two frames.
    frames = [page_image().convert("1"), page_image(300, 100).convert("1")]
    buf = io.BytesIO()
    frames[0].save(
        buf, format="TIFF", compression="group4", save_all=True, append_images=frames[1:]
    )
    return buf.getvalue()


@cache
def heic() -> bytes:
    return _encode(page_image().convert("RGB"), "HEIF", quality=60)


@cache
def docx_file() -> bytes:
    doc = docx.Document()
    doc.add_heading(LINES[0], level=1)
    for line in LINES[1:]:
        doc.add_paragraph(line)
    table = doc.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Test", "Result"
    table.cell(1, 0).text, table.cell(1, 1).text = "HIV", "Negative"
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


@cache
def eml() -> bytes:
    msg = EmailMessage()
    msg["From"] = "records@example.org"
    msg["To"] = "intake@example.org"
    msg["Subject"] = "Requested records"
    msg.set_content("Please find the requested records attached.")
    msg.add_attachment(text_pdf(), maintype="application", subtype="pdf", filename="labs.pdf")
    msg.add_attachment(png(), maintype="image", subtype="png", filename="photo.png")
    return msg.as_bytes()


@cache
def eml_utf16() -> bytes:
    # Outlook's "Save as Unicode text": the whole message in UTF-16 with its mark.
    msg = EmailMessage()
    msg["From"] = "records@example.org"
    msg["Subject"] = "Befund"
    msg["Date"] = "Fri, 02 Oct 2026 09:00:00 +0000"
    msg.set_content("Hämoglobin 12,1 g/dl für Frau Müller\n" + "\n".join(LINES))
    return msg.as_string().encode("utf-16")


@cache
def eml_attachment_only() -> bytes:
    # A scanner's mail: no text part at all, the message itself is the image.
    msg = EmailMessage()
    msg["From"] = "scanner@example.org"
    msg["To"] = "intake@example.org"
    msg.set_content(png(), maintype="image", subtype="png", filename="scan.png")
    return msg.as_bytes()


@cache
def text_latin1() -> bytes:
    return ("Befund für Frau Müller\r\n" + "\r\n".join(LINES)).encode("latin-1")


@cache
def odt() -> bytes:
    return letter_files.odfpy_odt()


RTF = (
    b"{\\rtf1\\ansi\\ansicpg1252{\\fonttbl{\\f0 Arial;}}\\f0 "
    + b"\\par ".join(line.encode() for line in LINES)
    + b"\\par\\trowd\\cellx2000\\cellx4000 Test\\cell Result\\cell\\row\\page M\\'fcller\\par}"
)


@cache
def word97(workdir: str = "/tmp") -> bytes | None:
    """A .doc saved by LibreOffice, when it is installed (bootstrap --dev installs it)."""
    import tempfile
    from pathlib import Path

    exe = letter_files.soffice()
    if exe is None:
        return None
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        return letter_files.convert(exe, Path(tmp), docx_file(), ("doc",))["doc"]


@cache
def outlook_msg() -> bytes:
    forwarded = msg_files.Message(subject="Fwd", body="Forwarded note", attachments=[])
    return msg_files.build(
        msg_files.Message(
            subject="Requested records",
            body="Please find the requested records attached.",
            attachments=[
                msg_files.Attachment("labs.pdf", text_pdf()),
                msg_files.Attachment("fwd.msg", embedded=forwarded),
            ],
        )
    )


def outlook_nested(levels: int) -> bytes:
    inner = msg_files.Message(subject="0", body="innermost")
    for n in range(levels):
        inner = msg_files.Message(
            subject=str(n), attachments=[msg_files.Attachment(f"m{n}.msg", embedded=inner)]
        )
    return msg_files.build(inner)


def odt_bomb() -> bytes:
    """An .odt whose content.xml inflates 40 MiB of spaces from a few KiB."""
    src = zipfile.ZipFile(io.BytesIO(odt()))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "content.xml":
                body = body.replace(b"<office:body>", b"<office:body>" + b" " * (40 << 20), 1)
            out.writestr(info.filename, body)
    return buf.getvalue()


def rtf_deep() -> bytes:
    return b"{\\rtf1 " + b"{" * 100_000 + b"note" + b"}" * 100_000 + b"}"


@cache
def zip_file() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("records/labs.pdf", text_pdf())
        zf.writestr("records/scan.png", png())
        zf.writestr("letter.docx", docx_file())
    return buf.getvalue()


# name -> (file name the upload carries, bytes). The names matter: readers may use the
# extension as a hint, and fuzzing must also cover content that lies about its name.
SEEDS: dict[str, tuple[str, bytes]] = {}


def seeds() -> dict[str, tuple[str, bytes]]:
    if not SEEDS:
        SEEDS.update(
            {
                "text_pdf": ("report.pdf", text_pdf()),
                "scan_pdf": ("scan.pdf", scan_pdf()),
                "png": ("photo.png", png()),
                "jpeg": ("photo.jpg", jpeg()),
                "tiff": ("fax.tif", tiff()),
                "heic": ("phone.heic", heic()),
                "docx": ("letter.docx", docx_file()),
                "eml": ("mail.eml", eml()),
                "eml_utf16": ("saved.eml", eml_utf16()),
                "eml_attachment_only": ("scan.eml", eml_attachment_only()),
                "text_latin1": ("export.txt", text_latin1()),
                "zip": ("upload.zip", zip_file()),
                "ccda": ("summary.xml", exports.ccda()),
                "xdm": ("portal.zip", exports.xdm_zip()),
                "dicom": ("IM000001", exports.dicom_image()),
                "dicom_sr": ("report.dcm", exports.dicom_sr()),
                "dicom_pdf": ("report.dcm", exports.dicom_pdf(text_pdf())),
                "dicomdir": ("DICOMDIR", exports.dicomdir()),
                "odt": ("letter.odt", odt()),
                "rtf": ("letter.rtf", RTF),
                "msg": ("referral.msg", outlook_msg()),
            }
        )
        doc = word97()
        if doc is not None:
            SEEDS["doc"] = ("letter.doc", doc)
    return SEEDS
