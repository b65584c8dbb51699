"""`recordready programs`: list the checklists a case can be checked against."""

from __future__ import annotations

import json

import typer

from intake.programs import deployment_programs


def register(app: typer.Typer) -> None:
    @app.command()
    def programs(
        as_json: bool = typer.Option(False, "--json", help="Print the programs as JSON."),
    ) -> None:
        """List the programs (built-in and from RECORDREADY_PROGRAMS_DIR), with any file errors."""
        found, errors = deployment_programs()
        if as_json:
            typer.echo(
                json.dumps(
                    [
                        {
                            "id": p.id,
                            "title": p.title,
                            "version": p.version,
                            "required": sum(r.required for r in p.requirements),
                            "advisory": sum(not r.required for r in p.requirements),
                        }
                        for p in found.values()
                    ],
                    indent=2,
                )
            )
        else:
            for p in found.values():
                n_req = sum(r.required for r in p.requirements)
                n_adv = len(p.requirements) - n_req
                typer.echo(
                    f"{p.id:<24} {p.title} (version {p.version}; {n_req} required, {n_adv} advisory)"
                )
        for err in errors:
            typer.echo(f"error: {err}", err=True)
        if errors:
            raise typer.Exit(1)
