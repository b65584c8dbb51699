"""Sharing one pool fairly between lanes (the app's cases): round-robin, a few jobs at a time.

An engine runs jobs in the order they were submitted, so the 60 page jobs of one case's
long scan, submitted at once, ran before a one-page upload of another case submitted a
moment later: that patient waited minutes for a checklist their file needed seconds for.
`FairPool` holds submitted jobs per lane and gives the engine only as many as it has
workers, taking the next one from each waiting lane in turn; a new lane is served within
one round of the lanes already waiting.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable, Iterator
from typing import Any, Self

from pydantic import BaseModel

from intake.jobs.contract import Outcome, Pool


class FairPool:
    """A `Pool` over `inner` that interleaves lanes; `lane_of(tag)` names a job's lane."""

    def __init__(
        self, inner: Pool, lane_of: Callable[[Hashable], Hashable], in_flight: int | None = None
    ) -> None:
        self.inner = inner
        self.workers = inner.workers
        self._lane_of = lane_of
        # One job per worker in the engine, so the next one is chosen when a worker is free
        # and not when it was submitted.
        self._limit = max(1, in_flight or inner.workers or 1)
        self._waiting: dict[Hashable, deque[tuple[str, Any, Hashable]]] = {}
        self._turns: deque[Hashable] = deque()
        self._flying = 0

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def submit(self, job: str, payload: BaseModel | Any, tag: Hashable = None) -> None:
        lane = self._lane_of(tag)
        if lane not in self._waiting:
            self._waiting[lane] = deque()
            self._turns.append(lane)
        self._waiting[lane].append((job, payload, tag))
        self._release()

    def _release(self) -> None:
        while self._flying < self._limit and self._turns:
            lane = self._turns.popleft()
            queue = self._waiting[lane]
            job, payload, tag = queue.popleft()
            if queue:
                self._turns.append(lane)  # its next job after every other lane's
            else:
                del self._waiting[lane]
            self._flying += 1
            try:
                self.inner.submit(job, payload, tag)
            except Exception:
                self._flying -= 1
                raise

    def outcomes(self, timeout: float | None = None) -> Iterator[Outcome]:
        for outcome in self.inner.outcomes(timeout):
            self._flying = max(0, self._flying - 1)
            self._release()  # the freed worker takes the next lane's job at once
            yield outcome

    def waiting(self, lane: Hashable) -> int:
        """Jobs of `lane` not yet handed to the engine."""
        return len(self._waiting.get(lane, ()))

    def stop(self) -> None:
        self._waiting.clear()
        self._turns.clear()
        self.inner.stop()

    def close(self) -> None:
        self.inner.close()

    @property
    def busy(self) -> int:
        return self.inner.busy + sum(len(q) for q in self._waiting.values())
