"""The app's background reader on Celery: with RECORDREADY_BROKER_URL set, an uploaded file is
read by a `recordready worker` (real Redis, PostgreSQL and worker), not by local processes."""

from __future__ import annotations

import time

import pytest

from intake.casework.reader import Reader
from intake.jobs.celery_pool import CeleryPool
from intake.pipeline import steps as work
from intake.settings import Settings
from intake.store import FileStatus, Store

from .conftest import Cluster
from .test_celery_batch import SAMPLE

pytestmark = pytest.mark.slow


def test_app_reader_reads_uploads_on_celery_workers(cluster: Cluster) -> None:
    worker = cluster.spawn("app")
    store = Store(Settings.from_env())
    assert store.settings.database_url.startswith("postgresql")
    case = store.create_case("app case", program="cart-lbcl")
    f = store.add_file(case.id, "clinic_note.pdf", (SAMPLE / "clinic_note.pdf").read_bytes())
    store.enqueue(f.id)
    cluster.wait_ready(worker)

    reader = Reader(workers=1)
    try:
        reader.wake(store, case.id)
        deadline = time.monotonic() + 90
        while (cur := store.get_file(f.id)) is not None and cur.status is not FileStatus.DONE:
            assert cur.status is not FileStatus.ERROR, cur.error_message
            assert time.monotonic() < deadline, f"upload still {cur.status} after 90 s"
            time.sleep(0.2)
    finally:
        # A reader thread left running would hold locks across the next test's forks.
        reader.close()

    assert "Task recordready.run_job" in worker.text()
    docs = store.get_result(f.sha256, "documents", work.documents_version())
    assert docs, "the worker's reading found no document in a clinic note"


def test_app_reader_picks_celery_only_when_a_broker_is_set(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake.casework.reader import _pool
    from intake.jobs.local import WorkerPool

    with _pool(1) as pool:
        assert isinstance(pool, CeleryPool)
        assert pool.settings.database_url == cluster.env["RECORDREADY_DATABASE_URL"]
    monkeypatch.delenv("RECORDREADY_BROKER_URL")
    with _pool(1) as pool:
        assert isinstance(pool, WorkerPool)
