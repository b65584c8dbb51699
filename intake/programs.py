"""The programs a deployment offers: the built-in YAML files plus its own folders.

The checklists library loads whatever folders it is given; which folders a deployment adds
is a setting (RECORDREADY_PROGRAMS_DIR), so it is read here, in intake, and nowhere else.
"""

from __future__ import annotations

from checklists.loader import ProgramFileError, load_programs, program_dirs
from checklists.models import Program
from intake.settings import Settings


def deployment_programs(
    settings: Settings | None = None,
) -> tuple[dict[str, Program], list[ProgramFileError]]:
    """Every program that loads, by id (a deployment's folder overrides a built-in id), and
    the files that did not load."""
    settings = settings or Settings.from_env()
    return load_programs(program_dirs(settings.programs_dirs))
