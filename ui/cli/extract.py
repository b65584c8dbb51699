"""`recordready extract PATH... [--json]`: the text of every page of every upload.

With --json, one `FileText` object per line per file (container members included);
otherwise a summary table. Bad files are reported, never fatal: the exit code is 0
whenever every path could be walked, 2 when a path does not exist. Files are read by
intake's pipeline (`intake.pipeline.flow`) through the store of RECORDREADY_HOME and its cache.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from extractors.vocabulary import FileText, PageMethod


def _summary_row(ft: FileText) -> tuple[str, str, str, str, str, str]:
    if ft.status == "error" and ft.error is not None:
        # The message starts with the file's name, already in the first column.
        reason = ft.error.message.removeprefix(f"{ft.file}: ")
        return ft.file, "error", "-", "-", "-", f"{ft.error.code}: {reason}"
    ocr = [p for p in ft.pages if p.method is PageMethod.OCR]
    confs = [p.ocr_confidence for p in ocr if p.ocr_confidence is not None]
    turned = sum(1 for p in ocr if p.rotation)
    how = f"{len(ft.pages) - len(ocr)} text, {len(ocr)} OCR" + (
        f" ({turned} turned)" if turned else ""
    )
    conf = f"{sum(confs) / len(confs):.0f}" if confs else "-"
    chars = str(sum(len(p.text) for p in ft.pages))
    return ft.file, "ok", str(len(ft.pages)), how, conf, chars


def run_extract(paths: list[Path], as_json: bool, ocr_parallel: bool = True) -> int:
    missing = [p for p in paths if not p.exists()]
    if missing:
        for p in missing:
            typer.echo(f"recordready extract: no such file or folder: {p}", err=True)
        return 2
    table = Table(
        Column("file", overflow="fold", ratio=3),
        "status",
        "pages",
        "read by",
        "OCR conf",
        Column("characters / error", overflow="fold", ratio=2),
    )
    # Imported here: the reading pipeline costs seconds to load; other commands skip it.
    from intake.pipeline.flow import Naming, read_paths

    # Serial: one worker, so one page at a time; else pages of a file spread over every core.
    reading = read_paths(paths, Naming.GIVEN, workers=None if ocr_parallel else 1, understand=False)
    for ft in reading.file_texts:
        if as_json:
            sys.stdout.write(ft.model_dump_json() + "\n")
            sys.stdout.flush()
        else:
            table.add_row(*_summary_row(ft))
    if not as_json:
        Console().print(table)
    return 0


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract(
        paths: Annotated[
            list[Path], typer.Argument(help="Files or folders (walked recursively, sorted).")
        ],
        as_json: Annotated[
            bool, typer.Option("--json", help="One FileText JSON object per line per file.")
        ] = False,
        serial: Annotated[
            bool,
            typer.Option("--serial", help="OCR one page at a time (default: pages side by side)."),
        ] = False,
    ) -> None:
        """Read the text of every page: the text layer where there is one, OCR otherwise."""
        code = run_extract(paths, as_json, ocr_parallel=not serial)
        if code:
            raise typer.Exit(code)
