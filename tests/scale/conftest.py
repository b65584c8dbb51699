"""Real Redis and PostgreSQL on loopback (scripts/services.sh) and real `recordready worker`s."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "scripts" / "services.sh"
RECORDREADY = Path(sys.executable).parent / "recordready"
JOBS_MODULE = "tests.scale.jobs"  # registers the test.* jobs in the workers


@pytest.fixture(scope="session")
def services(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Broker and database URLs of a throwaway Redis and PostgreSQL, stopped at the end."""
    check = subprocess.run(["bash", str(SERVICES), "check"], capture_output=True, text=True)
    if check.returncode != 0:
        pytest.skip(
            "SCALE-OUT TESTS SKIPPED: real Redis/PostgreSQL binaries are missing "
            f"({check.stderr.strip()}); run scripts/bootstrap.sh --dev as root",
        )
    state = tmp_path_factory.mktemp("services")
    started = subprocess.run(
        ["bash", str(SERVICES), "start", str(state)], capture_output=True, text=True, timeout=120
    )
    if started.returncode != 0:
        subprocess.run(["bash", str(SERVICES), "stop", str(state)], capture_output=True)
        raise RuntimeError(f"scripts/services.sh start failed: {started.stderr.strip()}")
    env = dict(
        line.split("=", 1) for line in (state / "env").read_text().splitlines() if "=" in line
    )
    try:
        yield env
    finally:
        subprocess.run(["bash", str(SERVICES), "stop", str(state)], capture_output=True, timeout=60)


@dataclass
class Worker:
    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children): a lost machine."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        if self.proc.poll() is None:
            # Cold shutdown: the test is over, nothing running needs to finish.
            os.killpg(self.proc.pid, signal.SIGQUIT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@dataclass
class Cluster:
    """Environment shared by the test process and its workers (one Redis, one PostgreSQL,
    one blob folder), and the workers started so far."""

    env: dict[str, str]
    tmp: Path
    workers: list[Worker]

    def start_worker(self, name: str, concurrency: int = 1, timeout: float = 60) -> Worker:
        """A worker for the job-layer tests: their jobs need no pipeline preloaded. Every
        worker also imports the tests' own jobs (tests/scale/jobs.py)."""
        worker = self.spawn(name, concurrency, preload=False)
        self.wait_ready(worker, timeout)
        return worker

    def wait_ready(self, worker: Worker, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while " ready." not in worker.text():
            if worker.proc.poll() is not None:
                raise RuntimeError(f"worker {worker.name} exited:\n{worker.text()[-3000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"worker {worker.name} not ready after {timeout} s")
            time.sleep(0.1)

    def spawn(self, name: str, concurrency: int = 1, preload: bool = True) -> Worker:
        """Start a worker without waiting for it (see wait_ready)."""
        log = self.tmp / f"{name}.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                [
                    str(RECORDREADY),
                    "worker",
                    "-c",
                    str(concurrency),
                    "-n",
                    f"{name}@test",
                    "--preload" if preload else "--no-preload",
                    "--include",
                    JOBS_MODULE,
                ],
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: kill() takes the children too
            )
        worker = Worker(name, proc, log)
        self.workers.append(worker)
        return worker


def _fresh_database(url: str) -> str:
    """A new, empty PostgreSQL database beside the one in `url`; its URL."""
    import uuid

    import psycopg

    name = f"rr_{uuid.uuid4().hex[:12]}"
    base, _, _ = url.rpartition("/")
    with psycopg.connect(
        url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True
    ) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"{base}/{name}"


@pytest.fixture
def cluster(
    services: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Cluster]:
    # A fresh queue and database per test: messages a previous test left behind never reach
    # these workers, and results another test cached never spare this one its jobs.
    queue = f"rr-test-{tmp_path.name}"
    env = {
        **services,
        "RECORDREADY_DATABASE_URL": _fresh_database(services["RECORDREADY_DATABASE_URL"]),
        "RECORDREADY_HOME": str(tmp_path / "home"),
        "RECORDREADY_BLOB_DIR": str(tmp_path / "blobs"),
        "RECORDREADY_QUEUE": queue,
        "RECORDREADY_RETRY_BACKOFF": "0.2",
        "RECORDREADY_VISIBILITY_TIMEOUT": "30",
        "PYTHONPATH": str(ROOT),
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    c = Cluster(env, tmp_path, [])
    try:
        yield c
    finally:
        for w in c.workers:
            w.stop()
