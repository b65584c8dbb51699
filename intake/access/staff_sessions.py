"""Staff sessions kept on the server, so a reload or a new tab stays signed in and a
sign-out ends the session in every tab at once.

A session row is opened when someone signs in. The browser gets it only through
an HttpOnly cookie set by an HTTP route (ui/app/session_routes.py), because a
Streamlit page can only run over its websocket: the page hands the browser a
one-time code (60 s) that the route exchanges for the cookie's token. Like patient
links, neither the code nor the token is stored, only their sha256; the token is
256 random bits, so nothing can be forged without the row, and the row is checked
on every rerun (revoked, expired, idle, account removed).
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from sqlalchemy import DateTime, Integer, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from intake.access.auth import token_digest
from intake.store.db import Base, affected

SESSION_TOKEN_BYTES = 32
HANDOFF_SECONDS = 60
IDLE_SECONDS = 30 * 60
LIFETIME_SECONDS = 12 * 60 * 60
# Writing last_seen on every rerun would be a write per click; a minute is precise enough
# for a 30-minute idle limit.
_TOUCH_SECONDS = 60


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class StaffSession(Base):
    __tablename__ = "auth_staff_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    token_sha256: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True, nullable=True
    )
    handoff_sha256: Mapped[str | None] = mapped_column(
        String(64), unique=True, index=True, nullable=True
    )
    handoff_expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


@dataclass(frozen=True)
class Opened:
    """A new session: its id (for the tab that signed in) and the one-time cookie code."""

    session_id: int
    handoff: str


class StaffSessions:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions
        Base.metadata.create_all(
            sessions.kw["bind"], tables=[Base.metadata.tables[StaffSession.__tablename__]]
        )

    def open(self, username: str) -> Opened:
        code = secrets.token_urlsafe(SESSION_TOKEN_BYTES)
        now = _now()
        with self._sessions.begin() as s:
            row = StaffSession(
                username=username,
                handoff_sha256=token_digest(code),
                handoff_expires_at=now + dt.timedelta(seconds=HANDOFF_SECONDS),
                created_at=now,
                last_seen_at=now,
                expires_at=now + dt.timedelta(seconds=LIFETIME_SECONDS),
            )
            s.add(row)
            s.flush()
            return Opened(row.id, code)

    def claim(self, code: str | None) -> str | None:
        """The cookie token for a live one-time code (which is then spent), else None."""
        if not code or len(code) > 256:
            return None
        token = secrets.token_urlsafe(SESSION_TOKEN_BYTES)
        now = _now()
        with self._sessions.begin() as s:
            row = s.scalar(
                select(StaffSession).where(StaffSession.handoff_sha256 == token_digest(code))
            )
            if row is None or not self._live(row, now) or row.handoff_expires_at is None:
                return None
            if row.handoff_expires_at <= now:
                return None
            row.handoff_sha256 = None
            row.handoff_expires_at = None
            row.token_sha256 = token_digest(token)
            row.last_seen_at = now
        return token

    @staticmethod
    def _live(row: StaffSession, now: dt.datetime) -> bool:
        return (
            row.revoked_at is None
            and row.expires_at > now
            and now - row.last_seen_at <= dt.timedelta(seconds=IDLE_SECONDS)
        )

    def _check(self, where: object) -> tuple[int, str] | None:
        now = _now()
        with self._sessions.begin() as s:
            row = s.scalar(select(StaffSession).where(where))  # type: ignore[arg-type]
            if row is None or not self._live(row, now):
                return None
            if now - row.last_seen_at >= dt.timedelta(seconds=_TOUCH_SECONDS):
                row.last_seen_at = now
            return row.id, row.username

    def by_token(self, token: str | None) -> tuple[int, str] | None:
        """(session id, user name) for a live cookie token; touches its idle clock."""
        if not token or len(token) > 256:
            return None
        return self._check(StaffSession.token_sha256 == token_digest(token))

    def by_id(self, session_id: int) -> str | None:
        """The user name of a live session; touches its idle clock."""
        found = self._check(StaffSession.id == int(session_id))
        return found[1] if found else None

    def revoke(self, session_id: int) -> bool:
        with self._sessions.begin() as s:
            done = s.execute(
                update(StaffSession)
                .where(StaffSession.id == int(session_id), StaffSession.revoked_at.is_(None))
                .values(revoked_at=_now(), handoff_sha256=None)
            )
            return bool(affected(done))

    def revoke_token(self, token: str | None) -> bool:
        found = self.by_token(token)
        return self.revoke(found[0]) if found else False

    def revoke_user(self, username: str) -> int:
        """End every session of an account (its removal, a password reset)."""
        with self._sessions.begin() as s:
            done = s.execute(
                update(StaffSession)
                .where(StaffSession.username == username, StaffSession.revoked_at.is_(None))
                .values(revoked_at=_now(), handoff_sha256=None)
            )
            return affected(done)
