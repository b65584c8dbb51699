"""Password sign-in with throttling per account and per client address, and a lockout.

Throttling was per browser session: a new connection per attempt gave 7 tries in 1.9 s,
each costing the server an argon2 verification. Failures are now counted per account name
and per client address over a window; past the limit that account or address is locked
for a while, and a locked attempt is refused before any password is verified (no argon2).
The audit log records every failure, but the name typed is kept only when it is an
account's name: a password typed into the user-name field must never be stored.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from intake.access.audit import AuditLog
from intake.access.auth import Accounts, Action, Principal

# Failures that lock an account (whoever tries it) and a client address (whatever it tries).
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
WINDOW_S = 15 * 60
LOCKOUT_S = 15 * 60
UNKNOWN_NAME = "(unknown user name)"


class Refused(StrEnum):
    WRONG = "wrong"  # name and password do not match
    LOCKED = "locked"  # too many failures: try again later


@dataclass
class _Counter:
    failures: deque[float] = field(default_factory=deque)
    locked_until: float = 0.0


@dataclass
class SignInGuard:
    """Counts failures in this server process (one app process serves every session)."""

    account_failures: int = ACCOUNT_FAILURES
    address_failures: int = ADDRESS_FAILURES
    window_s: float = WINDOW_S
    lockout_s: float = LOCKOUT_S
    clock: Callable[[], float] = time.monotonic
    _accounts: dict[str, _Counter] = field(default_factory=dict)
    _addresses: dict[str, _Counter] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _now(self) -> float:
        return self.clock()

    def locked(self, account: str, address: str | None) -> bool:
        now = self._now()
        with self._lock:
            keys = [(self._accounts, account.casefold())]
            if address:
                keys.append((self._addresses, address))
            return any(table.get(k, _Counter()).locked_until > now for table, k in keys)

    def failed(self, account: str, address: str | None) -> None:
        now = self._now()
        with self._lock:
            self._count(self._accounts, account.casefold(), self.account_failures, now)
            if address:
                self._count(self._addresses, address, self.address_failures, now)

    def succeeded(self, account: str) -> None:
        with self._lock:
            self._accounts.pop(account.casefold(), None)

    def _count(self, table: dict[str, _Counter], key: str, limit: int, now: float) -> None:
        c = table.setdefault(key, _Counter())
        c.failures.append(now)
        while c.failures and c.failures[0] < now - self.window_s:
            c.failures.popleft()
        if len(c.failures) >= limit:
            c.locked_until = now + self.lockout_s
            c.failures.clear()


def sign_in(
    accounts: Accounts,
    audit: AuditLog,
    guard: SignInGuard,
    username: str,
    password: str,
    address: str | None,
) -> Principal | Refused:
    """The principal for a correct name and password, else why not (audited either way)."""
    name = username.strip()
    known = accounts.get(name) is not None
    shown = name if known else (UNKNOWN_NAME if name else "(blank)")
    where = f"from {address}" if address else None
    if guard.locked(name, address):
        audit.record(shown, Action.SIGN_IN_FAILED, detail="locked out", role="anonymous")
        return Refused.LOCKED
    who = accounts.authenticate(name, password)
    if who is None:
        guard.failed(name, address)
        audit.record(shown, Action.SIGN_IN_FAILED, detail=where, role="anonymous")
        return Refused.LOCKED if guard.locked(name, address) else Refused.WRONG
    guard.succeeded(name)
    audit.record(who, Action.SIGNED_IN, detail=where)
    return who
