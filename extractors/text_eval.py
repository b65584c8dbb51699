"""How well pages are read: character error rate per form of upload, against sample_docs.

CER = Levenshtein distance / reference length, on whitespace-normalised text, summed
over the pages of a group (so long pages weigh more than short ones). Chinese pages
form their own group; English pages are grouped by how the page was made (text layer,
scan, phone photo, fax). Files generated as unreadable on purpose are reported apart.
"""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import subprocess
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from extractors.pages import plan_pages, read_item, run_page
from extractors.sources import expand
from extractors.vocabulary import FileText

# Targets from the issue: the share of characters read wrong, per group.
TARGETS: dict[str, float] = {"text": 0.01, "scan": 0.03, "photo": 0.08, "fax": 0.08}
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
# Fill-in rules ("Signature: ________") are drawn lines, not characters anyone reads.
_FILL_RULE = re.compile(r"_{3,}")
_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}])\s+|\s+(?=[{_CJK}])")


def normalise(text: str) -> str:
    """NFKC, one space for any run of whitespace, none beside CJK characters, and
    fill-in rules (runs of underscores) dropped.

    Chinese spacing carries no meaning (writers differ on "35 岁" vs "35岁"), so it is not
    counted as an error."""
    text = unicodedata.normalize("NFKC", text)
    text = " ".join(_FILL_RULE.sub(" ", text).split())
    return _SPACE_BY_CJK.sub("", text)


def cer(reference: str, hypothesis: str, *, spaceless: bool = False) -> tuple[int, int]:
    """(edit distance, reference length) of the normalised texts.

    `spaceless` drops every space first: for Chinese pages, where spacing is a matter of
    taste ("年龄：35岁" vs "年龄: 35 岁"), not of reading."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if spaceless:
        ref, hyp = ref.replace(" ", ""), hyp.replace(" ", "")
    return Levenshtein.distance(ref, hyp), len(ref)


def _group(page: dict[str, Any], form: str) -> str:
    if form.startswith("unreadable"):
        return "unreadable"
    if page.get("language", "en") != "en":
        return "chinese" if page.get("language") == "zh" else "other_language"
    return str(page.get("kind", "text"))


def _top_level(files: dict[str, Any]) -> list[str]:
    containers = [k for k, v in files.items() if v.get("container")]
    return sorted(k for k in files if not any(k.startswith(c + "/") for c in containers))


def read_samples(sample_root: Path) -> dict[str, FileText]:
    """Every top-level file of the ground truth, read; keys are ground-truth names."""
    truth = json.loads((sample_root / "ground_truth.json").read_text(encoding="utf-8"))
    prefix = str(sample_root).rstrip("/") + "/"
    out: dict[str, FileText] = {}
    for rel in _top_level(truth["files"]):
        path = sample_root / rel
        if not path.exists():
            continue
        for item in expand(path):
            ft = read_item(item, ocr_parallel=True)
            name = ft.file[len(prefix) :] if ft.file.startswith(prefix) else ft.file
            out[name] = ft
    return out


def evaluate_text(sample_root: Path) -> dict[str, Any]:
    """Per-group CER, rotated pages read upright, error codes, and pass/fail on the targets."""
    sample_root = Path(sample_root)
    truth = json.loads((sample_root / "ground_truth.json").read_text(encoding="utf-8"))
    started = time.perf_counter()
    read = read_samples(sample_root)
    seconds = time.perf_counter() - started
    sums: dict[str, list[int]] = {}
    worst: dict[str, tuple[float, str]] = {}
    rotated = upright = 0
    errors_expected = errors_right = 0
    missing: list[str] = []
    pages_by_method: dict[str, int] = {}
    for name, spec in sorted(truth["files"].items()):
        if spec.get("container"):
            continue
        ft = read.get(name)
        if ft is None:
            missing.append(name)
            continue
        if spec.get("error"):
            errors_expected += 1
            errors_right += int(
                ft.status == "error" and ft.error is not None and ft.error.code == spec["error"]
            )
            continue
        got = {p.number: p for p in ft.pages}
        for page in spec.get("pages", []):
            ours = got.get(page["number"])
            text = ours.text if ours else ""
            if ours is not None:
                pages_by_method[str(ours.method)] = pages_by_method.get(str(ours.method), 0) + 1
            dist, length = cer(page["text"], text, spaceless=page.get("language") == "zh")
            group = _group(page, spec.get("form", ""))
            acc = sums.setdefault(group, [0, 0, 0])
            acc[0] += dist
            acc[1] += length
            acc[2] += 1
            rate = dist / max(length, 1)
            if rate > worst.get(group, (-1.0, ""))[0]:
                worst[group] = (rate, f"{name} p{page['number']}")
            if page.get("upright_rotation", 0):
                rotated += 1
                upright += int(
                    ours is not None and ours.rotation == page["upright_rotation"] and rate <= 0.10
                )
    result: dict[str, Any] = {"files_read": len(read), "read_seconds": round(seconds, 1)}
    passed = True
    for group in sorted(sums):
        dist, length, pages = sums[group]
        rate = dist / max(length, 1)
        result[f"cer_{group}"] = round(rate, 4)
        result[f"pages_{group}"] = pages
        if group in TARGETS:
            ok = rate <= TARGETS[group]
            result[f"pass_{group}"] = ok
            passed = passed and ok
    result["rotated_pages"] = rotated
    result["rotated_read_upright"] = round(upright / rotated, 3) if rotated else None
    passed = passed and upright == rotated
    result["error_codes_right"] = f"{errors_right}/{errors_expected}"
    passed = passed and errors_right == errors_expected and not missing
    result["passed"] = passed
    result["targets"] = TARGETS
    result["worst_page"] = {
        g: {"cer": round(r, 4), "page": where} for g, (r, where) in worst.items()
    }
    result["pages_by_method"] = pages_by_method
    result["missing"] = missing
    return result


def _child_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def benchmark_scan_pages(pdfs: list[Path], repeats: int = 3) -> list[dict[str, Any]]:
    """Per scanned page: plain `tesseract image out` on the page's own embedded image vs
    RecordReady's `run_page` on the same page (CPU seconds, median of `repeats`).

    Both run single-threaded (OMP_THREAD_LIMIT=1), as in the batch pool. CPU time is the
    fair figure on a shared machine; wall time is reported too.
    """
    os.environ["OMP_THREAD_LIMIT"] = "1"
    rows: list[dict[str, Any]] = []
    for pdf in pdfs:
        [item] = list(expand(Path(pdf)))
        for job in plan_pages(item):
            if not job.needs_ocr or job.image is None:
                continue
            with tempfile.TemporaryDirectory(prefix="rr-bench-") as tmp:
                image = Path(tmp) / f"page{job.image_suffix}"
                image.write_bytes(job.image)
                cli: list[float] = []
                ours: list[float] = []
                walls: list[tuple[float, float]] = []
                skew = None
                for _ in range(repeats):
                    c0, w0 = _child_cpu(), time.perf_counter()
                    subprocess.run(
                        ["tesseract", str(image), str(Path(tmp) / "out")],
                        check=True,
                        capture_output=True,
                    )
                    cli.append(_child_cpu() - c0)
                    w1 = time.perf_counter()
                    c1, s1 = _child_cpu(), _own_cpu()
                    page = run_page(job)
                    ours.append(_child_cpu() - c1 + _own_cpu() - s1)
                    walls.append((w1 - w0, time.perf_counter() - w1))
                    skew = page.skew_degrees
            cli_s, ours_s = statistics.median(cli), statistics.median(ours)
            rows.append(
                {
                    "file": item.name,
                    "page": job.number,
                    "dpi": job.dpi,
                    "native_image": job.passthrough,
                    "skew_degrees": skew,
                    "tesseract_cli_cpu_s": round(cli_s, 3),
                    "run_page_cpu_s": round(ours_s, 3),
                    "ratio_cpu": round(ours_s / cli_s, 2) if cli_s else None,
                    "tesseract_cli_wall_s": round(statistics.median(w[0] for w in walls), 3),
                    "run_page_wall_s": round(statistics.median(w[1] for w in walls), 3),
                }
            )
    return rows
