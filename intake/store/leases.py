"""Claim leases: how long a claim lives unrenewed, and the thread that renews this process's."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable

from intake.store.owners import owner_id

# A claimer renews its lease this often; a claim not renewed for LEASE_S is up for grabs.
HEARTBEAT_S = 15.0
LEASE_S = 120.0


class Heartbeat:
    """One daemon thread per process and database renewing this process's claims.

    It stops by itself once the process holds no claim, so idle processes (and test
    runs opening many stores) keep no thread.
    """

    _beats: dict[tuple[str, int], Heartbeat] = {}
    _lock = threading.Lock()

    def __init__(self, key: tuple[str, int], renew: Callable[[str], int]) -> None:
        self.key = key
        self.renew = renew
        self.owner = owner_id()
        self.thread = threading.Thread(target=self._run, name="recordready-lease", daemon=True)

    @classmethod
    def ensure(cls, database_url: str, renew: Callable[[str], int]) -> None:
        """A running heartbeat for this process on `database_url`; `renew(owner)` renews
        that owner's claims and says how many it holds."""
        key = (database_url, os.getpid())
        with cls._lock:
            if key not in cls._beats:
                beat = cls._beats[key] = cls(key, renew)
                beat.thread.start()

    def _run(self) -> None:
        while True:
            time.sleep(HEARTBEAT_S)
            # Renew and decide to stop under the lock: a claim made meanwhile either is
            # renewed here or finds no thread and starts a new one.
            with self._lock:
                try:
                    held = self.renew(self.owner)
                except Exception:  # a busy or unreachable database: try again next beat
                    held = 1
                if held == 0:
                    self._beats.pop(self.key, None)
                    return


def _after_fork_in_child() -> None:
    # A fork taken while another thread held the lock would leave it held for good in the
    # child; the parent's heartbeat threads do not exist there either.
    Heartbeat._lock = threading.Lock()
    Heartbeat._beats = {}


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
