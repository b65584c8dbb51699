"""Real upload files for end-to-end checklist tests: text PDFs (reportlab), a scanned page
(an image tesseract must read), an encrypted PDF, a truncated PDF, an empty file, audio.

The reports are written the way outside hospitals write them (letterhead, labelled patient
header, dated, values in lines), not in the sample generator's layouts.
"""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

PATIENT = ("HARGREAVE, ELEANOR", "DOB: 04/22/1971", "MRN: NVH-7730215", "Sex: F")
STRANGER = ("BOLTON, FRANCIS", "DOB: 09/30/1949", "MRN: NVH-1190442", "Sex: M")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _header(institution: str, title: str, who: tuple[str, ...], date_line: str) -> list[str]:
    name, dob, mrn, sex = who
    return [
        institution,
        "2200 Harbor View Road, Portland, OR 97201",
        "",
        title,
        f"Patient: {name}   {dob}   {mrn}   {sex}",
        date_line,
        "",
    ]


def write_pdf(path: Path, lines: list[str], encrypt: str | None = None) -> Path:
    c = canvas.Canvas(str(path), pagesize=letter, encrypt=encrypt)
    y = 740
    for line in lines:
        c.setFont("Helvetica-Bold" if y == 740 else "Helvetica", 11)
        c.drawString(60, y, line)
        y -= 16
    c.showPage()
    c.save()
    return path


def pathology(who: tuple[str, ...] = PATIENT) -> list[str]:
    return _header(
        "Northview Hospital Department of Pathology",
        "SURGICAL PATHOLOGY REPORT",
        who,
        "Date of procedure: 09/02/2026   Date reported: 09/05/2026",
    ) + [
        "Specimen: Lymph node, left cervical, excisional biopsy",
        "FINAL DIAGNOSIS:",
        "Diffuse large B-cell lymphoma, germinal center B-cell type",
        "Immunohistochemistry: CD20 positive, CD10 positive, BCL6 positive, MUM1 negative.",
        "Ki-67 proliferation index approximately 80%.",
        "Electronically signed by: R. Okonkwo, MD, Pathologist",
    ]


def pet_ct(date: str) -> list[str]:
    return _header(
        "Northview Hospital Department of Radiology", "PET-CT REPORT", PATIENT, f"Exam date: {date}"
    ) + [
        "EXAM: FDG PET-CT skull base to mid-thigh",
        "CLINICAL HISTORY: Relapsed diffuse large B-cell lymphoma, restaging.",
        "FINDINGS: FDG-avid left cervical and mediastinal lymph nodes, SUVmax 14.2.",
        "IMPRESSION: Persistent FDG-avid lymphoma, Deauville 5.",
        "Dictated by: M. Ferreira, MD, Radiologist",
    ]


def echo(lvef: int, date: str) -> list[str]:
    return _header(
        "Northview Heart Institute",
        "TRANSTHORACIC ECHOCARDIOGRAM REPORT",
        PATIENT,
        f"Study date: {date}",
    ) + [
        "Indication: Pre-treatment cardiac assessment before cellular therapy.",
        "Left ventricle: normal size, mildly reduced systolic function.",
        f"LVEF (biplane Simpson): {lvef}%",
        "No pericardial effusion. Valves structurally normal.",
        "Interpreting cardiologist: S. Lindqvist, MD",
    ]


def labs(
    who: tuple[str, ...] = PATIENT,
    date: str = "11/14/2026",
    blood: bool = True,
    serology: bool = True,
) -> list[str]:
    head = _header(
        "Northview Hospital Laboratory Medicine",
        "LABORATORY RESULTS",
        who,
        f"Collected: {date} 08:10   Reported: {date} 14:22",
    )
    counts = [
        "Test                          Result   Units      Reference",
        "WBC                           5.1      K/uL       4.0-11.0",
        "Hemoglobin                    11.9     g/dL       12.0-15.5",
        "Platelet count                182      K/uL       150-400",
        "Absolute neutrophil count     3.2      K/uL       1.8-7.7",
        "Creatinine                    0.78     mg/dL      0.50-1.10",
        "Creatinine clearance          96       mL/min     >60",
        "Total bilirubin               0.5      mg/dL      0.2-1.2",
        "ALT                           21       U/L        7-40",
        "Serum hCG (pregnancy)         Negative",
    ]
    infections = [
        "HIV-1/2 Ag/Ab                 Non-reactive",
        "Hepatitis B surface antigen   Non-reactive",
        "Hepatitis C antibody          Non-reactive",
    ]
    return head + (counts if blood else []) + (infections if serology else [])


def clinic_note() -> list[str]:
    return _header(
        "Northview Cancer Center",
        "HEMATOLOGY/ONCOLOGY CLINIC NOTE",
        PATIENT,
        "Date of visit: 11/12/2026",
    ) + [
        "CHIEF COMPLAINT: Evaluation for CAR-T cell therapy.",
        "HISTORY OF PRESENT ILLNESS: 55-year-old woman with relapsed DLBCL after two lines.",
        "ECOG performance status: 1",
        "ASSESSMENT AND PLAN: Refer for CAR-T evaluation; restaging PET-CT obtained.",
        "Signed: A. Whitcombe, MD",
    ]


def treatment_summary() -> list[str]:
    return _header("Northview Cancer Center", "TREATMENT SUMMARY", PATIENT, "Date: 11/10/2026") + [
        "Diagnosis: Diffuse large B-cell lymphoma",
        "Number of prior lines of therapy: 2",
        "Line 1: R-CHOP x 6 cycles, 01/2025 - 06/2025, complete response; relapse 02/2026.",
        "Line 2: R-ICE x 3 cycles, 03/2026 - 05/2026, progressive disease.",
        "Prepared by: A. Whitcombe, MD",
    ]


def scanned_page(path: Path, lines: list[str]) -> Path:
    """A page as a scanner or phone would give it: an image with no text layer, slight noise."""
    img = Image.new("L", (1275, 1650), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 24)
    y = 110
    for line in lines:
        draw.text((90, y), line, fill=0, font=font)
        y += 38
    rng = random.Random(7)
    px = img.load()
    for _ in range(3000):
        px[rng.randrange(1275), rng.randrange(1650)] = rng.choice((0, 255))
    img.save(path, dpi=(150, 150))
    return path


def noise_photo(path: Path, seed: int) -> Path:
    """A photo of nothing legible (too dark): no usable text."""
    rng = random.Random(seed)
    img = Image.new("L", (400, 520), 40)
    px = img.load()
    for _ in range(8000):
        px[rng.randrange(400), rng.randrange(520)] = rng.randrange(20, 90)
    img.save(path, quality=70)
    return path


def build_case(folder: Path) -> Path:
    """One cart-lbcl case (as of 2026-11-20) with every status and problem kind planted."""
    folder.mkdir(parents=True, exist_ok=True)
    write_pdf(folder / "pathology.pdf", pathology())
    (folder / "pathology (1).pdf").write_bytes((folder / "pathology.pdf").read_bytes())  # duplicate
    write_pdf(folder / "pet_ct_2026-05-02.pdf", pet_ct("05/02/2026"))  # stale: 202 days, window 42
    write_pdf(folder / "echo.pdf", echo(41, "10/28/2026"))  # out of range: LVEF 41 < 50
    write_pdf(folder / "labs.pdf", labs(serology=False))  # met
    scanned_page(
        folder / "labs_scan.png", labs(serology=False)
    )  # the same report scanned: duplicate
    write_pdf(folder / "serology.pdf", labs(date="11/09/2026", blood=False))
    write_pdf(folder / "clinic_note.pdf", clinic_note())
    write_pdf(folder / "treatment_summary.pdf", treatment_summary())
    write_pdf(folder / "labs_other_patient.pdf", labs(STRANGER, "11/15/2026"))  # identity mismatch
    noise_photo(folder / "IMG_0412.jpg", 11)  # unreadable
    noise_photo(folder / "mri_brain_photo.jpg", 12)  # unreadable but named: brain_mri needs review
    write_pdf(folder / "outside_records.pdf", pathology(), encrypt="s3cret")  # encrypted
    whole = (folder / "clinic_note.pdf").read_bytes()
    (folder / "referral_upload.pdf").write_bytes(whole[: len(whole) // 3])  # corrupt
    (folder / "scan0002.pdf").write_bytes(b"")  # empty
    (folder / "voicemail.wav").write_bytes(
        b"RIFF\x24\x08\x00\x00WAVEfmt " + bytes(64)
    )  # unsupported
    # medication_list and referral are simply absent: missing (advisory)
    return folder
