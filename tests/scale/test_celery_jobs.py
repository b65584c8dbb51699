"""The Celery job layer against real Redis, real PostgreSQL and real worker processes."""

from __future__ import annotations

import base64
import json
import time

import pytest
import redis
from sqlalchemy import func, select
from typer.testing import CliRunner

import intake.casework.reader  # noqa: F401  (registers app.warm_up)
from extractors.page_job import PageJob
from intake.jobs import registry
from intake.jobs.celery_app import CRASHED, FAILED_CODE, make_app
from intake.jobs.celery_pool import BrokerUnavailable, CeleryPool, celery_pool_if_configured
from intake.jobs.legacy import LEGACY_NAMES, legacy_job
from intake.jobs.registry import Empty
from intake.jobs.table import TASK_NAME, JobRow, JobState, JobTable
from intake.pipeline import jobs as pipeline_jobs
from intake.settings import Settings
from intake.store import FileStatus, Store
from ui.cli.main import app as cli

from . import jobs
from .conftest import ROOT, Cluster

SECRET = "Jane Q. Patient DOB 1961-03-14"
CLINIC_NOTE = ROOT / "sample_docs" / "inbox" / "07_patel_cart-lbcl" / "clinic_note.pdf"


def _old_codec(fields: dict[str, object], cls: str) -> dict[str, object]:
    """An argument as the previous release's to_plain wrote a dataclass."""
    return {"__dataclass__": cls, "fields": fields}


def test_rows_of_the_previous_release_map_to_registered_jobs() -> None:
    image = b"\x89PNG\r\n\x1a\n\x00\xff"
    ref = {"blob": "/srv/blobs/ab/cd/abcd", "sha256": "ab" * 32, "name": "labs.pdf"}
    page = {"file": "scan.pdf", "number": 2, "text": None, "image": None, "dpi": 300}
    page["image"] = {"__bytes__": base64.b64encode(image).decode()}
    text = {"file": "a.pdf", "status": "ok", "pages": [], "sha256": None}
    old_rows = {
        "ui.batch.work:plan_file": _old_codec(ref, "ui.batch.work:FileRef"),
        "ui.batch.work:ocr_page": _old_codec(page, "extractors.pages:PageJob"),
        "ui.batch.work:find_documents": [{"__dict__": text}],
        "ui.app.pipeline:warm_up": None,
    }
    assert set(old_rows) == set(LEGACY_NAMES)
    got = {}
    for old, arg in old_rows.items():
        spec, payload = legacy_job(old, json.dumps(arg))
        got[spec.name] = spec.check_payload(payload)
    assert got["read.plan"] == pipeline_jobs.FileRef(**ref)
    assert got["read.ocr_page"] == pipeline_jobs.OcrPage(
        job=PageJob(file="scan.pdf", number=2, image=image, dpi=300)
    )
    assert got["understand.documents"].texts[0].file == "a.pdf"
    assert got["app.warm_up"] == Empty()


def test_payloads_cross_as_json_bytes_and_all() -> None:
    spec = registry.get("read.ocr_page")
    sent = pipeline_jobs.OcrPage(job=PageJob(file="s.pdf", number=1, image=b"\x00\xffPNG"))
    assert spec.payload_from_json(sent.model_dump_json()) == sent
    with pytest.raises(registry.UnknownJob):
        registry.get("tests.scale.jobs:raise_error")  # an import path names no job


def test_worker_command_needs_a_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECORDREADY_BROKER_URL", raising=False)
    assert celery_pool_if_configured() is None  # no broker: the local pool it is
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 2
    assert "RECORDREADY_BROKER_URL" in result.output


def test_jobs_succeed_fail_and_survive_lost_workers(cluster: Cluster) -> None:
    # Two processes: the two jobs that kill theirs die side by side, not one after the other.
    worker = cluster.start_worker("w1", concurrency=2)
    store = Store(Settings.from_env())
    sha = store.blobs.put(b"%PDF-1.4 not really, but real bytes in the shared blob folder")
    case = store.create_case("scale-test")
    doomed = store.add_file(case.id, "bomb.pdf", b"bytes that kill every worker")
    with CeleryPool() as pool:
        assert pool.live_workers() == {"w1@test": 2}
        assert pool.workers == 2
        pool.submit("test.blob_digest", jobs.Blob(sha256=sha), tag="digest")
        pool.submit("test.raise_error", jobs.Text(text=SECRET), tag="bug")
        pool.submit("test.die_once", {"marker": str(cluster.tmp / "m1")}, tag="once")
        pool.submit(
            "test.die_always", {"marker": str(cluster.tmp / "m2")}, tag="bomb", file_id=doomed.id
        )
        got = {o.tag: o for o in pool.outcomes(timeout=60)}
    assert set(got) == {"digest", "bug", "once", "bomb"}
    assert got["digest"].ok and got["digest"].value.sha256 == sha
    assert isinstance(got["digest"].value, jobs.Digest)  # the result model, validated
    assert got["digest"].value.pid != 0 and got["digest"].pid == got["digest"].value.pid
    # The bug is recorded by type and place; the document text in its message is not.
    assert got["bug"].error is not None and got["bug"].error.startswith("ValueError at raise_error")
    assert "Jane" not in got["bug"].error
    # A worker process killed mid-job: the job ran again and finished.
    assert got["once"].ok and got["once"].value == jobs.Word(word="survived")
    # A job that kills every worker is given up on after a bounded number of tries, and its
    # file is marked instead of vanishing.
    assert got["bomb"].error == CRASHED
    assert (cluster.tmp / "m2").read_text() == "xxx"
    marked = store.get_file(doomed.id)
    assert marked is not None and marked.status == FileStatus.ERROR
    assert marked.error_code == FAILED_CODE
    assert SECRET not in worker.text()
    # Collected rows are gone: the table does not grow with every batch.
    with JobTable(Settings.from_env().database_url).session() as s:
        left = select(func.count()).select_from(JobRow).where(JobRow.batch == pool.batch)
        assert s.execute(left).scalar() == 0


def test_redelivered_message_does_not_rerun_a_finished_job(cluster: Cluster) -> None:
    cluster.start_worker("w1", concurrency=1)
    table = JobTable(Settings.from_env().database_url)
    app = make_app()
    marker = cluster.tmp / "runs"
    job = table.add("b1", "test.count_run", jobs.Marker(marker=str(marker)).model_dump_json(), None)
    app.send_task(TASK_NAME, args=[job], task_id=job)
    _wait_state(table, job, JobState.DONE)
    # The same message again (as after a worker died between finishing and acknowledging),
    # then a sentinel behind it on the one single-process worker: when the sentinel is done,
    # the duplicate has been handled.
    app.send_task(TASK_NAME, args=[job], task_id=job)
    sentinel_payload = jobs.Marker(marker=str(marker) + "-s").model_dump_json()
    sentinel = table.add("b1", "test.count_run", sentinel_payload, None)
    app.send_task(TASK_NAME, args=[sentinel], task_id=sentinel)
    _wait_state(table, sentinel, JobState.DONE)
    assert marker.read_text() == "x"
    row = table.get(job)
    assert row is not None and row.starts == 1 and row.state == JobState.DONE


def test_a_row_can_only_start_a_registered_job(cluster: Cluster) -> None:
    """Whatever a row says, the worker runs registered jobs only: an import path of the old
    kind (not one of the four mapped ones) fails the row, and nothing of it runs."""
    cluster.start_worker("w1", concurrency=1)
    table = JobTable(Settings.from_env().database_url)
    app = make_app()
    planted = cluster.tmp / "planted"
    evil = table.add("b1", "os:system", json.dumps(f"touch {planted}"), None)
    bad = table.add("b1", "test.count_run", json.dumps({"marker": 3, "extra": SECRET}), None)
    for job_id in (evil, bad):
        app.send_task(TASK_NAME, args=[job_id], task_id=job_id)
    _wait_state(table, evil, JobState.FAILED)
    _wait_state(table, bad, JobState.FAILED)
    assert not planted.exists()
    with table.session() as s:
        errors = dict(s.execute(select(JobRow.id, JobRow.error)).all())
    assert errors[evil].startswith("UnknownJob")
    assert errors[bad].startswith("InvalidData") and SECRET not in errors[bad]


def test_a_row_queued_by_the_previous_release_still_runs(cluster: Cluster) -> None:
    """A queue drained across the upgrade: a plan job stored as the old release stored it
    (import path, old JSON codec) is run by today's worker as read.plan."""
    cluster.start_worker("w1", concurrency=1)
    store = Store(Settings.from_env())
    sha = store.blobs.put(CLINIC_NOTE.read_bytes())
    ref = {"blob": str(store.blobs.path(sha)), "sha256": sha, "name": "clinic_note.pdf"}
    old_arg = json.dumps(_old_codec(ref, "ui.batch.work:FileRef"))
    table = JobTable(store.settings.database_url)
    job_id = table.add("b-old", "ui.batch.work:plan_file", old_arg, None)
    make_app().send_task(TASK_NAME, args=[job_id], task_id=job_id)
    _wait_state(table, job_id, JobState.DONE, timeout=60)
    [row] = [r for r in table.finished("b-old") if r.id == job_id]
    assert row.result is not None
    plan = registry.get("read.plan").result_from_json(row.result)
    assert [item.name for item in plan.items] == ["clinic_note.pdf"]
    assert plan.items[0].resolved and plan.items[0].resolved[0].text.strip()


def test_broker_messages_carry_no_arguments(cluster: Cluster) -> None:
    # No worker consumes this queue: the message stays in Redis for inspection.
    pool = celery_pool_if_configured()
    assert isinstance(pool, CeleryPool)
    pool.submit("test.raise_error", jobs.Text(text=SECRET), tag="x")
    client = redis.Redis.from_url(cluster.env["RECORDREADY_BROKER_URL"])
    messages = client.lrange(cluster.env["RECORDREADY_QUEUE"], 0, -1)
    assert len(messages) == 1
    assert b"Jane" not in messages[0] and b"raise_error" not in messages[0]
    pool.stop()
    pool.close()
    client.delete(cluster.env["RECORDREADY_QUEUE"])


def _wait_state(table: JobTable, job_id: str, state: JobState, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = table.get(job_id)
        if row is not None and row.state == state:
            return
        time.sleep(0.1)
    raise AssertionError(f"job did not reach {state} in {timeout} s")


def test_unreachable_broker_is_a_clear_error_and_leaves_no_job(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A port nothing listens on (the real Redis of this session, plus a closed port).
    monkeypatch.setenv("RECORDREADY_BROKER_URL", "redis://:secret@127.0.0.1:9/0")
    pool = CeleryPool(workers=1)
    pool.app.conf.broker_connection_max_retries = 0
    pool.app.conf.task_publish_retry = False
    pool.app.conf.broker_connection_timeout = 0.5
    with pytest.raises(BrokerUnavailable) as err:
        pool.submit("test.count_run", jobs.Marker(marker="x"), tag="t")
    assert "secret" not in str(err.value)
    assert pool.busy == 0
    with JobTable(Settings.from_env().database_url).session() as s:
        left = select(func.count()).select_from(JobRow).where(JobRow.batch == pool.batch)
        assert s.execute(left).scalar() == 0
