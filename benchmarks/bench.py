"""`make bench`: how fast RecordReady reads, against plain tesseract and OCRmyPDF.

    .venv/bin/python -m benchmarks.bench [--quick] [--out bench-out] [--workers N]

Measures, on a generated set (sample_docs.generator.bench_set, cached under bench-out/) and
on sample_docs/inbox:
- text-layer and OCR pages per second through the real pool and store, 1 worker and N;
- peak memory per worker (ru_maxrss of the worker processes), and of reading each of the
  hardest files alone (benchmarks.bench_memory: fine and poster-sized scans, long faxes), with
  the worst file named;
- the pipeline's time per scanned page against plain `tesseract` on the same page images
  as embedded in the PDFs (extracted with `pdfimages`), one page after another on one core;
- OCRmyPDF (`--skip-text --rotate-pages`, then `pdftotext`) on the same files, one core;
- the whole `recordready batch` on sample_docs/inbox, then its re-run from the cache;
- the same batch through 2 Celery workers (private Redis + PostgreSQL), when installed.
Prints a table and writes everything to bench-out/bench.json. When the scanned-page ratio
misses its target, a profile of the page reader says where the time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.baselines import (
    cpu_seconds,
    ocrmypdf_available,
    ocrmypdf_text,
    pdf_pages,
    side_by_side,
)
from benchmarks.bench_celery import bench_celery, celery_available
from benchmarks.bench_memory import TARGET_MB
from benchmarks.bench_memory import run as memory_run
from intake.batch.runner import BatchConfig, make_pool, run_once
from intake.jobs.local import WorkerPool, default_workers
from intake.pipeline.processor import FileWork, Processor
from intake.pipeline.progress import QuietReporter
from intake.store import Store

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {
    "scan_ratio_vs_tesseract_max": 1.15,
    "text_pages_per_s_per_core_min": 50.0,
    "ocr_speedup_2_workers_min": 1.8,
    "peak_mb_per_worker_max": 400.0,
}


@dataclass(frozen=True)
class Stage:
    workers: int
    pages: int
    ocr_pages: int
    text_pages: int
    seconds: float
    cpu_seconds: float  # this process + its workers: robust to other load on the machine
    peak_mb_per_worker: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def pages_per_cpu_s(self) -> float:
        return self.pages / self.cpu_seconds if self.cpu_seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "pages_per_s": round(self.pages_per_s, 2),
            "pages_per_cpu_s": round(self.pages_per_cpu_s, 2),
        }


def bench_files(out: Path, scanned: int, text: int, seed: int) -> tuple[list[Path], list[Path]]:
    """The generated set, written once per size and seed and reused by later runs."""
    folder = out / f"set-s{scanned}-t{text}-seed{seed}"
    if not (folder / "bench_truth.json").is_file():
        from sample_docs.generator import bench as generator

        print(f"generating {scanned} scanned + {text} text-layer pages into {folder} ...")
        generator.bench_set(
            folder, scanned_pages=scanned, text_pages=text, seed=seed, workers=default_workers()
        )
    return sorted(folder.glob("scan_*.pdf")), sorted(folder.glob("text_*.pdf"))


def _warm(pool: WorkerPool) -> None:
    # Start every worker before the clock starts: we time reading, not process creation.
    for i in range(max(pool.workers, 1)):
        pool.submit("pool.ping", {}, i)
    for _ in pool.outcomes():
        pass


def read_stage(files: list[Path], workers: int) -> Stage:
    """Page text of `files` through the real Processor, pool and a fresh store (no cache)."""
    with tempfile.TemporaryDirectory(prefix="rr-bench-store-") as tmp:
        store = Store.at(tmp)
        case = store.create_case("bench")
        works = []
        for f in files:
            stored = store.add_path(case.id, f)
            works.append(
                FileWork(stored.sha256, f.name, str(store.blobs.path(stored.sha256)), [stored.id])
            )
        pool = make_pool(workers)
        _warm(pool)
        proc = Processor(store, pool, QuietReporter(), documents=False)
        start, cpu = time.perf_counter(), cpu_seconds()
        proc.process(works)
        seconds = time.perf_counter() - start
        pool.close()  # workers exit: their CPU time now counts as our children's
        used = cpu_seconds() - cpu
        c = proc.counters
        return Stage(
            workers,
            c.pages_ocr + c.pages_text,
            c.pages_ocr,
            c.pages_text,
            seconds,
            round(used, 2),
            round(c.worker_peak_mb, 1),
        )


def batch_stage(inbox: Path, workers: int) -> dict[str, Any]:
    """`recordready batch` on an inbox with a fresh store, then again from its cache."""
    with tempfile.TemporaryDirectory(prefix="rr-bench-batch-") as tmp:
        store = Store.at(Path(tmp) / "store")
        config = BatchConfig(inbox, Path(tmp) / "out", workers=workers)
        first = run_once(config, store, QuietReporter())
        again = run_once(config, store, QuietReporter())
    c1, c2 = first.counters, again.counters
    pages = c1.pages_ocr + c1.pages_text
    return {
        "workers": workers,
        "files": c1.files_read,
        "pages": pages,
        "ocr_pages": c1.pages_ocr,
        "seconds": round(first.seconds, 2),
        "pages_per_s": round(pages / first.seconds, 2) if first.seconds else 0.0,
        "peak_mb_per_worker": round(c1.worker_peak_mb, 1),
        "rerun_seconds": round(again.seconds, 2),
        "rerun_pages_ocr": c2.pages_ocr,
        "rerun_pages_from_cache": c2.pages_cached,
        "rerun_counter_line": again.counter_line(),
    }


CELERY_WORKERS = 2
CELERY_MISSING = "redis-server/PostgreSQL not installed (scripts/bootstrap.sh --dev)"


def celery_stage(inbox: Path) -> dict[str, Any]:
    """The sample_docs batch through Celery workers, or why it was not measured: a missing
    Redis or PostgreSQL, or a failed run, must not cost the rest of the benchmark."""
    if not celery_available():
        return {"skipped": CELERY_MISSING}
    print(f"the same batch through {CELERY_WORKERS} Celery workers ...")
    try:
        return bench_celery(inbox, CELERY_WORKERS).as_dict()
    except Exception as exc:
        return {"skipped": f"Celery run failed ({type(exc).__name__})"}


def celery_row(c: dict[str, Any]) -> str:
    """The table's Celery line: its timing, or why there is none."""
    if "skipped" in c:
        return _row("sample_docs batch, Celery workers", "not measured", c["skipped"])
    name = f"sample_docs batch, {c['workers']} Celery workers ({c['pages']} pages), s"
    return _row(name, f"{c['seconds']:.1f}")


def profile_pages(scans: list[Path], pages: int = 4) -> dict[str, Any]:
    """Where one page's time goes inside the reader (run inline, one core)."""
    from extractors.pages import plan_pages, run_page
    from extractors.sources import expand_bytes

    jobs = []
    for f in scans:
        for item in expand_bytes(f.name, f.read_bytes()):
            jobs += [j for j in plan_pages(item) if j.needs_ocr]
        if len(jobs) >= pages:
            break
    jobs = jobs[:pages]
    os.environ["OMP_THREAD_LIMIT"] = "1"
    prof = cProfile.Profile()
    start = time.perf_counter()
    prof.enable()
    for j in jobs:
        run_page(j)
    prof.disable()
    total = time.perf_counter() - start
    stats = pstats.Stats(prof)
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    tesseract_s, tesseract_calls = 0.0, 0
    rows = []
    for (file, line, func), (_cc, ncalls, tottime, cumtime, _callers) in raw.items():
        if func == "run_tesseract" and "pytesseract" in file:
            tesseract_s += cumtime
            tesseract_calls += ncalls
        if "/extractors/" in file:
            rows.append(
                {
                    "function": f"{Path(file).name}:{line}:{func}",
                    "calls": ncalls,
                    "own_s": round(tottime, 3),
                    "cumulative_s": round(cumtime, 3),
                }
            )
    rows.sort(key=lambda r: -r["own_s"])
    buf = io.StringIO()
    pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(12)
    return {
        "pages": len(jobs),
        "seconds_per_page": round(total / max(len(jobs), 1), 3),
        "tesseract_runs_per_page": round(tesseract_calls / max(len(jobs), 1), 2),
        "tesseract_seconds_per_page": round(tesseract_s / max(len(jobs), 1), 3),
        "python_seconds_per_page": round((total - tesseract_s) / max(len(jobs), 1), 3),
        "extractors_by_own_time": rows[:8],
        "top_cumulative": buf.getvalue().splitlines()[-20:],
    }


def _peer_subset(scans: list[Path], min_pages: int) -> list[Path]:
    chosen, pages = [], 0
    for f in scans:
        chosen.append(f)
        pages += pdf_pages(f)
        if pages >= min_pages:
            break
    return chosen


def _row(name: str, value: str, target: str = "", ok: bool | None = None) -> str:
    mark = "" if ok is None else ("PASS" if ok else "MISS")
    return f"{name:<52} {value:>18}  {target:<14} {mark}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.bench", description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="smaller set (24 scanned, 100 text pages)")
    ap.add_argument("--out", type=Path, default=ROOT / "bench-out")
    ap.add_argument("--workers", type=int, default=default_workers(), help="the 'all cores' run")
    ap.add_argument("--seed", type=int, default=20261126)
    ap.add_argument("--no-peers", action="store_true", help="skip OCRmyPDF")
    args = ap.parse_args(argv)
    scanned, text = (24, 100) if args.quick else (200, 500)
    args.out.mkdir(parents=True, exist_ok=True)
    scans, texts = bench_files(args.out, scanned, text, args.seed)
    many = max(args.workers, 1)
    report: dict[str, Any] = {
        "machine": {
            "cpus": default_workers(),
            "load_average_at_start": os.getloadavg(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "set": {
            "scanned_pages": scanned,
            "text_pages": text,
            "seed": args.seed,
            "scan_files": len(scans),
            "text_files": len(texts),
        },
        "targets": TARGETS,
    }
    print(f"load average at start: {os.getloadavg()[0]:.2f} on {default_workers()} cores")

    print("text-layer pages ...")
    text_1 = read_stage(texts, 1)
    text_n = read_stage(texts, many)
    print("OCR pages ...")
    ocr_1 = read_stage(scans, 1)
    ocr_n = read_stage(scans, many)
    report["text_layer"] = {"1": text_1.as_dict(), str(many): text_n.as_dict()}
    report["ocr"] = {"1": ocr_1.as_dict(), str(many): ocr_n.as_dict()}

    print("plain tesseract and the pipeline, page by page on the same pages ...")
    sbs = side_by_side(scans, 6 if args.quick else 40)
    pair = sbs.as_dict()
    ratio = pair["ratio_cpu"]
    pipeline_per_page = pair["pipeline_cpu_s_per_page"]
    report["vs_plain_tesseract"] = pair
    if not args.no_peers and ocrmypdf_available():
        subset = _peer_subset(scans, 8 if args.quick else 40)
        print(f"OCRmyPDF on {len(subset)} files ...")
        peer = ocrmypdf_text(subset, jobs=1)
        peer_cpu = peer.cpu_seconds / max(peer.pages, 1)
        report["ocrmypdf"] = {
            "files": len(subset),
            "pages": peer.pages,
            "wall_s_per_page_1_core": round(peer.per_page, 3),
            "cpu_s_per_page": round(peer_cpu, 3),
            "pipeline_cpu_s_per_page": pipeline_per_page,
            "pipeline_faster": pipeline_per_page < peer_cpu,
        }
    inbox = ROOT / "sample_docs" / "inbox"
    if inbox.is_dir():
        print("recordready batch on sample_docs/inbox ...")
        report["sample_docs_batch"] = batch_stage(inbox, many)
        report["celery_batch"] = celery_stage(inbox)
    print("peak memory reading each of the hardest files ...")
    report["memory_per_file"] = memory_run(args.out)
    if ratio > TARGETS["scan_ratio_vs_tesseract_max"]:
        print("profiling the page reader ...")
        report["profile"] = profile_pages(scans)

    cores_text = text_1.pages_per_cpu_s
    speedup = ocr_1.seconds / ocr_n.seconds if ocr_n.seconds else 0.0
    peak = max(
        text_1.peak_mb_per_worker,
        text_n.peak_mb_per_worker,
        ocr_1.peak_mb_per_worker,
        ocr_n.peak_mb_per_worker,
    )
    report["summary"] = {
        "text_pages_per_s_1_worker": round(text_1.pages_per_s, 1),
        f"text_pages_per_s_{many}_workers": round(text_n.pages_per_s, 1),
        "text_pages_per_cpu_s": round(cores_text, 1),
        "ocr_pages_per_s_1_worker": round(ocr_1.pages_per_s, 3),
        f"ocr_pages_per_s_{many}_workers": round(ocr_n.pages_per_s, 3),
        f"ocr_speedup_{many}_workers": round(speedup, 2),
        "scan_ratio_vs_tesseract": round(ratio, 3),
        "peak_mb_per_worker": peak,
    }
    report["machine"]["load_average_at_end"] = os.getloadavg()
    lines = [
        "",
        _row("measure", "value", "target"),
        _row("text-layer pages/s, 1 worker", f"{text_1.pages_per_s:.1f}"),
        _row(f"text-layer pages/s, {many} workers", f"{text_n.pages_per_s:.1f}"),
        _row(
            "text-layer pages per CPU-second (per core)",
            f"{cores_text:.1f}",
            ">= 50",
            cores_text >= TARGETS["text_pages_per_s_per_core_min"],
        ),
        _row("OCR pages/s, 1 worker", f"{ocr_1.pages_per_s:.3f}"),
        _row(f"OCR pages/s, {many} workers", f"{ocr_n.pages_per_s:.3f}"),
        _row(
            f"OCR speed-up, {many} workers vs 1",
            f"{speedup:.2f}x",
            ">= 1.8 (2 w)" if many == 2 else "",
            speedup >= TARGETS["ocr_speedup_2_workers_min"] if many == 2 else None,
        ),
        _row(f"OCR pages per CPU-second, {many} workers", f"{ocr_n.pages_per_cpu_s:.3f}"),
        _row("pipeline CPU s per scanned page", f"{pipeline_per_page:.3f}"),
        _row(
            "plain tesseract CPU s per page (native image)", f"{pair['plain_cpu_s_per_page']:.3f}"
        ),
        _row("tesseract --psm 1 tsv CPU s per page", f"{pair['osd_cpu_s_per_page']:.3f}"),
        _row(
            "ratio pipeline / plain tesseract (CPU)",
            f"{ratio:.3f}",
            "<= 1.15",
            ratio <= TARGETS["scan_ratio_vs_tesseract_max"],
        ),
        _row("ratio pipeline / plain tesseract (wall)", f"{pair['ratio_wall']:.3f}"),
    ]
    if "ocrmypdf" in report:
        o = report["ocrmypdf"]
        lines.append(
            _row(
                "OCRmyPDF CPU s per page",
                f"{o['cpu_s_per_page']:.3f}",
                "slower than us",
                o["pipeline_faster"],
            )
        )
    lines.append(
        _row(
            "peak memory per worker, MB",
            f"{peak:.0f}",
            "<= 400",
            peak <= TARGETS["peak_mb_per_worker_max"],
        )
    )
    per_file = report["memory_per_file"]
    worst = max(per_file, key=lambda n: per_file[n]["peak_mb"])
    lines.append(
        _row(
            f"peak memory, worst file ({worst}), MB",
            f"{per_file[worst]['peak_mb']:.0f}",
            f"<= {TARGET_MB:.0f}",
            per_file[worst]["peak_mb"] <= TARGET_MB,
        )
    )
    if "sample_docs_batch" in report:
        b = report["sample_docs_batch"]
        lines.append(_row(f"sample_docs batch ({b['pages']} pages), s", f"{b['seconds']:.1f}"))
        lines.append(_row("sample_docs re-run from cache, s", f"{b['rerun_seconds']:.1f}"))
        lines.append(
            _row(
                "sample_docs re-run pages OCR'd",
                str(b["rerun_pages_ocr"]),
                "0",
                b["rerun_pages_ocr"] == 0,
            )
        )
    if "celery_batch" in report:
        lines.append(celery_row(report["celery_batch"]))
    if "profile" in report:
        p = report["profile"]
        lines.append(_row("profile: tesseract runs per page", str(p["tesseract_runs_per_page"])))
        lines.append(
            _row("profile: s in tesseract per page", f"{p['tesseract_seconds_per_page']:.3f}")
        )
        lines.append(_row("profile: s in Python per page", f"{p['python_seconds_per_page']:.3f}"))
    print("\n".join(lines))
    target = args.out / "bench.json"
    target.write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\nwritten {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
