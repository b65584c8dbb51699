"""Real test files built on the fly: PDFs (reportlab), page images (PIL + TTF), containers.

Pages are small (about 1000 x 800 px, large type) so that real tesseract reads each in
well under a second; the text is ordinary clinical wording, not tuned to any reader.
"""

from __future__ import annotations

import io
import zipfile
from email.message import EmailMessage
from pathlib import Path

import docx
from docx.enum.text import WD_BREAK
from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

LATIN_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"

ECHO_LINES = [
    "ECHOCARDIOGRAM REPORT",
    "Left ventricular ejection fraction 55 percent",
    "Normal left ventricular size and wall motion",
    "No pericardial effusion is seen today",
    "Mild mitral regurgitation without stenosis",
    "Signed by the reading cardiologist",
]
PATHOLOGY_LINES = [
    "SURGICAL PATHOLOGY REPORT",
    "Diagnosis: diffuse large B-cell lymphoma",
    "Specimen: left cervical lymph node biopsy",
    "Immunohistochemistry shows CD20 positive cells",
    "Ki-67 proliferation index about 80 percent",
    "Final report released by the pathologist",
]
CHINESE_LINES = [
    "病理报告",
    "诊断：弥漫性大B细胞淋巴瘤",
    "标本：左侧颈部淋巴结活检",
    "免疫组化：CD20阳性，Ki-67约百分之八十",
    "报告医师签名及日期见下方",
]


def page_image(
    lines: list[str], *, font: str = LATIN_FONT, size: int = 34, width: int = 1100
) -> Image.Image:
    """A white page with black type, one entry of `lines` per line (grayscale)."""
    face = ImageFont.truetype(font, size)
    height = 120 + len(lines) * int(size * 1.7)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    y = 60
    for line in lines:
        draw.text((60, y), line, font=face, fill=0)
        y += int(size * 1.7)
    return img


def image_bytes(img: Image.Image, fmt: str, **kwargs: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kwargs)
    return buf.getvalue()


def text_pdf(pages: list[list[str]], **encrypt: str) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, encrypt=_encryption(**encrypt) if encrypt else None)
    for lines in pages:
        y = 720
        for line in lines:
            c.drawString(72, y, line)
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


def _encryption(user: str = "", owner: str = "owner") -> object:
    from reportlab.lib import pdfencrypt

    return pdfencrypt.StandardEncryption(user, owner, canPrint=0)


def scan_pdf(
    pages: list[Image.Image | list[str]], tmp: Path, dpi: int = 150, stamp: str = ""
) -> bytes:
    """Each entry is a full-page scan (embedded as JPEG, its own resolution) or typed lines.
    `stamp` is typed over the top of each scan, as e-fax services do."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    for n, page in enumerate(pages):
        if isinstance(page, list):
            y = 720
            for line in page:
                c.drawString(72, y, line)
                y -= 16
        else:
            # A JPEG file path makes reportlab embed the JPEG untouched (DCTDecode), as scanners do.
            path = tmp / f"scan-{n}.jpg"
            page.save(path, format="JPEG", quality=90)
            w_pt, h_pt = page.width * 72 / dpi, page.height * 72 / dpi
            c.setPageSize((w_pt, h_pt))
            c.drawImage(ImageReader(str(path)), 0, 0, width=w_pt, height=h_pt)
            if stamp:
                c.setFont("Helvetica", 7)
                c.drawString(10, h_pt - 9, stamp)
        c.showPage()
        c.setPageSize(letter)
    c.save()
    return buf.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def eml_with(body: str, attachments: dict[str, tuple[bytes, str]]) -> bytes:
    msg = EmailMessage()
    msg["From"] = "records@outside-hospital.example"
    msg["To"] = "intake@cancer-center.example"
    msg["Subject"] = "Outside records"
    msg.set_content(body)
    for name, (data, mime) in attachments.items():
        maintype, subtype = mime.split("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


def docx_pages(
    pages: list[list[str]], table: list[list[str]] | None = None, letterhead: str = ""
) -> bytes:
    document = docx.Document()
    if letterhead:
        document.sections[0].header.paragraphs[0].text = letterhead
    for n, lines in enumerate(pages):
        for line in lines:
            document.add_paragraph(line)
        if n == 0 and table:
            t = document.add_table(rows=len(table), cols=len(table[0]))
            for r, row in enumerate(table):
                for col, value in enumerate(row):
                    t.cell(r, col).text = value
        if n < len(pages) - 1:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
