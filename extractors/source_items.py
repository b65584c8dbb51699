"""One readable item of an upload, and the unpacking budget its containers share.

Kept apart from sources.py so the container readers (mailboxes.py) can build items too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from extractors.errors import FileError, FileErrorCode
from extractors.limits import Limits
from extractors.vocabulary import CodedRecord


@dataclass(frozen=True)
class SourceItem:
    """One readable file. `data` is None exactly when `error` is set."""

    name: str
    data: bytes | None
    kind: str
    error: FileError | None = None
    # What the item's container says of it (a portal zip's index entry), if anything.
    record: CodedRecord | None = None

    @cached_property
    def sha256(self) -> str | None:
        return hashlib.sha256(self.data).hexdigest() if self.data is not None else None


def rejected(name: str, kind: str, code: FileErrorCode, reason: str) -> SourceItem:
    return SourceItem(
        name=name, data=None, kind=kind, error=FileError(code=code, message=f"{name}: {reason}")
    )


@dataclass
class Budget:
    """Unpacked bytes and members left for one top-level upload, shared by all its containers."""

    bytes_left: int
    members_left: int
    limits: Limits = field(default_factory=Limits)


# How a container hands one member back to the walk: (name, bytes, depth, budget).
Inner = Callable[[str, bytes, int, Budget], Iterator[SourceItem]]
