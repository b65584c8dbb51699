"""Choosing the engine of `recordready batch`, and what a job needs to run on another machine.

Real files, real processes: the stored blob a worker reads, the CLI's exit codes and messages,
and the watch loop running on a pool it was given.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from batch.inbox_builder import text_pdf
from intake.batch.runner import BatchConfig, watch
from intake.jobs.local import WorkerPool
from intake.jobs.registry import Empty
from intake.pipeline import steps as work
from intake.pipeline.progress import QuietReporter
from intake.store import Store
from intake.store.blobs import BlobStore

RECORDREADY = [sys.executable, "-m", "ui.cli.main"]
LAB_LINES = ["Laboratory results", "Collected 2026-10-01", "Hemoglobin 12.1 g/dL"]


def _cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RECORDREADY, *args], env=env, capture_output=True, text=True, timeout=120
    )


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECORDREADY_")}
    return {**env, "RECORDREADY_HOME": str(tmp / "home"), **extra}


def _inbox(root: Path) -> Path:
    case = root / "inbox" / "ana"
    case.mkdir(parents=True)
    (case / "case.json").write_text(json.dumps({"program": "cart-lbcl", "as_of": "2026-11-20"}))
    (case / "labs.pdf").write_bytes(text_pdf([LAB_LINES]))
    return root / "inbox"


def test_a_worker_reads_the_blob_from_its_own_store_when_the_submitters_path_is_absent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The submitter mounts the shared store at /mnt/a, this worker at another path.
    data = text_pdf([LAB_LINES])
    sha = BlobStore(tmp_path / "worker-mount").put(data)
    monkeypatch.setenv("RECORDREADY_BLOB_DIR", str(tmp_path / "worker-mount"))
    elsewhere = tmp_path / "submitter-mount" / sha[:2] / sha[2:4] / sha
    assert not elsewhere.exists()

    planned = work.plan_file(work.FileRef(blob=str(elsewhere), sha256=sha, name="labs.pdf"))

    assert [p.name for p in planned] == ["labs.pdf"]
    assert planned[0].error is None
    assert "Hemoglobin 12.1" in planned[0].resolved[0].text
    # Same answer as reading a path that exists.
    here = BlobStore(tmp_path / "worker-mount").path(sha)
    assert work.plan_file(work.FileRef(blob=str(here), sha256=sha, name="labs.pdf")) == planned


def test_a_blob_missing_everywhere_fails_that_job_not_silently(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RECORDREADY_BLOB_DIR", str(tmp_path / "worker-mount"))
    sha = "ab" * 32
    with pytest.raises(FileNotFoundError):
        work.plan_file(work.FileRef(blob=str(tmp_path / "gone" / sha), sha256=sha, name="labs.pdf"))


def test_engine_celery_without_a_broker_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    out = tmp_path / "out"
    run = _cli("batch", str(inbox), "-o", str(out), "--engine", "celery", env=_env(tmp_path))
    assert run.returncode == 2
    assert "--engine celery needs RECORDREADY_BROKER_URL" in run.stderr
    assert not out.exists()


def test_engine_local_ignores_a_configured_broker(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    out = tmp_path / "out"
    # Nothing listens on port 1: any attempt to use the broker would fail the run.
    env = _env(tmp_path, RECORDREADY_BROKER_URL="redis://127.0.0.1:1/0")
    run = _cli("batch", str(inbox), "-o", str(out), "-j", "0", "--engine", "local", env=env)
    assert run.returncode == 0, run.stderr
    assert (out / "ana" / "report.json").is_file()
    assert json.loads((out / "ana" / "report.json").read_text())["program"]


def test_unreachable_broker_is_a_clear_error_without_the_password(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    out = tmp_path / "out"
    env = _env(tmp_path, RECORDREADY_BROKER_URL="redis://:s3cret-pw@127.0.0.1:1/0")
    run = _cli("batch", str(inbox), "-o", str(out), env=env)  # auto: the broker is set
    assert run.returncode == 2
    assert "the Celery engine could not start" in run.stderr
    assert "--engine local" in run.stderr
    assert "s3cret-pw" not in run.stderr + run.stdout
    assert not out.exists()


def test_watch_runs_on_the_pool_it_is_given_and_leaves_it_open(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path)
    out = tmp_path / "out"
    stop = threading.Event()
    with WorkerPool(workers=0) as pool:
        config = BatchConfig(inbox, out, poll_s=0.1)
        box: list[object] = []
        runner = threading.Thread(
            target=lambda: box.append(
                watch(config, Store.at(tmp_path / "store"), QuietReporter(), stop, pool=pool)
            ),
            daemon=True,
        )
        runner.start()
        deadline = time.monotonic() + 60
        while not (out / "index.html").is_file() and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        runner.join(timeout=60)
        assert not runner.is_alive()
        assert (out / "ana" / "report.json").is_file()
        # The caller's pool still takes jobs: watch did not close it.
        pool.submit("pool.ping", Empty(), tag="after")
        assert [(o.tag, o.ok) for o in pool.outcomes()] == [("after", True)]
