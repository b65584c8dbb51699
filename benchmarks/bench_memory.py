"""Peak memory of reading one file, on the hardest shapes a worker meets (issue 17 item 5).

    .venv/bin/python -m benchmarks.bench_memory [--out bench-out]

Each file is read by `extractors.pages.read_item` in a fresh interpreter (the reading a
worker does, planning and OCR in one process), and its peak resident memory is the larger
of the process's own and its largest child's (tesseract). The set is built here, once:
many-page 300 dpi gray and 600 dpi colour scans, a poster-sized scan, a fax TIFF of many
frames, a phone photo, and a long text-layer PDF. The table names the worst file.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parents[1]
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
TARGET_MB = 400.0
LINE = "{i}. Specimen: left axillary node core; CD20 positive, Ki-67 about 80 percent."


def _sheet(width: int, height: int, size: int, mode: str = "L") -> Image.Image:
    img = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(img)
    face = ImageFont.truetype(FONT, size)
    y, i = size * 4, 0
    while y < height - size * 4:
        draw.text((size * 4, y), LINE.format(i=i), fill="black", font=face)
        y, i = y + int(size * 1.6), i + 1
    return img


def _scan_pdf(path: Path, pages: list[Image.Image], dpi: int) -> None:
    first, *rest = pages
    first.save(path, save_all=True, append_images=rest, resolution=dpi, quality=85)


def _gray_scans(path: Path) -> None:
    _scan_pdf(path, [_sheet(2550, 3300, 34).rotate(0.8, fillcolor=255) for _ in range(8)], 300)


def _colour_600(path: Path) -> None:
    _scan_pdf(path, [_sheet(5100, 6600, 68, "RGB") for _ in range(6)], 600)


def _poster(path: Path) -> None:
    _scan_pdf(path, [_sheet(9930, 14040, 40)], 300)


def _fax_tiff(path: Path) -> None:
    frames = [_sheet(1728, 2200, 24).convert("1") for _ in range(20)]
    frames[0].save(
        path, save_all=True, append_images=frames[1:], compression="group4", dpi=(204, 196)
    )


def _photo(path: Path) -> None:
    page = _sheet(2800, 3600, 40, "RGB").rotate(3, expand=True, fillcolor=(90, 80, 70))
    page.resize((4032, 3024) if page.width > page.height else (3024, 4032)).save(path, quality=88)


def _text_pdf(path: Path) -> None:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=letter)
    for _ in range(300):
        for n in range(45):
            c.drawString(72, 740 - n * 15, LINE.format(i=n))
        c.showPage()
    c.save()


SET: dict[str, Callable[[Path], None]] = {
    "scan_300dpi_gray_8p.pdf": _gray_scans,
    "scan_600dpi_colour_6p.pdf": _colour_600,
    "poster_a0_300dpi.pdf": _poster,
    "fax_20_frames.tiff": _fax_tiff,
    "phone_photo_12mp.jpg": _photo,
    "text_300p.pdf": _text_pdf,
}


def build(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, make in SET.items():
        path = out / name
        if not path.exists():
            make(path)
        paths.append(path)
    return paths


def read_one(path: Path) -> dict[str, float]:
    """In this process: read the file, report the peak (self and the largest child)."""
    from extractors.pages import read_item
    from extractors.sources import expand_bytes

    start = time.monotonic()
    pages = 0
    for item in expand_bytes(path.name, path.read_bytes()):
        pages += len(read_item(item).pages)
    # VmHWM is this process's own peak: ru_maxrss is kept across exec, so it would report
    # the peak of whatever process forked this one. A child's ru_maxrss has the same
    # inheritance from this process, which bounds it from below by our own peak: still an
    # upper bound on what tesseract itself held.
    peak_kb = max(_own_peak_kb(), resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
    return {
        "pages": pages,
        "peak_mb": round(peak_kb / 1024, 1),
        "seconds": round(time.monotonic() - start, 1),
    }


def _own_peak_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def measure(paths: list[Path]) -> dict[str, dict[str, float]]:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    results = {}
    for path in paths:
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.bench_memory", "--one", str(path)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        results[path.name] = json.loads(done.stdout.strip().splitlines()[-1])
    return results


def run(out: Path) -> dict[str, dict[str, float]]:
    """Build the set (in a child: its page images would inflate what we fork) and read it."""
    folder = out / "memory"
    subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_memory", "--build", str(folder)],
        cwd=ROOT,
        check=True,
    )
    results = measure([folder / name for name in SET])
    (out / "bench_memory.json").write_text(json.dumps(results, indent=2) + "\n")
    return results


def table(results: dict[str, dict[str, float]]) -> list[str]:
    worst = max(results, key=lambda n: results[n]["peak_mb"])
    lines = [f"{'file':32} {'pages':>5} {'peak MB':>8} {'s':>6}"]
    for name, r in results.items():
        lines.append(f"{name:32} {r['pages']:>5.0f} {r['peak_mb']:>8.0f} {r['seconds']:>6.1f}")
    peak = results[worst]["peak_mb"]
    verdict = "ok" if peak <= TARGET_MB else "OVER"
    lines.append(f"worst file: {worst}, {peak:.0f} MB (target <= {TARGET_MB:.0f}: {verdict})")
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="benchmarks.bench_memory", description=__doc__.splitlines()[0]
    )
    ap.add_argument("--out", type=Path, default=ROOT / "bench-out")
    ap.add_argument("--one", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--build", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.build is not None:
        build(args.build)
        return 0
    if args.one is not None:
        print(json.dumps(read_one(args.one)))
        return 0
    results = run(args.out)
    print("\n".join(table(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
