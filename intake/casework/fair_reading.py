"""Reading many cases' uploads at once, fairly: what the app's reader thread drives.

The reader used to claim every queued file it was woken for and read that batch to the
end before it looked again, so a one-page upload waited behind another case's long scan
(and behind every page job of it in the pool's queue). Here files are claimed one at a
time, in turn across the cases waiting; a case with nothing being read always gets its
next file started, while a case with files in flight gets more only within a bounded
window; and the page jobs of all files share the pool round-robin by case
(`intake.jobs.fair.FairPool`). Each store has one long-lived Processor fed with `add`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import deque
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from typing import Any, Self

from checklists.models import Program
from extractors.errors import FileErrorCode
from intake.casework import summaries
from intake.jobs.contract import Outcome, Pool
from intake.jobs.fair import FairPool
from intake.pipeline.processor import WINDOW_PER_WORKER, FileWork, Processor
from intake.pipeline.progress import QuietReporter
from intake.store import FileStatus, Store

log = logging.getLogger(__name__)

# Files of one case read at once while other cases wait their turn.
PER_CASE = 2


@dataclass(frozen=True, slots=True)
class Routed:
    """A job's tag with the store (and that store's processor) it belongs to."""

    store: str
    generation: int
    tag: Hashable


class _StorePool:
    """What one store's Processor sees of the shared pool: its tags are routed."""

    def __init__(self, fair: FairPool, store: str, generation: int) -> None:
        self._fair, self._store, self._generation = fair, store, generation
        self.workers = fair.workers

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, job: str, payload: Any, tag: Hashable = None) -> None:
        self._fair.submit(job, payload, Routed(self._store, self._generation, tag))

    def outcomes(self, timeout: float | None = None) -> Iterator[Outcome]:
        return iter(())  # outcomes are collected and routed by FairReading

    def stop(self) -> None:
        return None

    def close(self) -> None:
        return None

    @property
    def busy(self) -> int:
        return self._fair.busy


class FairReading:
    def __init__(self, pool: Pool, programs: Callable[[], dict[str, Program]]) -> None:
        self._fair = FairPool(pool, self._lane)
        self._programs = programs
        self.window = max(2, WINDOW_PER_WORKER * (pool.workers or 1))
        self._stores: dict[str, Store] = {}
        self._procs: dict[str, tuple[int, Processor]] = {}
        self._generation = 0
        self._turns: deque[tuple[str, str]] = deque()  # (store, case) that may have queued files
        self._turning: set[tuple[str, str]] = set()
        self._flying: dict[tuple[str, int], str] = {}  # (store, file id) -> its case
        self._lanes: dict[tuple[str, str], str] = {}  # (store, sha256) -> the case it reads for
        self._room = False

    # --- what the reader thread calls --------------------------------------------------------

    def take(self, store: Store, case_ids: list[str]) -> None:
        """These cases may have queued files: give them turns."""
        key = store.settings.database_url
        self._stores[key] = store
        for case_id in case_ids:
            if (key, case_id) not in self._turning:
                self._turning.add((key, case_id))
                self._turns.append((key, case_id))

    def feed(self) -> None:
        """Claim files in turn across the waiting cases while there is room."""
        progress = True
        while progress and self._turns:
            progress = False
            for _ in range(len(self._turns)):
                key, case_id = self._turns.popleft()
                in_case = sum(1 for (k, _), c in self._flying.items() if k == key and c == case_id)
                if in_case >= PER_CASE or (in_case and len(self._flying) >= self.window):
                    self._turns.append((key, case_id))  # full for now: keeps its turn
                    continue
                if self._claim(key, case_id):
                    progress = True
                    self._turns.append((key, case_id))  # it may have more: after the others
                else:
                    self._turning.discard((key, case_id))

    @property
    def idle(self) -> bool:
        return not self._flying and not self._turns

    def outcomes(self, timeout: float) -> Iterator[Outcome]:
        """Handle outcomes as jobs finish (returns after `timeout` without one)."""
        for o in self._fair.outcomes(timeout):
            r = o.tag
            if isinstance(r, Routed):
                current = self._procs.get(r.store)
                if current is not None and current[0] == r.generation:
                    try:
                        current[1].handle(dataclasses.replace(o, tag=r.tag))
                    except Exception as exc:  # one bad outcome must not stop the reader
                        self._failed(r.store, exc)
            if self._room:
                self._room = False
                self.feed()
            yield o

    def stop(self) -> None:
        self._fair.stop()

    # --- inside -----------------------------------------------------------------------------

    def _lane(self, tag: Hashable) -> Hashable:
        if isinstance(tag, Routed):
            sha = getattr(tag.tag, "sha256", None)
            return (tag.store, self._lanes.get((tag.store, sha or ""), ""))
        return ""

    def _processor(self, key: str) -> Processor:
        got = self._procs.get(key)
        if got is None:
            self._generation += 1
            gen = self._generation
            proc = Processor(
                self._stores[key],
                _StorePool(self._fair, key, gen),
                QuietReporter(),
                window=10**6,  # bounded here, per case and in all (feed)
                on_finish=lambda f: self._finished(key, f),
                keep_results=False,
            )
            got = self._procs[key] = (gen, proc)
        return got[1]

    def _claim(self, key: str, case_id: str) -> bool:
        store = self._stores[key]
        try:
            f = store.claim_next(case_id)
        except Exception as exc:  # a busy database: the next sweep tries again
            log.warning("could not claim an upload: %s", type(exc).__name__)
            return False
        if f is None:
            return False
        self._flying[(key, f.id)] = case_id
        self._lanes.setdefault((key, f.sha256), case_id)
        work = FileWork(f.sha256, f.name, str(store.blobs.path(f.sha256)), [f.id])
        try:
            self._processor(key).add([work])
        except Exception as exc:
            self._failed(key, exc)
        return True

    def _finished(self, key: str, f: FileWork) -> None:
        cases = {c for fid in f.file_ids if (c := self._flying.pop((key, fid), None))}
        self._lanes.pop((key, f.sha256), None)
        self._room = True
        try:  # the case list's rows of these cases, made now their file is read
            summaries.refresh(self._stores[key], cases, self._programs())
        except Exception as exc:  # the list makes them itself when it is next viewed
            log.warning("case summaries not made: %s", type(exc).__name__)

    def _failed(self, key: str, exc: Exception) -> None:
        """Reading failed outside any one job: its files are marked unreadable (not left
        'processing' for ever) and the store gets a fresh processor."""
        log.warning("background reading failed: %s", type(exc).__name__)
        store = self._stores[key]
        _, proc = self._procs.pop(key, (0, None))
        ids = set(proc.in_flight_ids() if proc else []) | {i for k, i in self._flying if k == key}
        for fid in ids:
            self._flying.pop((key, fid), None)
            cur = store.get_file(fid)
            if cur is not None and cur.status is FileStatus.PROCESSING:
                store.set_status(
                    fid,
                    FileStatus.ERROR,
                    FileErrorCode.CORRUPT.value,
                    f"{cur.name}: could not be read ({type(exc).__name__})",
                )
        self._room = True
