"""How often the pixel look (extractors/orientation.py) decides a page's turn and script right.

`python -m benchmarks.look_eval` measures it on three kinds of page:

- the bench's generated scans (`make bench`'s set, generated here if missing);
- every OCR page of `sample_docs/` (scans, photos, faxes);
- real-corpus text nobody here wrote (`../shared/corpus/real/documents.jsonl`), rendered with
  every font fontconfig knows at 150-300 dpi, with noise, blur, small tilt, and all four turns,
  plus pages of random common Chinese characters. Skipped if the corpus is not there.

A wrong *confident* turn costs two extra tesseract passes (the weak reading sends the page to
OSD); an undecided page is read as it comes. Neither changes the text that comes out.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from benchmarks.bench import bench_files
from extractors.orientation import look
from extractors.page_ink import leveled, page_ink
from extractors.pages import plan_pages
from extractors.skew import estimate_skew
from extractors.sources import expand_bytes

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "real" / "documents.jsonl"


@dataclass(frozen=True)
class Page:
    source: str
    image: Image.Image
    dpi: int
    turn: int  # degrees clockwise that set the page upright
    language: str  # "en" or "zh"


def file_pages(
    files: list[Path], truth: dict[str, dict], root: Path, source: str
) -> Iterator[Page]:
    """OCR pages of generated files, with their turn relative to the image OCR receives."""
    for f in files:
        t = truth.get(str(f.relative_to(root)))
        if not t or t.get("error") or t.get("container"):
            continue
        for item in expand_bytes(f.name, f.read_bytes()):
            for job in plan_pages(item):
                if not job.needs_ocr or job.image is None:
                    continue
                page = t["pages"][job.number - 1]
                with Image.open(io.BytesIO(job.image)) as img:
                    gray = img.convert("L")
                turn = (page["upright_rotation"] - job.base_rotation) % 360
                yield Page(source, gray, job.dpi, turn, page["language"])


def _fonts() -> tuple[list[str], list[str]]:
    try:
        listing = subprocess.run(
            ["fc-list", ":", "file", "family"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"], []
    latin, cjk = [], []
    for line in listing.stdout.splitlines():
        path = line.split(":")[0]
        if not path.endswith((".ttf", ".otf", ".ttc", ".t1", ".pfb")):
            continue
        if any(k in line for k in ("WenQuanYi", "Droid Sans Fallback", "Noto Sans CJK")):
            cjk.append(path)
        elif not any(k in line for k in ("Math", "Symbol", "Dingbat", "Z003", "D050000L")):
            latin.append(path)
    return sorted(set(latin)), sorted(set(cjk))


def _common_han() -> list[str]:
    """GB2312 level 1: the 3755 most common simplified characters."""
    out = []
    for hi in range(0xB0, 0xD8):
        for lo in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.append(bytes([hi, lo]).decode("gb2312"))
    return out


def _render(
    text: str, font_path: str, pt: int, dpi: int, rng: random.Random, cjk: bool
) -> Image.Image | None:
    width, height = int(8.5 * dpi), int(11 * dpi)
    img = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(img)
    try:
        font = ImageFont.truetype(font_path, max(6, int(pt * dpi / 72)))
    except OSError:
        return None
    margin = int(0.8 * dpi)
    pitch = int(pt * dpi / 72 * rng.uniform(1.15, 1.6))
    per_line = max(10, int((width - 2 * margin) / font.getlength("中" if cjk else "x")))
    y = margin
    for para in text.split("\n"):
        lines = (
            [para[i : i + per_line] for i in range(0, len(para), per_line)]
            if cjk
            else textwrap.wrap(para, per_line)
        )
        for line in lines:
            if y > height - margin:
                return img
            draw.text((margin, y), line, fill=rng.randint(0, 60), font=font)
            y += pitch
        y += pitch // 2
    return img


def rendered_pages(count: int, seed: int) -> Iterator[Page]:
    if not CORPUS.is_file():
        return
    docs = [
        json.loads(line)["text"]
        for line in CORPUS.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    latin, cjk_fonts = _fonts()
    han = _common_han()
    rng = random.Random(seed)
    for i in range(count):
        cjk = bool(cjk_fonts) and i % 6 == 5
        dpi = rng.choice([150, 200, 300])
        pt = rng.choice([8, 9, 10, 11, 12, 14])
        if cjk:
            text = "\n".join(
                "".join(rng.choice(han) for _ in range(rng.randint(20, 90))) for _ in range(40)
            )
            img = _render(text, rng.choice(cjk_fonts), pt, dpi, rng, cjk=True)
        else:
            img = _render(
                rng.choice(docs)[:4000].replace(",", ", "),
                rng.choice(latin),
                pt,
                dpi,
                rng,
                cjk=False,
            )
        if img is None:
            continue
        if rng.random() < 0.5:
            img = img.rotate(
                rng.uniform(-1.5, 1.5), resample=Image.Resampling.BILINEAR, fillcolor=255
            )
        if rng.random() < 0.4:
            img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.3, 1.0)))
        noise = np.random.default_rng(i).normal(0, rng.choice([0, 5, 12]), (img.height, img.width))
        img = Image.fromarray(
            np.clip(np.asarray(img, dtype=np.float32) + noise, 0, 255).astype(np.uint8)
        )
        if rng.random() < 0.15:  # a fax-like 1-bit page
            img = img.point(lambda v: 255 if v > 140 else 0)
        turn = rng.choice([0, 0, 90, 180, 270])
        yield Page("rendered", img.rotate(turn, expand=True), dpi, turn, "zh" if cjk else "en")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.look_eval", description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "bench-out")
    ap.add_argument("--rendered", type=int, default=160, help="real-corpus pages to render")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args(argv)
    scans, _ = bench_files(args.out, 200, 500, 20261126)
    bench_root = scans[0].parent
    samples = ROOT / "sample_docs"
    sample_truth = json.loads((samples / "ground_truth.json").read_text())["files"]
    sample_files = [
        samples / name
        for name, t in sample_truth.items()
        if t["form"] not in ("text_pdf", "docx", "eml_member") and (samples / name).is_file()
    ]
    bench_truth = json.loads((bench_root / "bench_truth.json").read_text())["files"]
    pages = [
        *file_pages(scans, bench_truth, bench_root, "bench"),
        *file_pages(sample_files, sample_truth, samples, "sample_docs"),
        *rendered_pages(args.rendered, args.seed),
    ]
    tally: Counter[tuple[str, str]] = Counter()
    seconds = 0.0
    for p in pages:
        start = time.process_time()
        ink = page_ink(p.image, p.dpi)
        seen = look(leveled(ink, estimate_skew(ink)))
        seconds += time.process_time() - start
        script = "zh" if seen.script == "cjk" else "en"
        key = p.language
        tally[(key, "pages")] += 1
        if script != p.language:
            tally[(key, "script wrong")] += 1
        if not seen.confident:
            tally[(key, "undecided")] += 1
        elif seen.rotate == p.turn:
            tally[(key, "turn right")] += 1
        else:
            tally[(key, "turn wrong, confident")] += 1
    summary = {
        "pages_by_source": dict(Counter(p.source for p in pages)),
        "latin": {k[1]: v for k, v in tally.items() if k[0] == "en"},
        "chinese": {k[1]: v for k, v in tally.items() if k[0] == "zh"},
        "ms_per_page": round(1000 * seconds / max(len(pages), 1), 1),
    }
    print(json.dumps(summary, indent=2))
    (args.out / "look_eval.json").write_text(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
