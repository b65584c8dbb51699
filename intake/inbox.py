"""The batch inbox: which folders are cases, which files are loose, which have settled.

Layout: every sub-folder of the inbox is a case (its files, at any depth, belong to it; an
optional `case.json` gives program, as_of and patient). Files at the top level are loose:
they are assigned to a case later by patient identity (a layer above decides how).

Files still being written (by a scanner, a mail fetcher, a copy) must not be read half-way;
`ArrivalWatcher` only releases a file once its size and mtime held still across two polls.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.vocabulary import Patient

CASE_META = "case.json"
# Names left behind by editors, downloads in progress and desktop tools; never records.
_SKIP_SUFFIXES = (".part", ".tmp", ".crdownload", ".partial", ".download", ".swp")
_SKIP_NAMES = {"Thumbs.db", "desktop.ini", "Icon\r"}


def is_candidate(path: Path) -> bool:
    """Whether a directory entry may be a record (not hidden, not a temp or system file)."""
    name = path.name
    if name.startswith((".", "~$")) or name in _SKIP_NAMES or name == CASE_META:
        return False
    return not name.lower().endswith(_SKIP_SUFFIXES)


@dataclass(frozen=True)
class CaseMeta:
    program: str | None = None
    as_of: dt.date | None = None
    patient: dict[str, Any] = field(default_factory=dict)
    # Why case.json could not be used (the case is still processed, with defaults).
    problem: str | None = None


@dataclass(frozen=True)
class CaseFolder:
    name: str
    path: Path
    files: tuple[Path, ...]  # absolute, sorted by their path relative to the case folder
    meta: CaseMeta

    def relative(self, file: Path) -> str:
        return file.relative_to(self.path).as_posix()


@dataclass(frozen=True)
class InboxListing:
    root: Path
    cases: tuple[CaseFolder, ...]
    loose: tuple[Path, ...]


def read_case_meta(folder: Path) -> CaseMeta:
    """The case.json of a folder; a bad one gives defaults plus a problem naming the reason."""
    path = folder / CASE_META
    if not path.is_file():
        return CaseMeta()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return CaseMeta(
            problem=f"{CASE_META} in {folder.name} is not valid JSON ({type(exc).__name__})"
        )
    if not isinstance(data, dict):
        return CaseMeta(problem=f"{CASE_META} in {folder.name} is not a JSON object")
    problems: list[str] = []
    program = data.get("program")
    if program is not None and not isinstance(program, str):
        problems.append("program is not text")
        program = None
    as_of: dt.date | None = None
    raw = data.get("as_of")
    if raw is not None:
        try:
            as_of = dt.date.fromisoformat(str(raw))
        except ValueError:
            problems.append("as_of is not a YYYY-MM-DD date")
    patient = data.get("patient") or {}
    if not isinstance(patient, dict):
        problems.append("patient is not an object")
        patient = {}
    problem = f"{CASE_META} in {folder.name}: " + "; ".join(problems) if problems else None
    return CaseMeta(program=program, as_of=as_of, patient=patient, problem=problem)


def _files_under(folder: Path) -> list[Path]:
    out: list[Path] = []
    # Directory symlinks are not followed: they can loop or reach outside the inbox.
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not is_candidate(entry):
            continue
        if entry.is_dir() and not entry.is_symlink():
            out.extend(_files_under(entry))
        elif entry.is_file():
            out.append(entry)
    return out


def case_files(path: Path) -> list[Path]:
    """The record files of a case folder at any depth (case.json, hidden and temp files left
    out), sorted by their path relative to it; a file given directly is its own list.

    The one folder walk of every front end: batch, `check`, `extract` and `classify` agree
    on which files a folder holds and in which order."""
    if not path.is_dir():
        return [path]
    return sorted(_files_under(path), key=lambda p: p.relative_to(path).as_posix())


def given_patient(patient: dict[str, Any]) -> Patient | None:
    """A case.json patient (or the same fields from options) as a Patient, or None when it
    names nobody. An unusable date of birth is dropped: the name and MRN still identify."""
    known = {k: patient.get(k) for k in ("name", "dob", "mrn") if patient.get(k)}
    if not known:
        return None
    try:
        return Patient.model_validate(known)
    except ValueError:
        known.pop("dob", None)
        return Patient.model_validate(known) if known else None


def scan_inbox(root: Path | str) -> InboxListing:
    root = Path(root).resolve()
    if not root.is_dir():
        raise NotADirectoryError(f"inbox {root} is not a folder")
    cases: list[CaseFolder] = []
    loose: list[Path] = []
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if not is_candidate(entry):
            continue
        if entry.is_dir() and not entry.is_symlink():
            files = case_files(entry)
            cases.append(CaseFolder(entry.name, entry, tuple(files), read_case_meta(entry)))
        elif entry.is_file():
            loose.append(entry)
    return InboxListing(root, tuple(cases), tuple(loose))


class ArrivalWatcher:
    """Releases files only once they have stopped changing (size and mtime steady)."""

    def __init__(self) -> None:
        self._seen: dict[Path, tuple[int, int]] = {}

    def settled(self, listing: InboxListing) -> InboxListing:
        """The part of `listing` whose files held still since the previous call."""
        current: dict[Path, tuple[int, int]] = {}
        all_files = [f for c in listing.cases for f in c.files] + list(listing.loose)
        for f in all_files:
            try:
                st = f.stat()
            except OSError:  # vanished between listing and now
                continue
            current[f] = (st.st_size, st.st_mtime_ns)
        steady = {f for f, sig in current.items() if self._seen.get(f) == sig}
        self._seen = current
        cases = tuple(
            CaseFolder(c.name, c.path, tuple(f for f in c.files if f in steady), c.meta)
            for c in listing.cases
        )
        return InboxListing(listing.root, cases, tuple(f for f in listing.loose if f in steady))
