"""The case store: cases, their files, cached pipeline results, corrections, and progress.

Shared by the CLI, the batch runner and the Streamlit app. Rows live in SQL (SQLite by
default, any SQLAlchemy URL works); original bytes live in a content-addressed BlobStore.
Pipeline results are keyed by content hash and version, never by case or file name, so the
same bytes are read once per pipeline version whichever case or upload they arrive in.
Everything returned is a plain frozen dataclass, so callers never hold an open session.

This package knows nothing about extractors: results are JSON-able dicts it stores verbatim.

| module | holds |
|---|---|
| kinds | FileStatus, NoteKind, HOLDING_PREFIX |
| db, tables | the SQLAlchemy base and engines; the rows |
| records | the frozen values handed out (Case, StoredFile, Note, Progress) |
| migrate | adding columns to a database an earlier version made |
| owners, leases | who holds a claim; leases and the heartbeat that renews them |
| base | opening a store (settings, sessions, blobs) |
| cases, files, claims, cache, notes, runs, summaries | the parts of the API; `facade.Store` joins them |
| stamps | moving a case's change stamp with each change to it |
| blobs | content-addressed originals and durable writes |

Submodules import each other, never this `__init__`, so the package has no import cycle.
"""

from intake.store.facade import Store
from intake.store.kinds import HOLDING_PREFIX, FileStatus, NoteKind
from intake.store.leases import HEARTBEAT_S, LEASE_S
from intake.store.owners import is_gone, owner_id
from intake.store.records import Case, Note, Progress, StoredFile
from intake.store.summaries import CaseListPage, ListedCase, SummaryCounts
from intake.store.tables import (
    CaseRow,
    CaseSummaryRow,
    FileRow,
    NoteRow,
    PageRow,
    ResultRow,
    RunRow,
)

__all__ = [
    "HEARTBEAT_S",
    "HOLDING_PREFIX",
    "LEASE_S",
    "Case",
    "CaseListPage",
    "CaseRow",
    "CaseSummaryRow",
    "FileRow",
    "FileStatus",
    "ListedCase",
    "Note",
    "NoteKind",
    "NoteRow",
    "PageRow",
    "Progress",
    "ResultRow",
    "RunRow",
    "Store",
    "StoredFile",
    "SummaryCounts",
    "is_gone",
    "owner_id",
]
