"""The last step of the pipeline: a case's files read (`flow`), then checked against a program.

A case is a folder (its case.json, read by `intake.inbox`, gives program, as_of and patient)
and/or loose files; what the caller states outright wins over case.json. File names in the
report are relative to the case folder (a loose file: its own name).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checklists.corrections import Corrections
from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import get_program, program_dirs
from checklists.models import Program
from checklists.report import Report
from extractors.limits import DEFAULT_LIMITS
from extractors.vocabulary import Patient
from intake.inbox import CASE_META, CaseMeta, given_patient, read_case_meta
from intake.pipeline.flow import Naming, read_paths
from intake.settings import Settings
from intake.store import Store

log = logging.getLogger(__name__)


class NoProgram(ValueError):
    """Neither the caller nor the case folder's case.json says which program to check."""


@dataclass(frozen=True)
class Given:
    """What the caller states about the case; each field set here overrides case.json."""

    program_id: str | None = None
    as_of: dt.date | None = None
    patient_name: str | None = None
    patient_dob: dt.date | None = None
    patient_mrn: str | None = None
    patient_sex: str | None = None


def case_folder(paths: Sequence[Path]) -> Path | None:
    """The first path that is a folder with a case.json (the case's own folder)."""
    return next((p for p in paths if p.is_dir() and (p / CASE_META).is_file()), None)


def case_info(paths: Sequence[Path], given: Given, meta: CaseMeta | None) -> CaseInfo:
    """Case id, as-of date, patient and sex: the caller's, else case.json's, else defaults."""
    folder = case_folder(paths)
    patient: Patient | None
    if given.patient_name or given.patient_dob or given.patient_mrn:
        patient = Patient(name=given.patient_name, dob=given.patient_dob, mrn=given.patient_mrn)
    else:
        patient = given_patient(meta.patient) if meta else None
    meta_sex = meta.patient.get("sex") if meta else None
    case_id = (folder or paths[0]).resolve().name if len(paths) == 1 or folder else "case"
    return CaseInfo(
        case_id=case_id,
        as_of=given.as_of or (meta.as_of if meta and meta.as_of else dt.date.today()),
        patient=patient,
        sex=given.patient_sex or (meta_sex if isinstance(meta_sex, str) else None),
    )


def case_program(given: Given, meta: CaseMeta | None, settings: Settings) -> Program:
    """The program to check against. Raises NoProgram, KeyError (unknown id) or
    ProgramFileError (its file is bad); the deployment's own program folders count."""
    program_id = given.program_id or (meta.program if meta else None)
    if not program_id:
        raise NoProgram("no program: give --program or a case folder whose case.json names one")
    return get_program(program_id, program_dirs(settings.programs_dirs))


def check_case(
    paths: Sequence[Path],
    given: Given | None = None,
    corrections: Corrections | None = None,
    store: Store | None = None,
    workers: int | None = None,
    max_file_bytes: int = DEFAULT_LIMITS.max_file_bytes,
) -> Report:
    """Read the case under `paths` through the pipeline (and its cache) and evaluate it."""
    given = given or Given()
    store = store or Store(Settings.from_env())
    folder = case_folder(paths)
    meta = read_case_meta(folder) if folder else None
    if meta and meta.problem:
        # The problem text names the folder, which often carries the patient's name: not logged.
        log.warning("case.json could not be fully used; options and defaults fill the gaps")
    program = case_program(given, meta, store.settings)
    info = case_info(paths, given, meta)
    reading = read_paths(
        paths, Naming.CASE, store, workers, understand=True, max_file_bytes=max_file_bytes
    )
    return evaluate(program, reading.documents, reading.file_texts, info, corrections)
