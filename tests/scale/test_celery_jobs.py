"""The Celery job layer against real Redis, real PostgreSQL and real worker processes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time

import pytest
import redis
from sqlalchemy import func, select
from typer.testing import CliRunner

from intake.jobs.celery_app import CRASHED, FAILED_CODE, make_app
from intake.jobs.celery_pool import (
    TASK_NAME,
    BrokerUnavailable,
    CeleryPool,
    JobRow,
    JobState,
    JobTable,
    celery_pool_if_configured,
    fn_path,
    from_plain,
    to_plain,
)
from intake.settings import Settings
from intake.store import FileStatus, Store
from ui.cli.main import app as cli

from .conftest import Cluster

SECRET = "Jane Q. Patient DOB 1961-03-14"


@dataclasses.dataclass(frozen=True)
class Inner:
    path: str
    numbers: list[int]


@dataclasses.dataclass(frozen=True)
class Outer:
    inner: Inner
    pair: tuple[int, str]
    extra: dict[str, object]
    image: bytes = b""


def test_codec_round_trips_dataclasses_tuples_and_marker_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Whatever name pytest imported this module under, its package may carry dataclasses.
    monkeypatch.setenv("RECORDREADY_WORK_PACKAGES", __name__.split(".")[0])
    value = [
        Outer(Inner("/b/x", [1, 2]), (3, "a"), {"__tuple__": [1], "k": None}, b"\x89PNG\x00"),
        {"n": 1.5, "__bytes__": "not bytes"},
    ]
    plain = to_plain(value)
    assert from_plain(json.loads(json.dumps(plain))) == value


def test_codec_refuses_foreign_classes_and_objects(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RECORDREADY_WORK_PACKAGES", raising=False)
    with pytest.raises(ValueError, match="must live in"):
        from_plain({"__dataclass__": f"{__name__}:Inner", "fields": {}})
    with pytest.raises(ValueError, match="must live in"):
        from_plain({"__dataclass__": "subprocess:Popen", "fields": {"args": "sh"}})
    with pytest.raises(TypeError, match="not a dataclass"):
        from_plain({"__dataclass__": "intake.store:Store", "fields": {}})
    with pytest.raises(TypeError, match="cannot carry"):
        to_plain({"when": dt.date(2026, 1, 1)})
    with pytest.raises(ValueError, match="must live in"):
        fn_path("os:system")
    with pytest.raises(ValueError, match="top-level"):
        fn_path(lambda x: x)


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
        pool.submit("tests.scale.jobs:blob_digest", {"sha256": sha}, tag="digest")
        pool.submit("tests.scale.jobs:raise_error", {"text": SECRET}, tag="bug")
        pool.submit("tests.scale.jobs:die_once", {"marker": str(cluster.tmp / "m1")}, tag="once")
        pool.submit(
            "tests.scale.jobs:die_always",
            {"marker": str(cluster.tmp / "m2")},
            tag="bomb",
            file_id=doomed.id,
        )
        got = {o.tag: o for o in pool.outcomes(timeout=60)}
    assert set(got) == {"digest", "bug", "once", "bomb"}
    assert got["digest"].ok and got["digest"].value["sha256"] == sha
    assert got["digest"].value["pid"] != 0 and got["digest"].pid == got["digest"].value["pid"]
    # The bug is recorded by type and place; the document text in its message is not.
    assert got["bug"].error is not None and got["bug"].error.startswith("ValueError at raise_error")
    assert "Jane" not in got["bug"].error
    # A worker process killed mid-job: the job ran again and finished.
    assert got["once"].ok and got["once"].value == "survived"
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
    job = table.add("b1", "tests.scale.jobs:count_run", to_plain({"marker": str(marker)}), None)
    app.send_task(TASK_NAME, args=[job], task_id=job)
    _wait_state(table, job, JobState.DONE)
    # The same message again (as after a worker died between finishing and acknowledging),
    # then a sentinel behind it on the one single-process worker: when the sentinel is done,
    # the duplicate has been handled.
    app.send_task(TASK_NAME, args=[job], task_id=job)
    sentinel = table.add(
        "b1", "tests.scale.jobs:count_run", to_plain({"marker": str(marker) + "-s"}), None
    )
    app.send_task(TASK_NAME, args=[sentinel], task_id=sentinel)
    _wait_state(table, sentinel, JobState.DONE)
    assert marker.read_text() == "x"
    row = table.get(job)
    assert row is not None and row.starts == 1 and row.state == JobState.DONE


def test_broker_messages_carry_no_arguments(cluster: Cluster) -> None:
    # No worker consumes this queue: the message stays in Redis for inspection.
    pool = celery_pool_if_configured()
    assert isinstance(pool, CeleryPool)
    pool.submit("tests.scale.jobs:raise_error", {"text": SECRET}, tag="x")
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
        pool.submit("tests.scale.jobs:count_run", {"marker": "x"}, tag="t")
    assert "secret" not in str(err.value)
    assert pool.busy == 0
    with JobTable(Settings.from_env().database_url).session() as s:
        left = select(func.count()).select_from(JobRow).where(JobRow.batch == pool.batch)
        assert s.execute(left).scalar() == 0
