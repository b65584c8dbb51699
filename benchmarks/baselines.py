"""What the pipeline is measured against on the same scanned files.

The practical limit: plain `tesseract` on the page images exactly as embedded in the PDF
(native resolution, extracted with `pdfimages`), one page after another on one core.
The peer: OCRmyPDF with `--skip-text --rotate-pages` (OCRmyPDF 17's `--mode skip`), then
`pdftotext`, which is what a site would run instead of us to get the same text.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

_ONE_THREAD = {**os.environ, "OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Timing:
    pages: int
    seconds: float

    @property
    def per_page(self) -> float:
        return self.seconds / self.pages if self.pages else float("nan")


def extract_images(pdf: Path, into: Path) -> list[Path]:
    """The page images of a scanned PDF, as stored (no resampling)."""
    into.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdfimages", "-all", str(pdf), str(into / "img")], check=True, capture_output=True
    )
    return sorted(into.glob("img-*"))


def plain_tesseract(pdfs: list[Path], lang: str = "eng") -> tuple[Timing, Timing]:
    """(time to extract the images, time for tesseract on them), one page at a time."""
    with tempfile.TemporaryDirectory(prefix="rr-bench-") as tmp:
        images: list[Path] = []
        start = time.perf_counter()
        for i, pdf in enumerate(pdfs):
            images += extract_images(pdf, Path(tmp) / str(i))
        extract = Timing(len(images), time.perf_counter() - start)
        start = time.perf_counter()
        for img in images:
            subprocess.run(
                ["tesseract", str(img), "stdout", "-l", lang],
                check=True,
                capture_output=True,
                env=_ONE_THREAD,
            )
        return extract, Timing(len(images), time.perf_counter() - start)


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    for line in out.stdout.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def ocrmypdf_available() -> bool:
    return shutil.which("ocrmypdf") is not None and shutil.which("pdftotext") is not None


def ocrmypdf_command(src: Path, dst: Path, jobs: int) -> list[str]:
    flag = "--skip-text"  # OCRmyPDF < 15 spells `--mode skip` this way
    probe = subprocess.run(["ocrmypdf", "--help"], capture_output=True, text=True)
    if "--mode" in probe.stdout:
        flag = "--mode=skip"
    # --output-type pdf and --optimize 0 spare it the PDF/A and optimisation passes we do not
    # need either: the peer is timed doing only what we do (read the text).
    return [
        "ocrmypdf",
        flag,
        "--rotate-pages",
        "--output-type",
        "pdf",
        "--optimize",
        "0",
        "--jobs",
        str(jobs),
        "-q",
        str(src),
        str(dst),
    ]


def ocrmypdf_text(pdfs: list[Path], jobs: int = 1) -> Timing:
    """OCRmyPDF then pdftotext on each file in turn; `jobs` cores for OCRmyPDF."""
    pages = 0
    with tempfile.TemporaryDirectory(prefix="rr-bench-ocrmypdf-") as tmp:
        start = time.perf_counter()
        for i, pdf in enumerate(pdfs):
            out = Path(tmp) / f"{i}.pdf"
            subprocess.run(ocrmypdf_command(pdf, out, jobs), check=True, capture_output=True)
            subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True)
            pages += pdf_pages(pdf)
        return Timing(pages, time.perf_counter() - start)
