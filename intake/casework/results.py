"""A case's results as the app shows them: what was read from its files, and its report.

Everything comes from the store's cache (keyed by content hash and pipeline version), so
showing a case never reads a file again. A file stored under a new name (the same bytes
uploaded twice) gets the cached results relabelled to the name it has now.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from checklists.corrections import Corrections
from checklists.models import Program
from checklists.report import Report
from extractors.errors import FileError, FileErrorCode
from extractors.vocabulary import Document, FileText
from intake.programs import deployment_programs
from intake.store import Case, FileStatus, Store

log = logging.getLogger(__name__)


def programs() -> dict[str, Program]:
    found, errors = deployment_programs()
    for err in errors:
        log.warning("program file skipped: %s", err.file.name)
    return found


def cached_name(names: list[str], current: str) -> str:
    """The display name the cached results were made under (same bytes, another upload name)."""
    if any(n == current or n.startswith(current + "/") for n in names) or not names:
        return current
    first = names[0]
    cuts = [first[:i] for i, ch in enumerate(first) if ch == "/"] + [first]
    fits = [c for c in cuts if all(n == c or n.startswith(c + "/") for n in names)]
    ext = Path(current).suffix.lower()
    same_ext = [c for c in fits if Path(c).suffix.lower() == ext]
    return (same_ext or fits or [first])[0]


def case_results(store: Store, case_id: str) -> tuple[list[FileText], list[Document]]:
    """Every finished file's text and documents for a case, from the store's cache."""
    from intake.pipeline import steps as work
    from intake.pipeline.processor import Processed, relabel

    page_v, docs_v = work.page_version(), work.documents_version()
    texts: list[FileText] = []
    docs: list[Document] = []
    for f in store.files(case_id):
        if f.status not in (FileStatus.DONE, FileStatus.ERROR):
            continue
        raw_texts = store.get_result(f.sha256, "file_texts", page_v)
        if raw_texts is None:
            if f.status is FileStatus.ERROR:
                code = (
                    f.error_code
                    if f.error_code in {c.value for c in FileErrorCode}
                    else FileErrorCode.CORRUPT.value
                )
                texts.append(
                    FileText(
                        file=f.name,
                        status="error",
                        sha256=f.sha256,
                        error=FileError(
                            code=FileErrorCode(code),
                            message=f.error_message or f"{f.name}: cannot be read",
                        ),
                    )
                )
            continue
        ft = [FileText.model_validate(t) for t in raw_texts]
        dd = [
            Document.model_validate(d)
            for d in store.get_result(f.sha256, "documents", docs_v) or []
        ]
        old = cached_name([t.file for t in ft], f.name)
        done = relabel(Processed(ft, dd), old, f.name)
        # A row names what of the file is this case's: all of it, or (a loose file the
        # batch split between patients) one item; never a sibling item of another patient.
        texts += [t for t in done.file_texts if _within(t.file, f.name)]
        docs += [d for d in done.documents if _within(d.file, f.name)]
    return texts, docs


def _within(item: str, row: str) -> bool:
    return item == row or item.startswith(row + "/")


def evaluate_case(store: Store, case: Case, program: Program, corrections: Corrections) -> Report:
    from intake.batch.cases import CaseInput, build_report

    texts, docs = case_results(store, case.id)
    inp = CaseInput(
        name=case.id,
        store_id=case.id,
        program=case.program,
        as_of=case.as_of or dt.date.today(),
        patient=dict(case.patient or {}),
        file_texts=texts,
        documents=docs,
    )
    return build_report(inp, program, corrections)
