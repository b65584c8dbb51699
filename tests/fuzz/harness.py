"""Feed one upload through the real readers inside the per-file guard and judge the result.

The readers run exactly as in production (`expand_bytes` then `read_item` per item), in a
forked child with a wall-clock limit and a memory ceiling, so a hang or a runaway
allocation is caught and reported as such instead of stalling or killing the test run.
"""

from __future__ import annotations

import os
from pathlib import PurePosixPath
from typing import Any

from extractors.errors import FileErrorCode
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import FileText
from intake.jobs.guard import GuardLimits, GuardResult, Outcome, run_guarded

# Per file (one upload, every member of it). Generous for a 2-core CI machine running OCR on
# a small page; a hang is orders of magnitude past it.
FILE_SECONDS = float(os.environ.get("RECORDREADY_FUZZ_FILE_SECONDS", "60"))
FILE_MEMORY = int(os.environ.get("RECORDREADY_FUZZ_FILE_MIB", "1536")) * 1024 * 1024
LIMITS = GuardLimits(timeout_s=FILE_SECONDS, memory_bytes=FILE_MEMORY)


def read_upload(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[dict[str, Any]]:
    """What the batch runner and the app do with one upload: every item, read to text."""
    return [
        read_item(item, limits=limits).model_dump(mode="json")
        for item in expand_bytes(name, data, limits)
    ]


def problems_in(name: str, results: list[dict[str, Any]]) -> list[str]:
    """Contract breaches in what came back (empty when the upload was handled properly)."""
    found: list[str] = []
    if not results:
        found.append("no result at all: a file must come back as text or as an error")
    top = PurePosixPath(name).name
    for raw in results:
        ft = FileText.model_validate(raw)
        if ft.status == "error":
            if ft.error is None:
                found.append(f"{ft.file}: status error without an error")
                continue
            if ft.error.code not in set(FileErrorCode):
                found.append(f"{ft.file}: unknown error code {ft.error.code}")
            if top not in ft.error.message and PurePosixPath(ft.file).name not in ft.error.message:
                found.append(f"{ft.file}: error message does not name the file")
        elif ft.error is not None:
            found.append(f"{ft.file}: status ok but an error is set")
        if not ft.file.startswith(name):
            found.append(f"{ft.file}: result is not named under the upload {name}")
    return found


def run_one(
    name: str, data: bytes, limits: Limits = DEFAULT_LIMITS
) -> GuardResult[list[dict[str, Any]]]:
    return run_guarded(read_upload, name, data, limits, limits=LIMITS)


def verdict(name: str, result: GuardResult[list[dict[str, Any]]]) -> list[str]:
    """Why this run is a failure; empty when the readers handled the input."""
    if result.outcome is Outcome.OK:
        return problems_in(name, result.value or [])
    if result.outcome is Outcome.TIMEOUT:
        return [f"{name}: still reading after the {LIMITS.timeout_s:g} s per-file limit"]
    if result.outcome is Outcome.MEMORY:
        return [f"{name}: needed more than {LIMITS.memory_bytes >> 20} MiB"]
    if result.outcome is Outcome.CRASHED:
        return [f"{name}: reader process died ({result.signal_name or 'no result'})"]
    if result.outcome is Outcome.REJECTED:
        # Readers report rejections as items/FileTexts; a raised FileRejected escaped them.
        return [f"{name}: FileRejected escaped the readers"]
    return [f"{name}: exception escaped the readers: {result.error_type}"]


def outcome_label(result: GuardResult[Any]) -> str:
    if result.outcome is not Outcome.OK:
        return result.outcome.value
    statuses = {r.get("status") for r in result.value or []}
    return "read" if statuses == {"ok"} else "rejected" if statuses == {"error"} else "mixed"
