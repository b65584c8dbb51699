"""Per-file errors: the codes every reader, the CLI and the reports share.

A file that cannot be read never stops the others; it becomes one of these.
Messages name the file and the reason, never document text or patient data.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel


class FileErrorCode(StrEnum):
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    TOO_LARGE = "too_large"


class FileError(BaseModel):
    code: FileErrorCode
    message: str


class FileRejected(Exception):
    """Raised by a reader when a file (or container member) cannot be read."""

    def __init__(self, code: FileErrorCode, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def as_error(self) -> FileError:
        return FileError(code=self.code, message=self.message)
