"""`recordready eval`: how well RecordReady reads and understands records, in figures.

Runs the text evaluation (page reading / OCR, `extractors.text_eval.evaluate_text`) and the
understanding evaluation (`extractors.classify_eval`: types, boundaries, dates, fields,
identities on sample_docs; type macro-F1 on the real corpus), prints tables and writes
everything to one JSON file.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from intake.settings import Settings
from ui.cli.evaluate_records import (
    print_records,
    print_records_text,
    records_corpus,
    run_records,
    run_records_text,
)

REPO_ROOT = Path(__file__).resolve().parents[2]


def _text_evaluation(sample_root: Path) -> dict[str, Any]:
    try:
        from extractors.text_eval import evaluate_text
    except ImportError:
        return {
            "present": False,
            "message": "text evaluation (extractors.text_eval) is not in this build yet",
        }
    started = time.perf_counter()
    result = evaluate_text(sample_root)
    payload = result if isinstance(result, dict) else {"result": result}
    return {"present": True, "seconds": round(time.perf_counter() - started, 1), **payload}


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.3f}"
    return "-" if value is None else str(value)


def _print_text(console: Console, result: dict[str, Any]) -> None:
    console.rule("Text (reading / OCR)")
    if not result.get("present"):
        console.print(result.get("message", "not available"))
        return
    table = Table("measure", "value")
    for key, value in result.items():
        if isinstance(value, int | float | str) and key != "present":
            table.add_row(key, _fmt(value))
    console.print(table)


def _print_samples(console: Console, result: dict[str, Any]) -> None:
    console.rule("Understanding: sample_docs")
    if not result.get("present"):
        console.print(result.get("message", "not available"))
        return
    table = Table("measure", "value", "target")
    table.add_row("documents", _fmt(result["documents"]), "")
    table.add_row("type accuracy", _fmt(result["type_accuracy"]), ">= 0.95")
    table.add_row("boundary F1 (sample packets)", _fmt(result["boundary"]["f1"]), ">= 0.95")
    stacked = result.get("stacked_packet_boundary") or {}
    if stacked.get("packets"):
        table.add_row(
            f"boundary F1 ({stacked['packets']} stacked packets)", _fmt(stacked["f1"]), ">= 0.95"
        )
    table.add_row("document_date exact", _fmt(result["document_date_exact"]), ">= 0.90")
    table.add_row("fields exact", _fmt(result["field_exact"]), ">= 0.90")
    table.add_row("identity exact", _fmt(result["identity_exact"]), ">= 0.90")
    table.add_row("needs_review rate", _fmt(result["needs_review_rate"]), "")
    table.add_row("text source", result["text_source"], "")
    console.print(table)
    _print_confusion(console, result["confusion"])
    if result.get("field_misses"):
        console.print(
            "field misses: " + ", ".join(f"{k} {v}" for k, v in result["field_misses"].items())
        )


_SHORT = {
    "pathology_report": "path",
    "molecular_report": "mol",
    "hla_typing": "hla",
    "imaging_report": "img",
    "lab_results": "lab",
    "cardiac_function": "card",
    "pulmonary_function": "pulm",
    "clinic_note": "clin",
    "treatment_summary": "tx",
    "discharge_summary": "dc",
    "operative_report": "op",
    "medication_list": "meds",
    "referral_letter": "ref",
    "administrative": "admin",
    "other": "other",
}


def _print_confusion(console: Console, confusion: dict[str, dict[str, int]]) -> None:
    """One line per gold type: how many were right and where the others went."""
    console.print("confusion (gold: correct/total, then mistaken for):")
    for gold, row in confusion.items():
        total = sum(row.values())
        wrong = ", ".join(
            f"{_SHORT.get(p, p)} {n}"
            for p, n in sorted(row.items(), key=lambda x: -x[1])
            if p != gold
        )
        console.print(f"  {gold}: {row.get(gold, 0)}/{total}" + (f"  -> {wrong}" if wrong else ""))


def _print_real(console: Console, result: dict[str, Any]) -> None:
    console.rule("Understanding: real corpus (types, text only)")
    if not result.get("present"):
        console.print(f"[yellow]{result.get('message')}[/yellow]")
        return
    table = Table("type", "n", "precision", "recall", "F1", "recall 95% CI")
    for label, row in result["per_class"].items():
        table.add_row(
            label,
            str(row["n"]),
            _fmt(row["precision"]),
            _fmt(row["recall"]),
            _fmt(row["f1"]),
            f"{row['recall_ci95'][0]:.2f}-{row['recall_ci95'][1]:.2f}",
        )
    console.print(table)
    console.print(
        f"macro-F1 {result['macro_f1']:.3f} (target >= 0.90), accuracy {result['accuracy']:.3f}, "
        f"n={result['n']}, needs_review {result['needs_review_rate']:.3f}"
    )
    _print_confusion(console, result["confusion"])


def register(app: typer.Typer) -> None:
    @app.command(name="eval")
    def evaluate(
        samples: Annotated[
            Path, typer.Option(help="Sample folder holding ground_truth.json.")
        ] = REPO_ROOT / "sample_docs",
        real: Annotated[
            Path | None,
            typer.Option(
                help="Real labelled corpus (documents.jsonl); default ../shared/corpus/real/documents.jsonl "
                "or $RECORDREADY_REAL_CORPUS."
            ),
        ] = None,
        truth_text: Annotated[
            bool,
            typer.Option(
                "--truth-text",
                help="Understand the ground truth's printed text instead of reading the files.",
            ),
        ] = False,
        output: Annotated[
            Path, typer.Option("-o", "--output", help="Where to write the JSON results.")
        ] = Path("out/eval.json"),
        skip_text: Annotated[
            bool, typer.Option("--skip-text", help="Leave out the text (OCR) evaluation.")
        ] = False,
        records: Annotated[
            Path | None,
            typer.Option(
                help="Records corpus (cases/*/truth.json); default $RECORDREADY_RECORDS_CORPUS "
                "or ../shared/corpus/records."
            ),
        ] = None,
        records_only: Annotated[
            bool,
            typer.Option("--records-only", help="Only the records corpus (seconds once cached)."),
        ] = False,
        misses: Annotated[
            bool, typer.Option("--misses", help="List every records-corpus miss.")
        ] = False,
        records_text: Annotated[
            bool,
            typer.Option(
                "--records-text",
                help="Only the reading of the records corpus's raster pages: CER per form "
                "and CPU per page (minutes; nothing cached).",
            ),
        ] = False,
    ) -> None:
        """Measure reading and understanding: print tables and write JSON."""
        from extractors.classify_eval import (
            default_real_corpus,
            evaluate_real_corpus,
            evaluate_samples,
        )
        from extractors.documents import CLASSIFIER_VERSION

        console = Console()
        results: dict[str, Any] = {"classifier_version": CLASSIFIER_VERSION}
        settings = Settings.from_env()
        if records_text:
            results["records_text"] = run_records_text(records_corpus(records, settings))
            print_records_text(console, results["records_text"])
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
            console.print(f"results written to {output}")
            return
        # Read pages are kept in the home folder, keyed by file sha256 and reading version.
        results["records"] = run_records(
            records_corpus(records, settings), settings.home / "eval-cache", truth_text
        )
        print_records(console, results["records"], misses)
        if records_only:
            output.parent.mkdir(parents=True, exist_ok=True)
            output.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
            console.print(f"results written to {output}")
            return
        results["text"] = (
            {"present": False, "message": "skipped (--skip-text)"}
            if skip_text
            else _text_evaluation(samples)
        )
        _print_text(console, results["text"])
        started = time.perf_counter()
        try:
            results["samples"] = evaluate_samples(samples, from_truth_text=truth_text)
        except ImportError:
            results["samples"] = {
                "present": False,
                "message": "page reading (extractors.pages) is not in this build yet; "
                "use --truth-text to understand the ground truth's text",
            }
        results["samples"]["seconds"] = round(time.perf_counter() - started, 1)
        _print_samples(console, results["samples"])
        started = time.perf_counter()
        results["real_corpus"] = evaluate_real_corpus(
            real or default_real_corpus(REPO_ROOT, Settings.from_env().real_corpus)
        )
        results["real_corpus"]["seconds"] = round(time.perf_counter() - started, 1)
        _print_real(console, results["real_corpus"])
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
        console.print(f"results written to {output}")
