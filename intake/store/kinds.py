"""The store's vocabulary: what state a stored file is in, what a note is, holding areas.

Defined once here; every other module of the store (and its callers) uses these enums, never
the bare strings they are saved as.
"""

from __future__ import annotations

from enum import StrEnum

# Sources of pseudo-cases that hold files not yet filed to a patient (a batch inbox's loose
# files): stored like any case so their originals are durable, but not listed as cases.
HOLDING_PREFIX = "holding:"


class FileStatus(StrEnum):
    QUEUED = "queued"  # stored durably, waiting for the pipeline
    PROCESSING = "processing"
    DONE = "done"
    ERROR = "error"  # rejected (encrypted, corrupt, ...); error_code says why
    SUPERSEDED = "superseded"  # the same name now holds other bytes


class NoteKind(StrEnum):
    CORRECTION = "correction"
    WAIVER = "waiver"
