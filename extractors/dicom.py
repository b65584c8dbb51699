"""DICOM files: not read yet (imaging studies are being added)."""

from __future__ import annotations

from extractors.errors import FileErrorCode, FileRejected
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.page_job import PageJob


def dicom_page_jobs(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[PageJob]:
    raise FileRejected(FileErrorCode.UNSUPPORTED, f"{name}: DICOM files are not read yet")
