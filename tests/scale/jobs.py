"""Job functions the scale tests queue: each does real work or fails in one real way.

Workers import them by path (RECORDREADY_WORK_PACKAGES=tests lets the tests name them).
"""

from __future__ import annotations

import os
import signal
from pathlib import Path
from typing import Any

from intake.settings import Settings
from intake.store.blobs import BlobStore, sha256_bytes


def blob_digest(arg: dict[str, Any]) -> dict[str, Any]:
    """Read a stored original from the shared blob store and hash it again."""
    data = BlobStore(Settings.from_env().blob_dir).get(arg["sha256"])
    return {"sha256": sha256_bytes(data), "size": len(data), "pid": os.getpid()}


def die_once(arg: dict[str, Any]) -> str:
    """Kill its own worker process the first time (a lost worker), succeed the next."""
    marker = Path(arg["marker"])
    if not marker.exists():
        marker.write_text("died")
        os.kill(os.getpid(), signal.SIGKILL)
    return "survived"


def die_always(arg: dict[str, Any]) -> str:
    """A file that kills every worker that touches it (as an OCR bomb would)."""
    with Path(arg["marker"]).open("a") as fh:
        fh.write("x")
    os.kill(os.getpid(), signal.SIGKILL)
    return "unreachable"


def raise_error(arg: dict[str, Any]) -> str:
    """A bug: the exception message quotes document text, which must never be recorded."""
    raise ValueError(f"could not parse {arg['text']}")


def count_run(arg: dict[str, Any]) -> str:
    """Leave one mark per run, so a test can count how often a job really ran."""
    with Path(arg["marker"]).open("a") as fh:
        fh.write("x")
    return "counted"
