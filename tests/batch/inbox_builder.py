"""A small real inbox for the batch tests: text PDFs (reportlab), scanned PDFs (rendered
page images, as a scanner makes them), a corrupt file and loose files."""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

ALICE = {"name": "Alice Marlow", "dob": "1961-03-14", "mrn": "SMH-4410237", "sex": "female"}
BRUNO = {"name": "Bruno Castellane", "dob": "1958-07-02", "mrn": "SMH-5520981", "sex": "male"}


def text_pdf(pages: list[list[str]]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter, invariant=1)
    for lines in pages:
        y = 720
        for line in lines:
            c.drawString(72, y, line)
            y -= 18
        c.showPage()
    c.save()
    return buf.getvalue()


def scanned_pdf(pages: list[list[str]], dpi: int = 200) -> bytes:
    """Page images with the text drawn on them, saved as an image-only PDF."""
    font = ImageFont.truetype(FONT, int(dpi * 0.16))
    images = []
    for lines in pages:
        img = Image.new("L", (int(8.5 * dpi), int(11 * dpi)), 255)
        draw = ImageDraw.Draw(img)
        y = dpi
        for line in lines:
            draw.text((dpi, y), line, font=font, fill=0)
            y += int(dpi * 0.3)
        images.append(img)
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", resolution=dpi, save_all=True, append_images=images[1:])
    return buf.getvalue()


def header(p: dict[str, str]) -> list[str]:
    return [f"Patient: {p['name']}", f"DOB: {p['dob']}", f"MRN: {p['mrn']}"]


def labs(p: dict[str, str], date: str) -> list[str]:
    return [
        "LABORATORY RESULTS",
        *header(p),
        f"Collected: {date}",
        "Absolute neutrophil count (ANC): 2100 /uL",
        "Platelets: 182000 /uL",
        "Creatinine: 0.9 mg/dL",
        "Total bilirubin: 0.6 mg/dL",
    ]


def echo(p: dict[str, str], date: str) -> list[str]:
    return [
        "TRANSTHORACIC ECHOCARDIOGRAM REPORT",
        *header(p),
        f"Study date: {date}",
        "Left ventricular ejection fraction (LVEF): 58%",
        "Impression: normal left ventricular systolic function.",
    ]


def clinic(p: dict[str, str], date: str) -> list[str]:
    return [
        "CLINIC NOTE - HEMATOLOGY/ONCOLOGY",
        *header(p),
        f"Date of visit: {date}",
        "ECOG performance status: 1",
        "Assessment: relapsed lymphoma, referred for CAR-T evaluation.",
    ]


def build_inbox(root: Path) -> Path:
    """Two cases, a corrupt upload, one loose file for a case and one for nobody."""
    alice = root / "alice"
    bruno = root / "bruno"
    alice.mkdir(parents=True)
    bruno.mkdir()
    (alice / "case.json").write_text(
        json.dumps({"program": "cart-lbcl", "as_of": "2026-11-20", "patient": ALICE})
    )
    (bruno / "case.json").write_text(
        json.dumps({"program": "cart-lbcl", "as_of": "2026-11-20", "patient": BRUNO})
    )
    (alice / "labs.pdf").write_bytes(text_pdf([labs(ALICE, "2026-11-12")]))
    (alice / "echo_scan.pdf").write_bytes(scanned_pdf([echo(ALICE, "2026-10-30")]))
    (bruno / "notes_scan.pdf").write_bytes(
        scanned_pdf([clinic(BRUNO, "2026-11-10"), labs(BRUNO, "2026-11-10")])
    )
    (bruno / "broken.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> garbage, the upload was cut")
    (root / "fax_for_alice.pdf").write_bytes(text_pdf([clinic(ALICE, "2026-11-15")]))
    stranger = {"name": "Zed Quimby", "dob": "1970-01-01", "mrn": "XYZ-000111"}
    (root / "unknown_patient.pdf").write_bytes(text_pdf([labs(stranger, "2026-11-01")]))
    return root
