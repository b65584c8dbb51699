"""`recordready classify PATH... [--json]`: the documents found in each file.

With --json, one line per document: `vocabulary.Document` serialised; a file that could
not be read gives its `extract` error object (FileText with status "error") instead.
Without --json, a table for people: file, pages, type, confidence, review flag, date (with
the report date beside it when the document is dated by its specimen or study instead).
Files are read and understood by intake's pipeline, through the store of RECORDREADY_HOME.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from extractors.date_roles import report_date
from extractors.vocabulary import Document, FileText


def date_shown(document: Document) -> str:
    """The document's date, and its report date where that differs ("reported ...")."""
    if document.document_date is None:
        return ""
    shown = document.document_date.isoformat()
    reported = report_date(document.dates)
    if reported is not None and reported != document.document_date:
        shown += f" (reported {reported.isoformat()})"
    return shown


def documents_by_file(paths: list[Path]) -> list[tuple[FileText, list[Document]]]:
    """Each item under `paths` (container members apart) with the documents found in it,
    read and understood by intake's pipeline, through the store's cache."""
    # Imported here: the reading pipeline costs seconds to load; other commands skip it.
    from intake.pipeline.flow import Naming, read_paths

    out: list[tuple[FileText, list[Document]]] = []
    for upload in read_paths(paths, Naming.GIVEN, understand=True).files:
        for ft in upload.file_texts:
            found = [d for d in upload.documents if d.file == ft.file]
            out.append((ft, found if ft.status == "ok" else []))
    return out


def register(app: typer.Typer) -> None:
    @app.command()
    def classify(
        paths: Annotated[list[Path], typer.Argument(exists=True, help="Files or folders to read.")],
        as_json: Annotated[
            bool, typer.Option("--json", help="One JSON object per line per document.")
        ] = False,
    ) -> None:
        """Split each file into documents and say what each one is, with the evidence."""
        rows: list[tuple[str, str, str, str, str, str]] = []
        for file_text, documents in documents_by_file(paths):
            if file_text.status != "ok":
                if as_json:
                    typer.echo(file_text.model_dump_json(exclude={"pages"}))
                else:
                    message = file_text.error.message if file_text.error else "could not be read"
                    rows.append((file_text.file, "-", "ERROR", "-", "-", message))
                continue
            for document in documents:
                if as_json:
                    typer.echo(json.dumps(document.model_dump(mode="json")))
                else:
                    first, last = document.pages
                    rows.append(
                        (
                            document.file,
                            f"{first}-{last}" if last != first else str(first),
                            document.doc_type.value,
                            f"{document.confidence:.2f}",
                            "review" if document.needs_review else "",
                            date_shown(document),
                        )
                    )
        if not as_json:
            from rich.console import Console
            from rich.table import Table

            table = Table("file", "pages", "type", "confidence", "", "date")
            for row in rows:
                table.add_row(*row)
            Console().print(table)
