"""How well the raster pages of the records corpus are read: CER per form, and cost.

The records corpus (`../shared/corpus/records/`, written outside the team) records the
exact text drawn on every page (`cases/<case>/text/<file>[__<member>].p<N>.txt`) and, in
`manifest.json`, how each page was made (`kind`: scan, fax, photo, tiff, png, jpeg).
Only raster pages are read here: text-layer pages say nothing about OCR, and reading the
whole corpus again for each change would cost minutes. Pages are compared as the corpus
README asks: whitespace collapsed, and for Chinese all whitespace removed.

Each page is also timed (CPU of this process and of tesseract, single-threaded), so a
change to reading is measured for what it costs as well as for what it reads.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from extractors.pages import plan_pages, run_page
from extractors.sources import expand
from extractors.text_eval import cer

# The forms the issue reports on; a Chinese page is its own form whatever its kind.
_FORM_BY_KIND = {
    "scan": "scanned_pdf",
    "fax": "fax",
    "photo": "photo",
    "tiff": "tiff",
    "png": "image_scan",
    "jpeg": "image_scan",
}


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    child = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + child.ru_utime + child.ru_stime


def _languages(corpus: Path) -> dict[tuple[str, str], str]:
    out: dict[tuple[str, str], str] = {}
    for truth_path in sorted((corpus / "cases").glob("*/truth.json")):
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        for f in truth["files"]:
            out[(truth["case_id"], f["file"])] = f.get("language") or "en"
    return out


def raster_pages(corpus: Path) -> Iterator[dict[str, Any]]:
    """The manifest's raster pages, each with its form and exact text."""
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))
    languages = _languages(corpus)
    for row in manifest:
        form = _FORM_BY_KIND.get(row["kind"])
        if form is None:
            continue
        case, file = row["case"], row["file"]
        stem = Path(file).name + (f"__{row['member']}" if row.get("member") else "")
        text_path = corpus / "cases" / case / "text" / f"{stem}.p{row['page']}.txt"
        if not text_path.is_file():
            continue
        language = languages.get((case, file), "en")
        yield {
            "case": case,
            "file": file,
            "member": row.get("member"),
            "page": int(row["page"]),
            "kind": row["kind"],
            "form": "chinese_scan" if language == "zh" else form,
            "language": language,
            "reference": text_path.read_text(encoding="utf-8"),
        }


def read_raster_pages(corpus: Path, only: str | None = None) -> list[dict[str, Any]]:
    """Every raster page read on its own (single-threaded tesseract), with its CER and CPU.

    `only`, when given, keeps pages whose file name contains it (a quick look at one)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    rows: list[dict[str, Any]] = []
    wanted = [p for p in raster_pages(corpus) if only is None or only in p["file"]]
    by_file: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for page in wanted:
        by_file.setdefault((page["case"], page["file"]), []).append(page)
    for (case, file), pages in by_file.items():
        for item in expand(corpus / "cases" / case / file):
            if item.error is not None:
                continue
            member = item.name.rsplit("/", 1)[-1]
            for page in pages:
                if page["member"] and page["member"] != member:
                    continue
                if not page["member"] and item.name != str(corpus / "cases" / case / file):
                    continue
                jobs = {j.number: j for j in plan_pages(item) if j.needs_ocr}
                job = jobs.get(page["page"])
                if job is None:
                    continue
                cpu0, wall0 = _cpu(), time.perf_counter()
                read = run_page(job)
                cpu, wall = _cpu() - cpu0, time.perf_counter() - wall0
                dist, length = cer(page["reference"], read.text, spaceless=page["language"] == "zh")
                rows.append(
                    {
                        **{k: v for k, v in page.items() if k != "reference"},
                        "cer": round(dist / max(length, 1), 4),
                        "distance": dist,
                        "length": length,
                        "cpu_s": round(cpu, 3),
                        "wall_s": round(wall, 3),
                        "rotation": read.rotation,
                        "confidence": read.ocr_confidence,
                        "ink_accounted": read.ink_accounted,
                        "review": read.review_reason,
                        "text": read.text,
                    }
                )
    return rows


def summarise(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Per form: pages, mean page CER (as the corpus README's baseline), pooled CER, CPU."""
    forms: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        forms.setdefault(row["form"], []).append(row)
    forms["all"] = list(rows)
    out: dict[str, dict[str, Any]] = {}
    for form, members in sorted(forms.items()):
        if not members:
            continue
        out[form] = {
            "pages": len(members),
            "mean_cer": round(statistics.fmean(r["cer"] for r in members), 4),
            "pooled_cer": round(
                sum(r["distance"] for r in members) / max(sum(r["length"] for r in members), 1), 4
            ),
            "max_cer": max(r["cer"] for r in members),
            "cpu_s_per_page": round(statistics.fmean(r["cpu_s"] for r in members), 3),
        }
    return out
