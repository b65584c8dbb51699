"""`recordready check`: read a case's files and check them against a program's checklist.

A PATH may be a case folder; its case.json supplies program, as_of and patient when the
options do not. File names in the report are relative to the case folder. The files are read
by intake's pipeline (`intake.pipeline.casecheck`) into the store of RECORDREADY_HOME, so a
second check of the same files is served from its cache.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, get_args

import typer

from checklists.corrections import Corrections
from checklists.loader import ProgramFileError
from checklists.render import Format, render
from checklists.wording import View

# The option strings as the renderer's own literals (typer passes plain str).
_FORMATS: dict[str, Format] = {f: f for f in get_args(Format)}
_VIEWS: dict[str, View] = {v: v for v in get_args(View)}


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{option} must be a YYYY-MM-DD date") from None


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        paths: Annotated[
            list[Path],
            typer.Argument(
                exists=True, help="Files or a case folder (with an optional case.json)."
            ),
        ],
        program: Annotated[
            str | None,
            typer.Option("--program", "-p", help="Program id (see `recordready programs`)."),
        ] = None,
        as_of: Annotated[
            str | None,
            typer.Option(
                "--as-of", help="Date windows count back from (YYYY-MM-DD; default today)."
            ),
        ] = None,
        patient_name: Annotated[
            str | None, typer.Option("--patient-name", help="The case's patient (else inferred).")
        ] = None,
        patient_dob: Annotated[
            str | None, typer.Option("--patient-dob", help="Patient's date of birth (YYYY-MM-DD).")
        ] = None,
        patient_mrn: Annotated[
            str | None, typer.Option("--patient-mrn", help="Patient's MRN.")
        ] = None,
        patient_sex: Annotated[
            str | None,
            typer.Option("--patient-sex", help="female or male (decides the pregnancy test)."),
        ] = None,
        corrections: Annotated[
            Path | None,
            typer.Option(
                "--corrections", help="JSON file of coordinator waivers and document corrections."
            ),
        ] = None,
        fmt: Annotated[
            str, typer.Option("--format", "-f", help="json, md, html or fhir (a FHIR R4 Bundle).")
        ] = "json",
        view: Annotated[
            str, typer.Option("--view", help="patient or coordinator.")
        ] = "coordinator",
        output: Annotated[
            Path | None,
            typer.Option("-o", "--output", help="Write the report here instead of stdout."),
        ] = None,
    ) -> None:
        """Check a case's records against a program and report what is met, missing or out of date."""
        out_format = _FORMATS.get(fmt)
        if out_format is None:
            raise typer.BadParameter("--format must be json, md, html or fhir")
        out_view = _VIEWS.get(view)
        if out_view is None:
            raise typer.BadParameter("--view must be patient or coordinator")
        if patient_sex not in (None, "female", "male"):
            raise typer.BadParameter("--patient-sex must be female or male")
        fixes = None
        if corrections is not None:
            try:
                fixes = Corrections.model_validate(
                    json.loads(corrections.read_text(encoding="utf-8"))
                )
            except (OSError, ValueError) as exc:
                raise typer.BadParameter(
                    f"{corrections}: not a valid corrections file ({type(exc).__name__})"
                ) from None
        # Imported here: the reading pipeline (spaCy, pdf libraries, the store) costs seconds
        # to load and other commands (`recordready programs`) should not pay for it.
        from intake.pipeline.casecheck import Given, NoProgram, check_case

        given = Given(
            program,
            _date(as_of, "--as-of"),
            patient_name,
            _date(patient_dob, "--patient-dob"),
            patient_mrn,
            patient_sex,
        )
        try:
            report = check_case(paths, given, fixes)
        except NoProgram as exc:
            raise typer.BadParameter(str(exc)) from None
        except KeyError as exc:
            typer.echo(
                f"error: unknown program {exc.args[0]!r}; see `recordready programs`", err=True
            )
            raise typer.Exit(2) from None
        except ProgramFileError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        text = render(report, out_format, out_view)
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {output}", err=True)
