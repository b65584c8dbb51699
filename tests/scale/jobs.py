"""Jobs the scale tests queue: each does real work or fails in one real way.

Registered by name like the pipeline's jobs; the tests' workers import this module
(`recordready worker --include tests.scale.jobs`), the test process imports it to submit.
"""

from __future__ import annotations

import os
import signal
from pathlib import Path

from intake.jobs.registry import JobModel, register
from intake.settings import Settings
from intake.store.blobs import BlobStore, sha256_bytes


class Blob(JobModel):
    sha256: str


class Digest(JobModel):
    sha256: str
    size: int
    pid: int


class Marker(JobModel):
    marker: str


class Text(JobModel):
    text: str


class Word(JobModel):
    word: str


@register("test.blob_digest", payload=Blob, result=Digest)
def blob_digest(p: Blob) -> Digest:
    """Read a stored original from the shared blob store and hash it again."""
    data = BlobStore(Settings.from_env().blob_dir).get(p.sha256)
    return Digest(sha256=sha256_bytes(data), size=len(data), pid=os.getpid())


@register("test.die_once", payload=Marker, result=Word)
def die_once(p: Marker) -> Word:
    """Kill its own worker process the first time (a lost worker), succeed the next."""
    marker = Path(p.marker)
    if not marker.exists():
        marker.write_text("died")
        os.kill(os.getpid(), signal.SIGKILL)
    return Word(word="survived")


@register("test.die_always", payload=Marker, result=Word)
def die_always(p: Marker) -> Word:
    """A file that kills every worker that touches it (as an OCR bomb would)."""
    with Path(p.marker).open("a") as fh:
        fh.write("x")
    os.kill(os.getpid(), signal.SIGKILL)
    return Word(word="unreachable")


@register("test.raise_error", payload=Text, result=Word)
def raise_error(p: Text) -> Word:
    """A bug: the exception message quotes document text, which must never be recorded."""
    raise ValueError(f"could not parse {p.text}")


@register("test.count_run", payload=Marker, result=Word)
def count_run(p: Marker) -> Word:
    """Leave one mark per run, so a test can count how often a job really ran."""
    with Path(p.marker).open("a") as fh:
        fh.write("x")
    return Word(word="counted")
