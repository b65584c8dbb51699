"""The app reads what a stopped server left unread, without anyone re-uploading (F5),
and its reader's pool workers log at the app's level (F7).

Real store, real reader pool, real sample PDFs; the "dead server" is a real process that
claims a file and is SIGKILLed.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import time
from pathlib import Path

import pytest

from intake import logs
from intake.access.audit import AuditLog
from intake.access.auth import CaseLinks
from intake.casework import reader as pipeline
from intake.casework.service import Backend
from intake.jobs.registry import Empty, JobModel, register
from intake.store import FileStatus, Store
from intake.store.db import session_factory

FORMATS = Path(__file__).resolve().parents[2] / "sample_docs" / "formats"
CLAIMER = """
import sys
from intake.store import Store
f = Store.at(sys.argv[1]).claim_next()
print(f.id if f else "none", flush=True)
sys.stdin.readline()
"""


def _dead_server_claims(home: Path) -> int:
    """A process that claims the oldest queued file, then dies as a killed server would."""
    proc = subprocess.Popen([sys.executable, "-c", CLAIMER, str(home)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    assert proc.stdout is not None
    claimed = proc.stdout.readline().strip()
    proc.kill()
    proc.wait(timeout=30)
    assert claimed.isdigit()
    return int(claimed)


def _wait_read(store: Store, file_ids: list[int], limit_s: float) -> None:
    deadline = time.monotonic() + limit_s
    while True:
        states = {i: store.get_file(i).status for i in file_ids}
        if all(s in (FileStatus.DONE, FileStatus.ERROR) for s in states.values()):
            return
        assert time.monotonic() < deadline, f"never read: {states}"
        time.sleep(0.2)


def test_building_the_apps_services_reads_what_a_dead_server_left(home: Path) -> None:
    store = Store()
    case = store.create_case("left by the last server", program="cart-lbcl")
    half_read = store.add_file(
        case.id, "labs.pdf", (FORMATS / "text_lab_results_si_units.pdf").read_bytes()
    )
    assert _dead_server_claims(home) == half_read.id
    never_started = store.add_file(
        case.id, "ecg.pdf", (FORMATS / "text_cardiac_ecg.pdf").read_bytes()
    )
    # A batch inbox's case: its runner reads it (and re-reads it when restarted), not the app.
    inbox_case = store.upsert_case("inbox:/srv/inbox/someone", "someone")
    batch_file = store.add_file(
        inbox_case.id, "hla.pdf", (FORMATS / "text_hla_typing.pdf").read_bytes()
    )
    assert store.get_file(half_read.id).status is FileStatus.PROCESSING

    sessions = session_factory(store.settings.database_url)
    Backend(store, AuditLog(sessions), CaseLinks(sessions))  # the restarted app; nobody uploads

    _wait_read(store, [half_read.id, never_started.id], limit_s=120)
    assert store.get_file(half_read.id).status is FileStatus.DONE
    assert store.get_file(never_started.id).status is FileStatus.DONE

    # While it runs, the reader also finds uploads no page of this process woke it for
    # (another app process's, left when that one died).
    other = store.create_case("another server's upload", program="cart-lbcl")
    orphan = store.add_file(
        other.id, "pft.pdf", (FORMATS / "text_pulmonary_function.pdf").read_bytes()
    )
    _wait_read(store, [orphan.id], limit_s=pipeline.SWEEP_S * 2 + 60)
    assert store.get_file(batch_file.id).status is FileStatus.QUEUED


class WorkerLogging(JobModel):
    level: str
    handlers: int
    pinned: dict[str, str]


@register("test.worker_logging", payload=Empty, result=WorkerLogging)
def worker_logging(_: Empty) -> dict[str, object]:
    """Runs in a reader pool worker: its logging as it was set up at start."""
    root = logging.getLogger()
    return {
        "level": logging.getLevelName(root.getEffectiveLevel()),
        "handlers": len(root.handlers),
        "pinned": {
            n: logging.getLevelName(logging.getLogger(n).level) for n in logs.CONTENT_LOGGERS
        },
    }


def test_reader_workers_follow_the_apps_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECORDREADY_BROKER_URL", raising=False)
    monkeypatch.delenv(logs.ENV_VAR, raising=False)
    root = logging.getLogger()
    monkeypatch.setattr(root, "level", logging.DEBUG)
    with pipeline._pool(1) as pool:
        assert pool.start_method is None  # forkserver: fresh processes, nothing inherited
        pool.submit("test.worker_logging", Empty(), tag="probe")
        [outcome] = list(pool.outcomes())
    assert outcome.ok, outcome.error
    assert outcome.value.level == "DEBUG"
    assert outcome.value.handlers >= 1
    assert set(outcome.value.pinned.values()) == {"WARNING"}
