"""Who may do what: coordinator/admin accounts, patient case links, and the access rules
(single sign-on maps onto these accounts in oidc.py).

Passwords are stored only as argon2id hashes. Patients have no password: they
reach their own case through a link token (>= 128 bits from `secrets`) that is
stored as its sha256, can be revoked and expires. Every page and download asks
`allowed()` on the server; hiding a link is never the protection.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Boolean, DateTime, Integer, String, func, select
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from intake.store.db import Base

# 32 bytes = 256 bits of randomness; the contract asks for at least 128.
LINK_TOKEN_BYTES = 32
DEFAULT_LINK_DAYS = 90
MIN_PASSWORD_LENGTH = 10
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,63}$")

_hasher = PasswordHasher()
# Verifying against this when the user does not exist keeps the time of a
# failed sign-in the same whether or not the name is known.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))
# Stored instead of a hash for accounts that may only sign in through the
# organisation's identity provider: it is not an argon2 hash, so no password
# can ever match it, and keeping it in the same column needs no migration.
OIDC_ONLY_HASH = "!oidc-only"


class Role(StrEnum):
    PATIENT = "patient"
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Action(StrEnum):
    """What a principal asks to do; also the verbs of the audit log."""

    VIEWED = "viewed"
    UPLOADED = "uploaded"
    CORRECTED = "corrected"
    WAIVED = "waived"
    DOWNLOADED = "downloaded"
    DELETED = "deleted"
    CREATED = "created"
    LINK_ISSUED = "link_issued"
    LINK_REVOKED = "link_revoked"
    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    LINK_REFUSED = "link_refused"
    AUDIT_VIEWED = "audit_viewed"
    AUDIT_EXPORTED = "audit_exported"
    LIST_CASES = "listed_cases"
    # An upload taken out of its case (kept, and listed for the care team), or put back.
    REMOVED = "removed"
    RESTORED = "restored"


class AuthError(ValueError):
    """A request the account rules refuse (bad name, short password, unknown user)."""


class AccessDenied(PermissionError):
    """Raised by `require()`; the message never names a patient."""


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class UserAccount(Base):
    __tablename__ = "auth_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_sign_in: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CaseLink(Base):
    __tablename__ = "auth_case_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(String(64), index=True)
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    created_by: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


@dataclass(frozen=True)
class Principal:
    """The one asking. Patients carry the single case their link opens."""

    name: str
    role: Role
    case_id: str | None = None

    @property
    def audit_name(self) -> str:
        # A patient is recorded by their case, never by a name they typed.
        return f"patient-link:{self.case_id}" if self.role is Role.PATIENT else self.name


@dataclass(frozen=True)
class UserInfo:
    username: str
    role: Role
    created_at: dt.datetime
    last_sign_in: dt.datetime | None
    oidc_only: bool = False


def _ensure_tables(sessions: sessionmaker) -> None:
    bind = sessions.kw["bind"]
    # metadata.tables gives the Table type create_all takes (a model's __table__ is typed wider).
    tables = [Base.metadata.tables[m.__tablename__] for m in (UserAccount, CaseLink)]
    Base.metadata.create_all(bind, tables=tables)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Accounts:
    """Coordinator, admin (and optional patient) accounts with argon2 password hashes."""

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions
        _ensure_tables(sessions)

    def add(self, username: str, password: str, role: Role | str) -> UserInfo:
        role = Role(role)
        if not _USERNAME.match(username):
            raise AuthError(
                "user names are 2-64 letters, digits or . _ @ - and start with a letter or digit"
            )
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AuthError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
        with self._sessions.begin() as s:
            if s.scalar(select(UserAccount).where(UserAccount.username == username)):
                raise AuthError(f"user {username!r} already exists")
            row = UserAccount(
                username=username, password_hash=_hasher.hash(password), role=role.value
            )
            s.add(row)
            s.flush()
            return UserInfo(row.username, role, row.created_at, None)

    def add_oidc_only(self, email: str, role: Role | str) -> UserInfo:
        """An account for single sign-on only: named by its e-mail, with no password."""
        role = Role(role)
        email = email.strip()
        if role is Role.PATIENT:
            raise AuthError("patients do not get accounts")
        if not _USERNAME.match(email) or email.count("@") != 1 or email.endswith("@"):
            raise AuthError(
                "single sign-on accounts are named by the e-mail address the identity provider sends"
            )
        with self._sessions.begin() as s:
            if s.scalar(
                select(UserAccount).where(func.lower(UserAccount.username) == email.lower())
            ):
                raise AuthError(f"user {email!r} already exists")
            row = UserAccount(username=email, password_hash=OIDC_ONLY_HASH, role=role.value)
            s.add(row)
            s.flush()
            return UserInfo(row.username, role, row.created_at, None, oidc_only=True)

    def find_by_email(self, email: str) -> list[UserInfo]:
        """Active accounts whose user name equals `email`, ignoring letter case."""
        with self._sessions() as s:
            rows = s.scalars(
                select(UserAccount)
                .where(func.lower(UserAccount.username) == email.strip().lower())
                .where(UserAccount.active.is_(True))
            ).all()
            return [self._info(r) for r in rows]

    def record_sign_in(self, username: str) -> None:
        with self._sessions.begin() as s:
            row = s.scalar(select(UserAccount).where(UserAccount.username == username))
            if row is not None:
                row.last_sign_in = _now()

    @staticmethod
    def _info(r: UserAccount) -> UserInfo:
        return UserInfo(
            r.username,
            Role(r.role),
            r.created_at,
            r.last_sign_in,
            r.password_hash == OIDC_ONLY_HASH,
        )

    def set_password(self, username: str, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AuthError(f"passwords need at least {MIN_PASSWORD_LENGTH} characters")
        with self._sessions.begin() as s:
            row = s.scalar(select(UserAccount).where(UserAccount.username == username))
            if row is None:
                raise AuthError(f"no user {username!r}")
            row.password_hash = _hasher.hash(password)

    def remove(self, username: str) -> bool:
        with self._sessions.begin() as s:
            row = s.scalar(select(UserAccount).where(UserAccount.username == username))
            if row is None:
                return False
            s.delete(row)
            return True

    def list(self) -> list[UserInfo]:
        with self._sessions() as s:
            rows = s.scalars(select(UserAccount).order_by(UserAccount.username)).all()
            return [self._info(r) for r in rows]

    def get(self, username: str) -> UserInfo | None:
        """The live account of that name; None once removed or disabled (ends open sessions)."""
        with self._sessions() as s:
            r = s.scalar(select(UserAccount).where(UserAccount.username == username))
            if r is None or not r.active:
                return None
            return self._info(r)

    def staff_exists(self) -> bool:
        """True once a coordinator or admin can sign in (first-run check)."""
        with self._sessions() as s:
            n = s.scalar(
                select(func.count())
                .select_from(UserAccount)
                .where(UserAccount.role.in_([Role.COORDINATOR.value, Role.ADMIN.value]))
                .where(UserAccount.active.is_(True))
            )
            return bool(n)

    def authenticate(self, username: str, password: str) -> Principal | None:
        """The principal for a correct name and password, else None (same cost either way)."""
        with self._sessions.begin() as s:
            row = s.scalar(select(UserAccount).where(UserAccount.username == username))
            usable = row is not None and row.active and row.password_hash != OIDC_ONLY_HASH
            # Single-sign-on-only accounts still pay for a full verify, so timing
            # does not reveal which accounts have no password.
            stored = row.password_hash if usable else _DUMMY_HASH
            try:
                _hasher.verify(stored, password)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
            if not usable:
                return None
            assert row is not None
            if _hasher.check_needs_rehash(stored):
                row.password_hash = _hasher.hash(password)
            row.last_sign_in = _now()
            return Principal(row.username, Role(row.role))


class CaseLinks:
    """Per-case patient links: the token is shown once, only its sha256 is kept."""

    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions
        _ensure_tables(sessions)

    def issue(self, case_id: str, created_by: str, days: int = DEFAULT_LINK_DAYS) -> str:
        token = secrets.token_urlsafe(LINK_TOKEN_BYTES)
        with self._sessions.begin() as s:
            s.add(
                CaseLink(
                    case_id=str(case_id),
                    token_sha256=token_digest(token),
                    created_by=created_by,
                    expires_at=_now() + dt.timedelta(days=days),
                )
            )
        return token

    def resolve(self, token: str | None) -> str | None:
        """The case a live token opens; None for unknown, revoked or expired tokens."""
        if not token or len(token) > 256:
            return None
        with self._sessions() as s:
            row = s.scalar(select(CaseLink).where(CaseLink.token_sha256 == token_digest(token)))
            if row is None or row.revoked_at is not None or row.expires_at <= _now():
                return None
            return row.case_id

    def revoke(self, token: str) -> bool:
        with self._sessions.begin() as s:
            row = s.scalar(select(CaseLink).where(CaseLink.token_sha256 == token_digest(token)))
            if row is None or row.revoked_at is not None:
                return False
            row.revoked_at = _now()
            return True

    def revoke_case(self, case_id: str) -> int:
        """Revoke every live link of a case (e.g. a link was forwarded to the wrong person)."""
        with self._sessions.begin() as s:
            rows = s.scalars(
                select(CaseLink).where(
                    CaseLink.case_id == str(case_id), CaseLink.revoked_at.is_(None)
                )
            ).all()
            for row in rows:
                row.revoked_at = _now()
            return len(rows)

    def live_count(self, case_id: str) -> int:
        with self._sessions() as s:
            return int(
                s.scalar(
                    select(func.count())
                    .select_from(CaseLink)
                    .where(CaseLink.case_id == str(case_id))
                    .where(CaseLink.revoked_at.is_(None))
                    .where(CaseLink.expires_at > _now())
                )
                or 0
            )


# What each role may do. Patients are further bound to their own case in `allowed`.
_PATIENT_ACTIONS = frozenset({Action.VIEWED, Action.UPLOADED, Action.DOWNLOADED, Action.REMOVED})
_COORDINATOR_ACTIONS = frozenset(
    {
        Action.VIEWED,
        Action.UPLOADED,
        Action.CORRECTED,
        Action.WAIVED,
        Action.DOWNLOADED,
        Action.CREATED,
        Action.LINK_ISSUED,
        Action.LINK_REVOKED,
        Action.LIST_CASES,
        Action.REMOVED,
        Action.RESTORED,
    }
)
_ADMIN_ACTIONS = _COORDINATOR_ACTIONS | {Action.DELETED, Action.AUDIT_VIEWED, Action.AUDIT_EXPORTED}


def allowed(who: Principal | None, action: Action, case_id: str | None = None) -> bool:
    if who is None:
        return False
    if who.role is Role.PATIENT:
        return action in _PATIENT_ACTIONS and case_id is not None and str(case_id) == who.case_id
    if who.role is Role.COORDINATOR:
        return action in _COORDINATOR_ACTIONS
    return action in _ADMIN_ACTIONS


def require(who: Principal | None, action: Action, case_id: str | None = None) -> Principal:
    if not allowed(who, action, case_id):
        raise AccessDenied(f"not allowed: {action.value}")
    assert who is not None
    return who
