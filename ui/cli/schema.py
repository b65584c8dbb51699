"""`recordready schema`: export the shared vocabulary as JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from extractors.vocabulary import Document, FileText


def schemas() -> dict[str, dict]:
    """Every model other tools may consume, by file name."""
    out: dict[str, dict] = {
        "file_text.schema.json": FileText.model_json_schema(),
        "document.schema.json": Document.model_json_schema(),
    }
    try:  # the checklist and report models join as they are built
        from checklists.models import Program
        from checklists.report import Report

        out["program.schema.json"] = Program.model_json_schema()
        out["report.schema.json"] = Report.model_json_schema()
    except ImportError:
        pass
    return out


def register(app: typer.Typer) -> None:
    @app.command()
    def schema(
        out_dir: Annotated[
            Path, typer.Option("-o", "--out", help="Folder to write the *.schema.json files to.")
        ] = Path("docs/schema"),
    ) -> None:
        """Write the JSON Schemas of the shared models (documents, programs, reports)."""
        out_dir.mkdir(parents=True, exist_ok=True)
        for name, body in schemas().items():
            (out_dir / name).write_text(json.dumps(body, indent=2) + "\n")
            typer.echo(f"wrote {out_dir / name}")
