"""A fax saved as a PDF in standard mode: 200 dpi across but only 100 dpi down, so each
stored pixel is twice as tall as it is wide. Read as stored, every glyph is squashed to
half its height and tesseract loses most words; stretched back to square pixels the page
reads. Serology results OCR misspells ("Non-reuctive") are still non-reactive. Built with
reportlab and PIL, read by real tesseract; the wording is ours."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from extractors.documents import find_documents
from extractors.fields_labs import STATUS_LABELS, read_status
from extractors.pages import read_item
from extractors.pdf import plan_pdf
from extractors.sources import expand_bytes
from tests.reading.builders import page_image

LAB_PAGE = [
    "KESTREL VALLEY HOSPITAL LABORATORY",
    "Patient: ABERNATHY-COLE, WINIFRED   MRN: KV-3318204",
    "DOB: 07/19/1963   Sex: F",
    "Collected: 10/02/2026 07:40   Resulted: 10/03/2026",
    "VIRAL SEROLOGY",
    "Test                                   Result          Reference",
    "HIV-1/2 antigen/antibody combo         Non-reactive    Non-reactive",
    "Hepatitis B surface antigen            Non-reactive    Non-reactive",
    "Hepatitis C antibody                   Non-reactive    Non-reactive",
    "Verified by the laboratory scientist on duty",
]


def _standard_mode_fax_pdf() -> bytes:
    # A letter page at 200 dpi in 8 pt type, made bilevel as a fax machine does, then every other row
    # kept: what a standard-mode fax stores (1700 x 1100 pixels for 8.5 x 11 inches).
    fine = Image.new("L", (1700, 2200), 255)
    fine.paste(page_image(LAB_PAGE, size=22, width=1700), (0, 80))
    bilevel = fine.point(lambda v: 255 if v > 128 else 0).convert("1")
    stored = bilevel.resize((1700, 1100), Image.Resampling.NEAREST)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    c.drawImage(ImageReader(stored), 0, 0, width=letter[0], height=letter[1])
    c.showPage()
    c.save()
    return buf.getvalue()


def test_the_fax_page_goes_to_ocr_with_square_pixels() -> None:
    (job,) = plan_pdf("fax.pdf", _standard_mode_fax_pdf())
    assert job.image is not None
    with Image.open(io.BytesIO(job.image)) as img:
        assert img.size == (1700, 2200)


def test_a_standard_mode_fax_reads_patient_and_serology() -> None:
    (item,) = list(expand_bytes("fax.pdf", _standard_mode_fax_pdf()))
    (document,) = find_documents(read_item(item))
    assert document.patient.mrn == "KV-3318204"
    assert document.patient.dob is not None and document.patient.dob.year == 1963
    fields = document.fields
    assert (fields.hiv, fields.hbsag, fields.hcv_ab) == ("negative", "negative", "negative")


def test_non_reactive_as_ocr_misspells_it_is_negative() -> None:
    for written in ("Non-reuctive", "Non-renctive", "Nop-reactive", "Nomreactive", "Non-teactive"):
        text = f"Hepatitis C antibody   {written}   Non-reactive"
        assert read_status(text, STATUS_LABELS["hcv_ab"]) == "negative", written
    assert read_status("Hepatitis C antibody   Reactive", STATUS_LABELS["hcv_ab"]) == "positive"
