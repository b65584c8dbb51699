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
    cpu_seconds: float = 0.0

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
        start, cpu = time.perf_counter(), cpu_seconds()
        for i, pdf in enumerate(pdfs):
            out = Path(tmp) / f"{i}.pdf"
            subprocess.run(ocrmypdf_command(pdf, out, jobs), check=True, capture_output=True)
            subprocess.run(["pdftotext", str(out), "-"], check=True, capture_output=True)
            pages += pdf_pages(pdf)
        return Timing(pages, time.perf_counter() - start, cpu_seconds() - cpu)


def cpu_seconds() -> float:
    """CPU seconds of this process and its finished children (tesseract runs)."""
    import resource

    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


@dataclass
class SideBySide:
    """Per-page costs measured alternately on the same pages, so load changes hit both."""

    pages: int = 0
    plain_wall: float = 0.0
    plain_cpu: float = 0.0
    osd_wall: float = 0.0  # plain tesseract with --psm 1 (orientation detection) and TSV out
    osd_cpu: float = 0.0
    pipeline_wall: float = 0.0
    pipeline_cpu: float = 0.0

    def as_dict(self) -> dict[str, float]:
        n = max(self.pages, 1)
        out: dict[str, float] = {"pages": self.pages}
        for key in ("plain", "osd", "pipeline"):
            out[f"{key}_wall_s_per_page"] = round(getattr(self, f"{key}_wall") / n, 3)
            out[f"{key}_cpu_s_per_page"] = round(getattr(self, f"{key}_cpu") / n, 3)
        out["ratio_wall"] = (
            round(self.pipeline_wall / self.plain_wall, 3) if self.plain_wall else 0.0
        )
        out["ratio_cpu"] = round(self.pipeline_cpu / self.plain_cpu, 3) if self.plain_cpu else 0.0
        return out


def side_by_side(pdfs: list[Path], max_pages: int, lang: str = "eng") -> SideBySide:
    """Plain tesseract on each embedded image, then the pipeline on the same page, in turn.

    The pipeline's side includes its share of planning the file (parsing the PDF, pulling
    the page image out), so it is the whole cost of a scanned page from bytes to text.
    """
    from extractors.pages import plan_pages, run_page
    from extractors.sources import expand_bytes

    os.environ.update({"OMP_THREAD_LIMIT": "1", "OMP_NUM_THREADS": "1"})
    res = SideBySide()
    with tempfile.TemporaryDirectory(prefix="rr-bench-sbs-") as tmp:
        for i, pdf in enumerate(pdfs):
            if res.pages >= max_pages:
                break
            images = extract_images(pdf, Path(tmp) / str(i))
            w0, c0 = time.perf_counter(), cpu_seconds()
            jobs = [
                j for item in expand_bytes(pdf.name, pdf.read_bytes()) for j in plan_pages(item)
            ]
            plan_wall, plan_cpu = time.perf_counter() - w0, cpu_seconds() - c0
            if len(images) != len(jobs):
                continue  # not one image per page: no like-for-like pairing
            res.pipeline_wall += plan_wall
            res.pipeline_cpu += plan_cpu
            for img, job in zip(images, jobs, strict=True):
                w0, c0 = time.perf_counter(), cpu_seconds()
                subprocess.run(
                    ["tesseract", str(img), "stdout", "-l", lang],
                    check=True,
                    capture_output=True,
                    env=_ONE_THREAD,
                )
                res.plain_wall += time.perf_counter() - w0
                res.plain_cpu += cpu_seconds() - c0
                w0, c0 = time.perf_counter(), cpu_seconds()
                subprocess.run(
                    ["tesseract", str(img), "stdout", "-l", lang, "--psm", "1", "tsv"],
                    check=True,
                    capture_output=True,
                    env=_ONE_THREAD,
                )
                res.osd_wall += time.perf_counter() - w0
                res.osd_cpu += cpu_seconds() - c0
                w0, c0 = time.perf_counter(), cpu_seconds()
                run_page(job)
                res.pipeline_wall += time.perf_counter() - w0
                res.pipeline_cpu += cpu_seconds() - c0
                res.pages += 1
    return res
