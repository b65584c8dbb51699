"""Pool workers die with their parent (issue 16 row 17).

Workers leave the terminal's process group, so when a batch or the app is killed with -9
nothing but the kernel can end them: without a parent-death signal they lived on as idle
orphans of 165-240 MB each. Here a real parent starts a real pool, is SIGKILLed, and every
process it started must be gone within seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

_PARENT = """
import sys, time
from intake.jobs.local import WorkerPool
pool = WorkerPool(workers=2, start_method=sys.argv[1])
pool.__enter__()
for _ in range(4):
    pool.submit("pool.ping", {})
pids = sorted({o.value.pid for o in pool.outcomes()})
print("ready", flush=True)
time.sleep(120)
"""


def _children(pid: int) -> list[int]:
    found, frontier = [], [pid]
    table: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                table[int(entry.name)] = int(
                    (entry / "stat").read_text().rsplit(")", 1)[1].split()[1]
                )
            except OSError:
                continue
    while frontier:
        current = frontier.pop()
        kids = [p for p, pp in table.items() if pp == current]
        found += kids
        frontier += kids
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
@pytest.mark.parametrize("method", ["forkserver", "fork"])
def test_killing_the_pools_owner_leaves_no_worker_behind(method: str) -> None:
    parent = subprocess.Popen(
        [sys.executable, "-c", _PARENT, method],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    workers: list[int] = []
    try:
        assert parent.stdout is not None
        assert parent.stdout.readline().strip() == "ready"
        workers = _children(parent.pid)
        assert workers, "the pool started no process"
    finally:
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=30)
    deadline = time.monotonic() + 15
    while any(_alive(p) for p in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [p for p in workers if _alive(p)]
    for pid in left:  # do not leave them to the next test run either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} pool process(es) outlived their killed parent"
