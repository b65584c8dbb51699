"""How often anyone without an account may start a case (issue 16 row 15).

Patients start their own case without an account, so anyone could: 20 cases in 6.4 s,
each landing in the coordinators' list and holding a store row and a link. Starts are
counted per client address and, since addresses are cheap to change, for all anonymous
visitors together; past either limit a start is refused until the window has moved on.
Staff starting a case on a patient's behalf are not counted.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# A family may start a case or two; a clinic's waiting-room tablet a few an hour.
PER_ADDRESS = 10
ALL_ANONYMOUS = 200
WINDOW_S = 60 * 60


@dataclass
class CaseStarts:
    """Anonymous case starts in this server process over a sliding window."""

    per_address: int = PER_ADDRESS
    all_anonymous: int = ALL_ANONYMOUS
    window_s: float = WINDOW_S
    clock: Callable[[], float] = time.monotonic
    _by_address: dict[str, deque[float]] = field(default_factory=dict)
    _all: deque[float] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, address: str | None) -> bool:
        """Count a start from `address` and say whether it may go ahead."""
        now = self.clock()
        with self._lock:
            self._trim(self._all, now)
            mine = self._by_address.setdefault(address or "(no address)", deque())
            self._trim(mine, now)
            if len(self._all) >= self.all_anonymous or len(mine) >= self.per_address:
                return False
            self._all.append(now)
            mine.append(now)
            # Forget addresses whose window has passed, so the table cannot grow for ever.
            for key in [k for k, q in self._by_address.items() if not q]:
                del self._by_address[key]
            return True

    def _trim(self, q: deque[float], now: float) -> None:
        while q and q[0] <= now - self.window_s:
            q.popleft()
