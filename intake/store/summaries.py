"""The case list's stored per-case summaries: saved when a case changes, read a page at a time.

The counts themselves (a checklist's gaps) are made above the store, which knows nothing of
checklists; the store keeps them with the case's change stamp and answers the list's
search, filters, order and paging in SQL, so a view of the list costs the same with 50
cases or 10,000.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError

from intake.store.base import StoreBase
from intake.store.kinds import HOLDING_PREFIX
from intake.store.records import Case, case_of
from intake.store.tables import CaseRow, CaseSummaryRow, now

State = Literal["no_files", "reading", "ready", "not_ready"]
STATES: tuple[State, ...] = ("no_files", "reading", "ready", "not_ready")
# Until its summary is first made, a case is listed under this state.
UPDATING = "updating"
_Q = TypeVar("_Q", bound=Select)
Sort = Literal["last_upload", "most_missing", "program", "name"]


@dataclass(frozen=True)
class SummaryCounts:
    """What the case list shows of one case, as of its stamp."""

    files: int = 0
    reading: int = 0
    documents: int = 0
    ready: bool | None = None
    missing: int = 0
    stale: int = 0
    problems: int = 0
    patient: str = ""
    last_upload: dt.datetime | None = None

    @property
    def state(self) -> State:
        if self.files == 0:
            return "no_files"
        if self.reading:
            return "reading"
        return "ready" if self.ready else "not_ready"


@dataclass(frozen=True)
class ListedCase:
    case: Case
    counts: SummaryCounts | None  # None until the case's summary is first made
    current: bool  # False while the stored counts are older than the case's last change


@dataclass(frozen=True)
class CaseListPage:
    rows: list[ListedCase]
    total: int  # cases matching the search and filters
    offset: int


def _listed() -> ColumnElement[bool]:
    """Cases the list shows: holding areas (an inbox's loose files) are not cases."""
    return or_(CaseRow.source.is_(None), ~CaseRow.source.startswith(HOLDING_PREFIX))


def _current(basis: str) -> ColumnElement[bool]:
    return and_(CaseSummaryRow.stamp == CaseRow.updated_at, CaseSummaryRow.basis == basis)


def _state_col() -> ColumnElement[Any]:
    return func.coalesce(CaseSummaryRow.state, UPDATING)


def _order(sort: Sort) -> list[Any]:
    name = func.lower(CaseRow.name)
    cols: list[Any]
    if sort == "most_missing":
        cols = [
            func.coalesce(CaseSummaryRow.missing, 0).desc(),
            func.coalesce(CaseSummaryRow.stale, 0).desc(),
            func.coalesce(CaseSummaryRow.problems, 0).desc(),
        ]
    elif sort == "program":
        cols = [CaseRow.program, name]
    elif sort == "name":
        cols = [name]
    else:
        cols = [func.coalesce(CaseSummaryRow.last_upload, CaseRow.created_at).desc()]
    return [*cols, CaseRow.id]  # a total order, so pages never repeat or skip a case


def _values(stamp: dt.datetime, basis: str, counts: SummaryCounts) -> dict[str, Any]:
    return {
        "stamp": stamp,
        "basis": basis,
        "state": counts.state,
        "files": counts.files,
        "reading": counts.reading,
        "documents": counts.documents,
        "ready": counts.ready,
        "missing": counts.missing,
        "stale": counts.stale,
        "problems": counts.problems,
        "patient": counts.patient[:512],
        "last_upload": counts.last_upload,
        "computed_at": now(),
    }


def _counts(r: CaseSummaryRow) -> SummaryCounts:
    return SummaryCounts(
        files=r.files,
        reading=r.reading,
        documents=r.documents,
        ready=r.ready,
        missing=r.missing,
        stale=r.stale,
        problems=r.problems,
        patient=r.patient,
        last_upload=r.last_upload,
    )


class SummaryOps(StoreBase):
    def save_summary(
        self, case_id: str, stamp: dt.datetime, basis: str, counts: SummaryCounts
    ) -> None:
        """Store a case's counts as made from its state at `stamp` (its updated_at then)."""
        self.save_summaries([(case_id, stamp, basis, counts)])

    def save_summaries(self, made: Sequence[tuple[str, dt.datetime, str, SummaryCounts]]) -> None:
        """Store several cases' counts in one transaction (a backfill commits per batch, not
        per case: each commit waits for the disk)."""
        for _ in range(2):  # another process may insert a row between our look and ours
            try:
                with self._session() as s:
                    for case_id, stamp, basis, counts in made:
                        case = s.get(CaseRow, case_id)
                        if case is None:
                            continue  # deleted meanwhile
                        values = _values(stamp, basis, counts)
                        values["search"] = f"{counts.patient} {case.name}".casefold()[:1100]
                        row = s.get(CaseSummaryRow, case_id)
                        if row is None:
                            s.add(CaseSummaryRow(case_id=case_id, **values))
                        else:
                            for k, v in values.items():
                                setattr(row, k, v)
                return
            except IntegrityError:
                continue

    def outdated_summaries(self, basis: str, limit: int = 1000) -> list[tuple[str, dt.datetime]]:
        """(case id, its stamp now) of listed cases whose summary is missing or out of date,
        the most recently changed first (those are the ones a coordinator looks for)."""
        q = (
            select(CaseRow.id, CaseRow.updated_at)
            .outerjoin(CaseSummaryRow, CaseSummaryRow.case_id == CaseRow.id)
            .where(_listed(), or_(CaseSummaryRow.case_id.is_(None), ~_current(basis)))
            .order_by(CaseRow.updated_at.desc(), CaseRow.id)
            .limit(limit)
        )
        with self._session() as s:
            return [(cid, at) for cid, at in s.execute(q)]

    def case_list(
        self,
        basis: str,
        *,
        query: str = "",
        states: Sequence[str] = (),
        programs: Sequence[str] = (),
        sort: Sort = "last_upload",
        offset: int = 0,
        limit: int = 50,
    ) -> CaseListPage:
        """One page of the case list: name or patient containing `query` (any case), in one
        of `states` (see SummaryCounts.state, or UPDATING) and `programs` (ids), in order."""
        q = _filtered(select(CaseRow, CaseSummaryRow, _current(basis)), query, states, programs)
        count = _filtered(select(func.count(CaseRow.id)), query, states, programs)
        offset = max(0, offset)
        with self._session() as s:
            total = s.scalar(count) or 0
            rows = s.execute(q.order_by(*_order(sort)).offset(offset).limit(max(1, limit))).all()
            listed = [
                ListedCase(
                    case=case_of(c),
                    counts=_counts(sr) if sr is not None else None,
                    current=bool(cur) if sr is not None else False,
                )
                for c, sr, cur in rows
            ]
        return CaseListPage(rows=listed, total=total, offset=offset)

    def case_list_totals(self) -> dict[str, int]:
        """How many listed cases are in each state (UPDATING: no summary yet), and 'all'."""
        # Grouped by the column itself (PostgreSQL does not match a bound parameter in a
        # grouped expression with the same one in the select list); no row is UPDATING.
        q = (
            select(CaseSummaryRow.state, func.count(CaseRow.id))
            .select_from(CaseRow)
            .outerjoin(CaseSummaryRow, CaseSummaryRow.case_id == CaseRow.id)
            .where(_listed())
            .group_by(CaseSummaryRow.state)
        )
        with self._session() as s:
            got = {str(state or UPDATING): int(n) for state, n in s.execute(q)}
        return {"all": sum(got.values()), **got}

    def case_programs(self) -> list[str]:
        """The programs listed cases are checked against (for the list's program filter)."""
        q = select(CaseRow.program).where(_listed(), CaseRow.program.is_not(None)).distinct()
        with self._session() as s:
            return sorted(p for p in s.scalars(q) if p)


def _filtered(q: _Q, query: str, states: Sequence[str], programs: Sequence[str]) -> _Q:
    q = (
        q.select_from(CaseRow)
        .outerjoin(CaseSummaryRow, CaseSummaryRow.case_id == CaseRow.id)
        .where(_listed())
    )
    text = query.strip().casefold()
    if text:
        q = q.where(
            or_(
                func.lower(CaseRow.name).contains(text, autoescape=True),
                func.coalesce(CaseSummaryRow.search, "").contains(text, autoescape=True),
            )
        )
    if states:
        q = q.where(_state_col().in_(list(states)))
    if programs:
        q = q.where(CaseRow.program.in_(list(programs)))
    return q
