"""Issue 8, done-when: a batch run on two Celery workers, one of them SIGKILLed mid-batch,
writes the same reports as a run on the local pool.

Real everything: sample inbox files (a scan that needs OCR, text PDFs, an encrypted and a
truncated PDF, a loose file), tesseract, Redis, PostgreSQL, two `recordready worker`s.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from intake.batch.runner import BatchConfig, BatchResult, run_once
from intake.jobs.celery_pool import CeleryPool
from intake.jobs.table import JobRow, JobState, JobTable
from intake.pipeline.progress import make_reporter
from intake.settings import Settings
from intake.store import Store

from .conftest import RECORDREADY, ROOT, Cluster

pytestmark = pytest.mark.slow

SAMPLE = ROOT / "sample_docs" / "inbox" / "07_patel_cart-lbcl"
CASE_FILES = [
    "case.json",
    "pet_ct_fax_copy.pdf",  # scanned: OCR, the long job a worker is killed in
    "clinic_note.pdf",
    "pathology.pdf",
    "outside_records_secure.pdf",  # encrypted
    "echo_upload.pdf",  # truncated
]
LOOSE_FILES = ["labs_cbc_cmp.pdf"]  # filed into the case by patient identity
SCAN = "pet_ct_fax_copy.pdf"


def _inbox(
    root: Path, case_files: list[str] = CASE_FILES, loose_files: list[str] = LOOSE_FILES
) -> Path:
    if not SAMPLE.is_dir():
        raise AssertionError(f"sample inbox missing: {SAMPLE} (make samples)")
    case = root / "inbox" / "patel"
    case.mkdir(parents=True)
    for name in case_files:
        shutil.copy2(SAMPLE / name, case / name)
    for name in loose_files:
        shutil.copy2(SAMPLE / name, root / "inbox" / name)
    return root / "inbox"


def _outputs(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes() for p in outdir.rglob("*") if p.is_file()}


def _running_job_on(table: JobTable, name: str, timeout: float) -> tuple[str, str]:
    """(job id, worker name) of a job on the file called `name` that has been running for
    a while (its OCR, not a millisecond job that could finish before the kill lands)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with table.session() as s:
            rows = s.execute(
                select(JobRow.id, JobRow.worker, JobRow.updated_at).where(
                    JobRow.state == JobState.RUNNING.value,
                    JobRow.payload.contains(f'"{name}"'),
                    JobRow.worker.is_not(None),
                )
            ).all()
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for job_id, worker, since in rows:
            if now - since > dt.timedelta(seconds=0.5):
                return job_id, worker.split("@")[0]
        time.sleep(0.05)
    raise AssertionError(f"no job on {name} was seen running within {timeout} s")


def test_celery_run_with_a_killed_worker_equals_local_run(
    cluster: Cluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbox = _inbox(cluster.tmp)

    # Workers first: they boot while the local run works.
    # A short visibility timeout: the dead worker's job is handed out again within seconds.
    cluster.env["RECORDREADY_VISIBILITY_TIMEOUT"] = "10"
    monkeypatch.setenv("RECORDREADY_VISIBILITY_TIMEOUT", "10")
    spawned = [cluster.spawn(name) for name in ("w1", "w2")]

    # The local reference run in its own process: this test process has threads left by
    # earlier tests, and the local pool forks.
    local_env = {k: v for k, v in os.environ.items() if not k.startswith("RECORDREADY_")}
    local_env["RECORDREADY_HOME"] = str(cluster.tmp / "local-store")
    local = subprocess.run(
        [str(RECORDREADY), "batch", str(inbox), "-o", str(cluster.tmp / "out-local"),
         "-j", "2", "--engine", "local", "--quiet"],
        env=local_env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    assert local.returncode == 0, local.stderr[-3000:]

    for w in spawned:
        cluster.wait_ready(w)
    workers = {w.name: w for w in spawned}
    store = Store(Settings.from_env())  # PostgreSQL and the shared blob folder
    assert store.settings.database_url.startswith("postgresql")
    box: list[BatchResult | BaseException] = []

    def celery_run() -> None:
        try:
            with CeleryPool(settings=store.settings) as pool:
                box.append(
                    run_once(
                        BatchConfig(inbox, cluster.tmp / "out-celery"),
                        store,
                        make_reporter(True),
                        pool=pool,
                    )
                )
        except BaseException as exc:  # surfaced by the assertion below
            box.append(exc)

    runner = threading.Thread(target=celery_run, daemon=True)
    runner.start()
    table = JobTable(store.settings.database_url)
    job_id, victim = _running_job_on(table, SCAN, timeout=90)
    workers[victim].kill()
    survivor = next(w for name, w in workers.items() if name != victim)
    runner.join(timeout=180)
    assert not runner.is_alive(), "the Celery batch did not finish after a worker was killed"
    result = box[0]
    assert isinstance(result, BatchResult), result
    assert not result.stopped

    # The killed worker's job was picked up again by the other one, not lost.
    assert f"job {job_id}: worker lost" in survivor.text()
    celery_out, local_out = (
        _outputs(cluster.tmp / "out-celery"),
        _outputs(cluster.tmp / "out-local"),
    )
    assert "patel/report.json" in local_out and "rejected.csv" in local_out
    assert sorted(celery_out) == sorted(local_out)
    for name, data in local_out.items():
        assert celery_out[name] == data, f"{name} differs between the local and the Celery run"


CLI_CASE_FILES = ["case.json", "clinic_note.pdf", "pathology.pdf"]  # text PDFs: quick jobs
CLI_LOOSE_FILES = ["labs_cbc_cmp.pdf"]


def _cli_batch(inbox: Path, out: Path, engine: str, env: dict[str, str]) -> str:
    run = subprocess.run(
        [str(RECORDREADY), "batch", str(inbox), "-o", str(out), "--engine", engine],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, f"--engine {engine} failed:\n{run.stderr[-3000:]}"
    return run.stdout


def test_cli_engine_celery_writes_the_same_reports_as_engine_local(cluster: Cluster) -> None:
    """`recordready batch INBOX -o OUT --engine celery` on PostgreSQL and a real worker."""
    inbox = _inbox(cluster.tmp, CLI_CASE_FILES, CLI_LOOSE_FILES)
    worker = cluster.spawn("cli")  # boots while the local run works
    shared = {**os.environ, **cluster.env}
    # The local run: its own SQLite store and blob folder; the broker is set but not used.
    local_env = {k: v for k, v in shared.items() if k != "RECORDREADY_DATABASE_URL"}
    local_env["RECORDREADY_HOME"] = str(cluster.tmp / "local-home")
    local_env["RECORDREADY_BLOB_DIR"] = str(cluster.tmp / "local-blobs")
    _cli_batch(inbox, cluster.tmp / "out-local", "local", local_env)
    assert "Task recordready.run_job" not in worker.text()

    cluster.wait_ready(worker)
    assert shared["RECORDREADY_DATABASE_URL"].startswith("postgresql")
    table = JobTable(shared["RECORDREADY_DATABASE_URL"])

    def job_rows() -> set[str]:
        with table.session() as s:
            return set(s.execute(select(JobRow.id)).scalars())

    before = job_rows()
    said = _cli_batch(inbox, cluster.tmp / "out-celery", "celery", shared)
    assert "1 case(s)" in said

    # The jobs ran on the worker (not silently in the CLI's own processes) ...
    assert "Task recordready.run_job" in worker.text()
    # ... were collected (no job row of this run left behind) ...
    assert job_rows() == before
    # ... and gave byte for byte the local engine's outputs.
    celery_out, local_out = (
        _outputs(cluster.tmp / "out-celery"),
        _outputs(cluster.tmp / "out-local"),
    )
    assert "patel/report.json" in local_out and "summary.csv" in local_out
    assert sorted(celery_out) == sorted(local_out)
    for name, data in local_out.items():
        assert celery_out[name] == data, f"{name} differs between --engine local and celery"
