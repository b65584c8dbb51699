"""The records-corpus part of `recordready eval`: where the corpus and the read-page cache
are (from Settings), the run, and its tables and misses."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from intake.settings import Settings

REPO_ROOT = Path(__file__).resolve().parents[2]


def records_corpus(given: Path | None, settings: Settings) -> Path:
    """--records, else the setting; a relative setting that is not found from here is taken
    from the repository root (where `make eval` runs)."""
    if given is not None:
        return given
    path = settings.records_corpus
    return path if path.is_absolute() or path.exists() else REPO_ROOT / path


def run_records(
    corpus: Path, cache_dir: Path | None, from_truth_text: bool = False
) -> dict[str, Any]:
    from checklists.records_eval import evaluate_records

    started = time.perf_counter()
    result = evaluate_records(corpus, cache_dir, from_truth_text)
    result["seconds"] = round(time.perf_counter() - started, 1)
    result["cache"] = str(cache_dir) if cache_dir else None
    return result


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "-" if value is None else str(value)


def print_records(console: Console, result: dict[str, Any], misses: bool) -> None:
    console.rule("Understanding: records corpus (written outside the team)")
    if not result.get("present"):
        console.print(f"[yellow]{result.get('message')}[/yellow]")
        return
    table = Table("measure", "value", "target")
    table.add_row("documents (readable files)", _fmt(result["documents"]), "")
    table.add_row("documents in unreadable files", _fmt(result["unreadable_documents"]), "")
    table.add_row("type accuracy", _fmt(result["type_accuracy"]), ">= 0.98")
    table.add_row("boundary F1", _fmt(result["boundary"]["f1"]), ">= 0.97")
    table.add_row("document_date exact", _fmt(result["document_date_exact"]), ">= 0.95")
    table.add_row("identity exact (name and DOB)", _fmt(result["identity_exact"]), ">= 0.95")
    table.add_row("  name exact", _fmt(result["name_exact"]), "")
    table.add_row("  DOB exact", _fmt(result["dob_exact"]), "")
    table.add_row("  MRN exact", _fmt(result["mrn_exact"]), "")
    table.add_row(f"fields exact (n={result['field_n']})", _fmt(result["field_exact"]), ">= 0.95")
    verdicts = result["verdicts"]
    table.add_row(
        "ready / not ready right", f"{verdicts['ready_right']}/{verdicts['cases']}", "all"
    )
    table.add_row("gaps right", f"{verdicts['gaps_right']}/{verdicts['gaps_expected']}", "all")
    table.add_row("gaps reported that are met", _fmt(verdicts["extra_gaps"]), "0")
    table.add_row(
        "misfiled files flagged",
        f"{verdicts['misfiled_flagged']}/{verdicts['misfiled_expected']}",
        "all",
    )
    table.add_row("own files flagged as another's", _fmt(verdicts["wrongly_flagged_files"]), "0")
    table.add_row("own records called another's", _fmt(verdicts["own_called_other"]), "0")
    table.add_row("text source", result["text_source"], "")
    console.print(table)
    console.print(f"{len(result['misses'])} misses ({result['seconds']} s)")
    if misses:
        for line in result["misses"]:
            console.print("  " + line, markup=False, highlight=False, soft_wrap=True)


def run_records_text(corpus: Path) -> dict[str, Any]:
    from extractors.records_text_eval import read_raster_pages, summarise

    started = time.perf_counter()
    pages = read_raster_pages(corpus)
    return {
        "seconds": round(time.perf_counter() - started, 1),
        "forms": summarise(pages),
        # The text is kept out: these figures may be shared, the pages are patient records.
        "pages": [{k: v for k, v in p.items() if k != "text"} for p in pages],
    }


def print_records_text(console: Console, result: dict[str, Any]) -> None:
    console.rule("Reading: records corpus raster pages (whitespace-collapsed CER)")
    table = Table("form", "pages", "mean CER", "pooled CER", "max CER", "CPU s/page")
    for form, row in result["forms"].items():
        table.add_row(
            form,
            str(row["pages"]),
            _fmt(row["mean_cer"]),
            _fmt(row["pooled_cer"]),
            _fmt(row["max_cer"]),
            _fmt(row["cpu_s_per_page"]),
        )
    console.print(table)
    console.print(f"{result['seconds']} s")
