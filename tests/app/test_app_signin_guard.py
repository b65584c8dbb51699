"""Sign-in throttling, lockout, what the audit keeps, and deletes (issue 16 rows 7, 13, 14).

Throttling was per browser session, so a new session per try guessed freely; a password
typed into the user-name field was stored in the audit log; a refused delete still revoked
the case's patient links."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_helpers import ADMIN, COORD, app, sign_in

from intake.access.audit import AuditLog
from intake.access.auth import AccessDenied, Accounts, Action, CaseLinks, Principal, Role
from intake.access.signin import UNKNOWN_NAME, Refused, SignInGuard
from intake.access.signin import sign_in as password_sign_in
from intake.casework.service import Backend
from intake.store import Store
from intake.store.db import session_factory


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _services(home: Path) -> tuple[Accounts, AuditLog, CaseLinks]:
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    return Accounts(sessions), AuditLog(sessions), CaseLinks(sessions)


def test_failures_lock_the_account_whatever_session_or_address_tries(home: Path, accounts) -> None:
    acc, audit, _ = _services(home)
    clock = _Clock()
    guard = SignInGuard(clock=clock)
    for n in range(5):  # a new connection (and address) for every guess
        assert password_sign_in(acc, audit, guard, COORD[0], f"guess {n}", f"10.0.0.{n}") in (
            Refused.WRONG,
            Refused.LOCKED,
        )
    assert password_sign_in(acc, audit, guard, *COORD, "10.9.9.9") is Refused.LOCKED
    other = password_sign_in(acc, audit, guard, *ADMIN, "10.9.9.9")
    assert isinstance(other, Principal)  # only that account is locked
    clock.now += 15 * 60 + 1
    assert isinstance(password_sign_in(acc, audit, guard, *COORD, "10.9.9.9"), Principal)


def test_one_address_guessing_many_accounts_is_locked_out(home: Path, accounts) -> None:
    acc, audit, _ = _services(home)
    guard = SignInGuard(clock=_Clock())
    for n in range(20):
        password_sign_in(acc, audit, guard, f"user{n}", "x", "203.0.113.7")
    assert password_sign_in(acc, audit, guard, *COORD, "203.0.113.7") is Refused.LOCKED
    assert isinstance(password_sign_in(acc, audit, guard, *COORD, "198.51.100.1"), Principal)


def test_a_new_app_session_per_try_meets_the_same_lockout(home: Path, accounts) -> None:
    for n in range(5):
        at = sign_in(app(), COORD[0], f"wrong {n}")
        assert not at.exception
    at = sign_in(app(), *COORD)
    assert any("Too many failed sign-ins" in e.value for e in at.error)
    assert [t.value for t in at.title] != ["Cases"]


def test_a_password_typed_as_the_user_name_is_not_audited(home: Path, accounts) -> None:
    acc, audit, _ = _services(home)
    secret = "correct horse battery staple"
    password_sign_in(acc, audit, SignInGuard(), secret, "", None)
    password_sign_in(acc, audit, SignInGuard(), COORD[0], "wrong", None)
    actors = [e.actor for e in audit.entries(actions=[Action.SIGN_IN_FAILED])]
    assert secret not in " ".join(actors) and UNKNOWN_NAME in actors and COORD[0] in actors


def test_a_refused_delete_leaves_the_patient_link_working(home: Path, accounts) -> None:
    _, audit, links = _services(home)
    be = Backend(Store(), audit, links)
    coord = Principal(COORD[0], Role.COORDINATOR)
    case, token = be.start_case("cart-lbcl", coord)
    with pytest.raises(AccessDenied):
        be.delete_case(coord, case.id)  # coordinators may not delete
    assert links.resolve(token) == case.id
    be.delete_case(Principal(ADMIN[0], Role.ADMIN), case.id)
    assert links.resolve(token) is None
