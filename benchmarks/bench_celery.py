"""The Celery path timed beside the local pool, on the same inbox, on this machine.

`bench_celery(inbox, workers)` starts a private Redis and PostgreSQL (scripts/services.sh),
`workers` `recordready worker -c 1` processes, and times one cold `run_once` (empty store,
so every page is read) through them; `bench_local` times the same batch on the local pool.
Each returns an `EngineTiming` whose `line()` is what `make bench` prints.

    .venv/bin/python -m benchmarks.bench_celery [INBOX] [--workers N]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from intake.batch.runner import BatchConfig, BatchResult, run_once
from intake.jobs.celery_pool import CeleryPool
from intake.pipeline.progress import make_reporter
from intake.settings import Settings
from intake.store import Store

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ROOT / "scripts" / "services.sh"
RECORDREADY = Path(sys.executable).parent / "recordready"


@dataclass(frozen=True)
class EngineTiming:
    engine: str  # "local pool" or "celery"
    workers: int
    files: int
    pages: int
    seconds: float
    worker_peak_mb: float

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.seconds if self.seconds else float("nan")

    def as_dict(self) -> dict[str, float | int | str]:
        return {**dataclasses.asdict(self), "pages_per_s": round(self.pages_per_s, 3)}

    def line(self) -> str:
        return (
            f"{self.engine:<11} {self.workers} worker(s): {self.files} files, {self.pages} pages "
            f"in {self.seconds:.1f} s ({self.pages_per_s:.2f} pages/s), "
            f"worker peak {self.worker_peak_mb:.0f} MiB"
        )


def celery_available() -> bool:
    """True when redis-server and PostgreSQL are installed (scripts/bootstrap.sh --dev)."""
    check = subprocess.run(["bash", str(SERVICES), "check"], capture_output=True, check=False)
    return check.returncode == 0


def _timing(engine: str, workers: int, result: BatchResult) -> EngineTiming:
    c = result.counters
    return EngineTiming(
        engine,
        workers,
        c.files_read + c.files_cached,
        c.pages_ocr + c.pages_text + c.pages_cached,
        result.seconds,
        c.worker_peak_mb,
    )


@contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextmanager
def services() -> Iterator[dict[str, str]]:
    """RECORDREADY_BROKER_URL and RECORDREADY_DATABASE_URL of a throwaway Redis + PostgreSQL."""
    with tempfile.TemporaryDirectory(prefix="rr-bench-services-") as state:
        out = subprocess.run(
            ["bash", str(SERVICES), "start", state], capture_output=True, text=True, check=False
        )
        if out.returncode != 0:
            raise RuntimeError(f"scripts/services.sh start failed: {out.stderr.strip()}")
        try:
            yield dict(
                line.split("=", 1) for line in Path(state, "env").read_text().splitlines() if line
            )
        finally:
            subprocess.run(["bash", str(SERVICES), "stop", state], capture_output=True)


@contextmanager
def celery_workers(count: int, env: dict[str, str], logdir: Path) -> Iterator[None]:
    """`count` single-process `recordready worker`s, ready on return, stopped on exit."""
    procs: list[tuple[subprocess.Popen[bytes], Path]] = []
    try:
        for i in range(count):
            log = logdir / f"worker{i}.log"
            with log.open("wb") as fh:
                procs.append(
                    (
                        subprocess.Popen(
                            [str(RECORDREADY), "worker", "-c", "1", "-n", f"bench{i}@%h"],
                            env={**os.environ, **env},
                            stdout=fh,
                            stderr=subprocess.STDOUT,
                            start_new_session=True,
                        ),
                        log,
                    )
                )
        deadline = time.monotonic() + 120
        for proc, log in procs:
            while " ready." not in log.read_text(errors="replace"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"a benchmark worker did not start; see {log}")
                time.sleep(0.1)
        yield
    finally:
        for proc, _ in procs:
            with suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        for proc, _ in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def bench_celery(inbox: Path, workers: int = 2) -> EngineTiming:
    """One cold batch of `inbox` through `workers` Celery workers on this machine."""
    with services() as urls, tempfile.TemporaryDirectory(prefix="rr-bench-celery-") as tmp:
        env = {
            **urls,
            "RECORDREADY_HOME": str(Path(tmp) / "home"),
            "RECORDREADY_BLOB_DIR": str(Path(tmp) / "blobs"),
            "RECORDREADY_QUEUE": "recordready-bench",
        }
        with _environ(env), celery_workers(workers, env, Path(tmp)):
            store = Store(Settings.from_env())
            with CeleryPool(settings=store.settings) as pool:
                result = run_once(
                    BatchConfig(inbox, Path(tmp) / "out"), store, make_reporter(True), pool=pool
                )
    return _timing("celery", workers, result)


def bench_local(inbox: Path, workers: int = 2) -> EngineTiming:
    """The same cold batch on the local process pool, for the line beside the Celery one."""
    with tempfile.TemporaryDirectory(prefix="rr-bench-local-") as tmp:
        result = run_once(
            BatchConfig(inbox, Path(tmp) / "out", workers=workers),
            Store.at(Path(tmp) / "home"),
            make_reporter(True),
        )
    return _timing("local pool", workers, result)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inbox", nargs="?", type=Path, default=ROOT / "sample_docs" / "inbox")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rr-bench-inbox-") as tmp:
        # Both engines read the same snapshot, whatever happens to the inbox meanwhile.
        inbox = Path(shutil.copytree(args.inbox, Path(tmp) / "inbox"))
        print(bench_local(inbox, args.workers).line(), flush=True)
        print(bench_celery(inbox, args.workers).line(), flush=True)


if __name__ == "__main__":
    main()
