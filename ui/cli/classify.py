"""`recordready classify PATH... [--json]`: the documents found in each file.

With --json, one line per document: `vocabulary.Document` serialised; a file that could
not be read gives its `extract` error object (FileText with status "error") instead.
Without --json, a table for people: file, pages, type, confidence, review flag, date.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import typer

from extractors.errors import FileError, FileErrorCode
from extractors.vocabulary import Document, FileText

log = logging.getLogger(__name__)


def read_file_texts(paths: list[Path]) -> Iterator[FileText]:
    """Every readable item under `paths` as page text; unreadable ones as error FileTexts."""
    try:
        from extractors.pages import read_item
    except ImportError:
        raise typer.BadParameter(
            "page reading (extractors.pages) is not installed in this build yet"
        ) from None
    from extractors.sources import expand

    for path in paths:
        for item in expand(path):
            try:
                file_text = read_item(item)
            except Exception as exc:  # one reader failure must not end the run; say which file
                log.warning("reading failed for a file (%s)", type(exc).__name__)
                file_text = FileText(
                    file=item.name,
                    status="error",
                    error=FileError(
                        code=FileErrorCode.CORRUPT,
                        message=f"{item.name}: could not be read ({type(exc).__name__})",
                    ),
                )
            if not file_text.sha256:
                file_text = file_text.model_copy(update={"sha256": item.sha256})
            yield file_text


def classify_file_text(file_text: FileText) -> list[Document]:
    from extractors.documents import find_documents

    try:
        return find_documents(file_text)
    except Exception as exc:  # a bug on one file must not stop the others
        log.warning("classification failed for a file (%s)", type(exc).__name__)
        return []


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
        for file_text in read_file_texts(paths):
            if file_text.status != "ok":
                if as_json:
                    typer.echo(file_text.model_dump_json(exclude={"pages"}))
                else:
                    message = file_text.error.message if file_text.error else "could not be read"
                    rows.append((file_text.file, "-", "ERROR", "-", "-", message))
                continue
            for document in classify_file_text(file_text):
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
                            document.document_date.isoformat() if document.document_date else "",
                        )
                    )
        if not as_json:
            from rich.console import Console
            from rich.table import Table

            table = Table("file", "pages", "type", "confidence", "", "date")
            for row in rows:
                table.add_row(*row)
            Console().print(table)
