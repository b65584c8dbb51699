"""The audit log: who did what to which case and file, and when.

Entries are facts about actions, never document text. They outlive the case:
deleting a case removes its files and results but its audit entries stay, plus
one more saying it was deleted.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import DateTime, Integer, String, select
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker

from checklists.escaping import csv_row
from extractors.names import clean_name
from intake.access.auth import AccessDenied, Action, Principal, allowed
from intake.store.db import Base

_DETAIL_MAX = 300
CSV_COLUMNS = ("when_utc", "who", "role", "action", "case", "file", "detail")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
    actor: Mapped[str] = mapped_column(String(96))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32), index=True)
    # No foreign key on purpose: the entry must survive the case's deletion.
    case_id: Mapped[str | None] = mapped_column(String(64), index=True, nullable=True)
    file: Mapped[str | None] = mapped_column(String(255), nullable=True)
    detail: Mapped[str | None] = mapped_column(String(_DETAIL_MAX), nullable=True)


@dataclass(frozen=True)
class AuditRecord:
    at: dt.datetime
    actor: str
    role: str
    action: str
    case_id: str | None
    file: str | None
    detail: str | None


class AuditLog:
    def __init__(self, sessions: sessionmaker) -> None:
        self._sessions = sessions
        # metadata.tables gives the Table type create_all takes (a model's __table__ is typed wider).
        table = Base.metadata.tables[AuditEntry.__tablename__]
        Base.metadata.create_all(sessions.kw["bind"], tables=[table])

    def record(
        self,
        who: Principal | str,
        action: Action | str,
        case_id: str | int | None = None,
        file: str | None = None,
        detail: str | None = None,
        role: str | None = None,
    ) -> None:
        """Append one entry. `detail` is a short reason or field name, never document text."""
        if isinstance(who, Principal):
            actor, role = who.audit_name, who.role.value
        else:
            actor, role = who, role or "anonymous"
        with self._sessions.begin() as s:
            s.add(
                AuditEntry(
                    actor=clean_name(actor, 96),
                    role=role,
                    action=Action(action).value,
                    case_id=None if case_id is None else str(case_id),
                    file=None if file is None else clean_name(file, 255),
                    detail=None if detail is None else detail[:_DETAIL_MAX],
                )
            )

    def entries(
        self,
        case_id: str | int | None = None,
        actions: Iterable[Action | str] | None = None,
        limit: int | None = None,
    ) -> list[AuditRecord]:
        """Newest first."""
        q = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        if case_id is not None:
            q = q.where(AuditEntry.case_id == str(case_id))
        if actions is not None:
            q = q.where(AuditEntry.action.in_([Action(a).value for a in actions]))
        if limit is not None:
            q = q.limit(limit)
        with self._sessions() as s:
            return [
                AuditRecord(r.at, r.actor, r.role, r.action, r.case_id, r.file, r.detail)
                for r in s.scalars(q)
            ]

    def export_csv(self, who: Principal, case_id: str | int | None = None) -> str:
        """The log as CSV (oldest first), for admins only; the export itself is audited."""
        if not allowed(who, Action.AUDIT_EXPORTED):
            raise AccessDenied("not allowed: audit export")
        rows = list(reversed(self.entries(case_id=case_id)))
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(CSV_COLUMNS)
        for r in rows:
            w.writerow(
                csv_row(
                    [
                        r.at.isoformat(timespec="seconds"),
                        r.actor,
                        r.role,
                        r.action,
                        r.case_id or "",
                        r.file or "",
                        r.detail or "",
                    ]
                )
            )
        self.record(who, Action.AUDIT_EXPORTED, case_id=case_id, detail=f"{len(rows)} entries")
        return buf.getvalue()

    def delete_case(
        self, who: Principal, case_id: str | int, remover: Callable[[str], object]
    ) -> None:
        """Remove a case's files and results with `remover` (the store's deletion), keep the facts.

        The intent is written first, so a crash half-way still leaves a trace of who
        started the deletion.
        """
        if not allowed(who, Action.DELETED, str(case_id)):
            raise AccessDenied("not allowed: delete case")
        self.record(who, Action.DELETED, case_id=case_id, detail="deletion started")
        remover(str(case_id))
        self.record(who, Action.DELETED, case_id=case_id, detail="files and results removed")
