"""Page previews drawn in a worker process of their own, never inside the web server.

A preview renders an uploaded page, and anyone can upload without an account: a 1.4 KB PDF
of one 20 x 14400 pt page took the server from 272 MB to 6.2 GB when a coordinator opened
the case. The drawing (extractors.preview, on the readers' own limits) now runs in one
pool worker with a time limit (overrunning kills it, the preview is None) and an
address-space allowance (a render that wants more fails with MemoryError inside the
worker); the server only receives the PNG. The worker dies with the server (intake.jobs.local).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import resource
import threading
from pathlib import Path

from extractors.preview import page_png
from intake.jobs.local import WorkerPool
from intake.jobs.registry import JobModel, register

log = logging.getLogger(__name__)

PREVIEW = "preview.page"
# Far above a normal page (well under a second), short enough that a coordinator waits
# seconds, not minutes, for a hostile page to be given up.
PREVIEW_TIMEOUT_S = 30.0
# Address space the worker may add to what it holds when it starts drawing.
PREVIEW_MEMORY_BYTES = 2 * 1024**3


class PreviewRequest(JobModel):
    blob: str
    name: str
    member: str
    page: int


class PreviewImage(JobModel):
    png: bytes | None
    pid: int


@register(PREVIEW, payload=PreviewRequest, result=PreviewImage)
def draw(req: PreviewRequest) -> PreviewImage:
    _cap_memory()
    png = page_png(req.name, Path(req.blob).read_bytes(), req.member, req.page)
    return PreviewImage(png=png, pid=os.getpid())


_capped = False


def _cap_memory() -> None:
    """Bound this worker's address space (only in a pool worker: never the server's)."""
    global _capped
    if _capped or multiprocessing.parent_process() is None:
        return
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
        size = pages * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        soft = size + PREVIEW_MEMORY_BYTES
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
    except (OSError, ValueError):
        return  # not Linux: the time limit and the pixel caps still hold
    _capped = True


class PreviewWorker:
    """One worker process drawing previews one at a time for every session of the server."""

    def __init__(self, timeout_s: float = PREVIEW_TIMEOUT_S) -> None:
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._pool: WorkerPool | None = None

    def draw(self, req: PreviewRequest) -> PreviewImage | None:
        with self._lock:
            if self._pool is None:
                # The forkserver, not fork: the server's other threads may hold locks.
                self._pool = WorkerPool(
                    workers=1, preload=(__name__,), start_method=None, job_timeout_s=self.timeout_s
                )
            self._pool.submit(PREVIEW, req, tag=PREVIEW)
            for outcome in self._pool.outcomes():
                if outcome.error is not None:
                    log.warning("page preview failed in its worker: %s", outcome.error)
                    return None
                return outcome.value if isinstance(outcome.value, PreviewImage) else None
            return None


WORKER = PreviewWorker()
