"""`recordready check`: read a case's files and check them against a program's checklist.

A PATH may be a case folder; its case.json supplies program, as_of and patient when the
options do not. File names in the report are relative to the case folder.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Annotated

import typer

from checklists.corrections import Corrections
from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import ProgramFileError, get_program
from checklists.render import render
from checklists.report import Report
from extractors.errors import FileError, FileErrorCode
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.sources import expand
from extractors.vocabulary import Document, FileText, Patient
from intake.inbox import CASE_META, is_candidate, read_case_meta

log = logging.getLogger(__name__)


def case_files(path: Path) -> list[Path]:
    """The record files of a case folder (case.json, hidden and temp files left out)."""
    if path.is_file():
        return [path]
    out: list[Path] = []
    for entry in sorted(path.iterdir(), key=lambda p: p.name):
        if not is_candidate(entry):
            continue
        if entry.is_dir() and not entry.is_symlink():
            out.extend(case_files(entry))
        elif entry.is_file():
            out.append(entry)
    return out


def _display_name(name: str, base: Path | None) -> str:
    if base is None:
        return name
    try:
        return Path(name).resolve().relative_to(base).as_posix()
    except ValueError:
        # Container members ("dir/mail.eml/scan.pdf") do not exist on disk to resolve.
        prefix = base.as_posix().rstrip("/") + "/"
        absolute = Path(name).absolute().as_posix()
        return absolute[len(prefix) :] if absolute.startswith(prefix) else name


def _read_file(file: Path, base: Path, limits: Limits) -> tuple[list[FileText], list[Document]]:
    # Imported here: the reading pipeline (spaCy, pdf libraries) costs seconds to load and
    # other commands (`recordready programs`) should not pay for it.
    from extractors.documents import find_documents
    from extractors.pages import read_item

    results: list[FileText] = []
    documents: list[Document] = []
    for item in expand(file, limits):
        name = _display_name(item.name, base)
        try:
            ft = read_item(item, limits=limits)
        except Exception as exc:  # a reader bug must not end the case; say which file
            log.warning("reading failed for a file (%s)", type(exc).__name__)
            ft = FileText(
                file=item.name,
                status="error",
                error=FileError(
                    code=FileErrorCode.CORRUPT,
                    message=f"{name}: could not be read ({type(exc).__name__})",
                ),
            )
        ft = ft.model_copy(update={"file": name, "sha256": ft.sha256 or item.sha256})
        results.append(ft)
        if ft.status == "ok":
            documents.extend(
                d.model_copy(update={"file": name, "sha256": d.sha256 or ft.sha256})
                for d in find_documents(ft)
            )
    return results, documents


def read_paths(
    paths: list[Path], limits: Limits = DEFAULT_LIMITS, workers: int | None = None
) -> tuple[list[FileText], list[Document]]:
    """Read every file under `paths` into page text, then find its documents.

    Files are read in parallel processes (one tesseract each); results keep file order. One
    bad file becomes a FileText with an error; it never stops the others.
    """
    import extractors.documents  # noqa: F401  loaded once here, before the workers fork
    import extractors.pages  # noqa: F401

    jobs = [
        (file, (root.resolve() if root.is_dir() else root.resolve().parent))
        for root in paths
        for file in case_files(root)
    ]
    workers = min(workers or os.cpu_count() or 1, len(jobs))
    if workers <= 1:
        parts = [_read_file(f, b, limits) for f, b in jobs]
    else:
        # Each worker runs one tesseract at a time; OpenMP threads would oversubscribe the cores.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn"),
        ) as pool:
            parts = list(
                pool.map(
                    _read_file, [f for f, _ in jobs], [b for _, b in jobs], [limits] * len(jobs)
                )
            )
    results = [ft for r, _ in parts for ft in r]
    documents = [d for _, ds in parts for d in ds]
    return results, documents


def _patient(
    meta_patient: dict, name: str | None, dob: dt.date | None, mrn: str | None
) -> Patient | None:
    if name or dob or mrn:
        return Patient(name=name, dob=dob, mrn=mrn)
    if not meta_patient:
        return None
    raw_dob = meta_patient.get("dob")
    try:
        parsed_dob = dt.date.fromisoformat(str(raw_dob)) if raw_dob else None
    except ValueError:
        parsed_dob = None
    p = Patient(
        name=meta_patient.get("name") or None, dob=parsed_dob, mrn=meta_patient.get("mrn") or None
    )
    return p if (p.name or p.dob or p.mrn) else None


def check_case(
    paths: list[Path],
    program_id: str | None = None,
    as_of: dt.date | None = None,
    patient_name: str | None = None,
    patient_dob: dt.date | None = None,
    patient_mrn: str | None = None,
    patient_sex: str | None = None,
    corrections: Corrections | None = None,
) -> Report:
    """Read the case under `paths` and evaluate it. Options override the folder's case.json."""
    folder = next((p for p in paths if p.is_dir() and (p / CASE_META).is_file()), None)
    meta = read_case_meta(folder) if folder else None
    if meta and meta.problem:
        # The problem text names the folder, which often carries the patient's name: not logged.
        log.warning("case.json could not be fully used; options and defaults fill the gaps")
    program_id = program_id or (meta.program if meta else None)
    if not program_id:
        raise typer.BadParameter(
            "no program: give --program or a case folder whose case.json names one"
        )
    program = get_program(program_id)
    meta_patient = meta.patient if meta else {}
    sex = patient_sex or (
        meta_patient.get("sex") if isinstance(meta_patient.get("sex"), str) else None
    )
    case_id = (folder or paths[0]).resolve().name if len(paths) == 1 or folder else "case"
    info = CaseInfo(
        case_id=case_id,
        as_of=as_of or (meta.as_of if meta and meta.as_of else dt.date.today()),
        patient=_patient(meta_patient, patient_name, patient_dob, patient_mrn),
        sex=sex,
    )
    results, documents = read_paths(paths)
    return evaluate(program, documents, results, info, corrections)


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
        fmt: Annotated[str, typer.Option("--format", "-f", help="json, md or html.")] = "json",
        view: Annotated[
            str, typer.Option("--view", help="patient or coordinator.")
        ] = "coordinator",
        output: Annotated[
            Path | None,
            typer.Option("-o", "--output", help="Write the report here instead of stdout."),
        ] = None,
    ) -> None:
        """Check a case's records against a program and report what is met, missing or out of date."""
        if fmt not in ("json", "md", "html"):
            raise typer.BadParameter("--format must be json, md or html")
        if view not in ("patient", "coordinator"):
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
        try:
            report = check_case(
                paths,
                program,
                _date(as_of, "--as-of"),
                patient_name,
                _date(patient_dob, "--patient-dob"),
                patient_mrn,
                patient_sex,
                fixes,
            )
        except KeyError as exc:
            typer.echo(
                f"error: unknown program {exc.args[0]!r}; see `recordready programs`", err=True
            )
            raise typer.Exit(2) from None
        except ProgramFileError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(2) from None
        text = render(report, fmt, view)  # type: ignore[arg-type]
        if output is None:
            typer.echo(text, nl=False)
        else:
            output.write_text(text, encoding="utf-8")
            typer.echo(f"wrote {output}", err=True)
