"""Claims on the store's work queue have an owner and a lease (F5).

A claim by a live process (here or, by its lease, on another host) is never taken away;
one whose process died, whose pid now names another process, or whose lease ran out goes
back to the queue. Real processes, real SQLite, and a database as an earlier version
(no owner column) left it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import update

from intake.store import LEASE_S, FileRow, FileStatus, Store, is_gone, owner_id
from intake.store import leases as leases_module

CLAIMER = """
import sys
from intake.store import Store
f = Store.at(sys.argv[1]).claim_next()
print(f.id if f else "none", flush=True)
sys.stdin.readline()  # hold the claim until told to go (or killed)
"""


def _claimer(home: Path) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CLAIMER, str(home)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline().strip()
    assert line.isdigit(), f"the claimer claimed nothing: {line!r}"
    return proc, int(line)


def _claimed_by(store: Store, file_id: int) -> str | None:
    with store._session() as s:
        return s.get(FileRow, file_id).claimed_by


def _set_claim(store: Store, file_id: int, owner: str | None, age_s: float) -> None:
    """Make a claim as another host (or an earlier version) would have left it."""
    renewed = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=age_s)
    with store._session() as s:
        s.execute(
            update(FileRow)
            .where(FileRow.id == file_id)
            .values(status=FileStatus.PROCESSING.value, claimed_by=owner, updated_at=renewed)
        )


def test_a_live_readers_claim_is_kept_and_a_killed_ones_requeued(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.create_case("c")
    f = store.add_file(case.id, "a.pdf", b"a")
    proc, claimed = _claimer(tmp_path)
    try:
        assert claimed == f.id
        owner = _claimed_by(store, f.id)
        assert owner is not None and f":{proc.pid}:" in owner
        assert not is_gone(owner)
        # Another reader starting now (the app's sweep, a batch run) leaves it alone.
        assert store.requeue_orphaned() == 0
        assert store.requeue_stale() == 0
        assert store.get_file(f.id).status is FileStatus.PROCESSING
    finally:
        proc.kill()
        proc.wait(timeout=30)
    assert is_gone(owner)
    assert store.requeue_orphaned() == 1
    assert store.get_file(f.id).status is FileStatus.QUEUED
    assert _claimed_by(store, f.id) is None
    assert store.claim_next() is not None  # and it can be read again


def test_own_claims_stay_for_a_sweep_and_go_for_a_new_run(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.create_case("c")
    f = store.add_file(case.id, "a.pdf", b"a")
    assert store.claim_next() is not None
    assert _claimed_by(store, f.id) == owner_id()
    assert store.requeue_orphaned() == 0  # this process is reading it
    assert store.requeue_stale() == 1  # a new run here: nothing of ours is in flight


def test_a_reused_pid_or_a_reboot_means_the_owner_is_gone() -> None:
    host, pid, boot, start = owner_id().rsplit(":", 3)
    assert not is_gone(owner_id())
    assert is_gone(f"{host}:{pid}:{boot}:{int(start or 0) + 1}")  # same pid, another process
    assert is_gone(f"{host}:{pid}:not-this-boot:{start}")
    assert not is_gone(f"{host}-elsewhere:{pid}:{boot}:{start}")  # other hosts: the lease decides
    assert not is_gone("unreadable")


def test_lease_decides_for_other_hosts_and_unowned_claims(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.create_case("c")
    fresh, stale, legacy = (store.add_file(case.id, f"{n}.pdf", n.encode()) for n in "abc")
    _set_claim(store, fresh.id, "reader-host-2:4242:b00t:99", age_s=5)
    _set_claim(store, stale.id, "reader-host-2:4243:b00t:99", age_s=LEASE_S + 60)
    _set_claim(store, legacy.id, None, age_s=LEASE_S + 60)
    assert store.requeue_orphaned() == 2
    states = {f.name: f.status for f in store.files(case.id)}
    assert states == {"a.pdf": FileStatus.PROCESSING, "b.pdf": FileStatus.QUEUED,
                      "c.pdf": FileStatus.QUEUED}  # fmt: skip


def test_the_heartbeat_renews_claims_and_stops_when_none_are_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(leases_module, "HEARTBEAT_S", 0.1)
    store = Store.at(tmp_path)
    case = store.create_case("c")
    f = store.add_file(case.id, "a.pdf", b"a")
    assert store.claim_next() is not None
    _set_claim(store, f.id, owner_id(), age_s=LEASE_S + 60)
    deadline = time.monotonic() + 10
    while store.get_file(f.id) and _renewed_age(store, f.id) > 5:
        assert time.monotonic() < deadline, "the claim's lease was never renewed"
        time.sleep(0.05)
    assert store.requeue_orphaned() == 0
    store.set_status(f.id, FileStatus.DONE)
    assert _claimed_by(store, f.id) is None
    key = (store.settings.database_url, os.getpid())
    deadline = time.monotonic() + 10
    while key in leases_module.Heartbeat._beats:
        assert time.monotonic() < deadline, "the heartbeat thread outlived the last claim"
        time.sleep(0.05)


def _renewed_age(store: Store, file_id: int) -> float:
    with store._session() as s:
        renewed = s.get(FileRow, file_id).updated_at
    return (dt.datetime.now(dt.UTC).replace(tzinfo=None) - renewed).total_seconds()


OPEN_AND_SWEEP = """
import sys
from intake.store import Store
print(Store.at(sys.argv[1]).requeue_orphaned(), flush=True)
"""


def test_a_store_made_before_owners_existed_is_migrated_at_open(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.create_case("c")
    f = store.add_file(case.id, "a.pdf", b"a")
    db = tmp_path / "recordready.db"
    with sqlite3.connect(db) as con:
        # The table as the previous release created it, with a file its killed run left.
        con.execute("ALTER TABLE rr_case_files DROP COLUMN claimed_by")
        con.execute(
            "UPDATE rr_case_files SET status='processing', updated_at='2026-01-01 00:00:00'"
        )
    # Fresh processes (several at once, as the app and a batch may start together) open it.
    runs = [
        subprocess.Popen([sys.executable, "-c", OPEN_AND_SWEEP, str(tmp_path)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(3)
    ]  # fmt: skip
    outs = [r.communicate(timeout=60) for r in runs]
    assert [r.returncode for r in runs] == [0, 0, 0], [err[-800:] for _, err in outs]
    assert sorted(int(out) for out, _ in outs) == [0, 0, 1]  # requeued once, by one of them
    with sqlite3.connect(db) as con:
        columns = [row[1] for row in con.execute("PRAGMA table_info(rr_case_files)")]
    assert columns.count("claimed_by") == 1
    assert store.get_file(f.id).status is FileStatus.QUEUED
