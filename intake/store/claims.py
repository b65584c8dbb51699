"""The work queue: files are claimed for reading by an owner, kept by a lease, released.

A claim records this process as its owner (`owners.owner_id`) and is kept alive by a
heartbeat (`leases.Heartbeat`), so `requeue_orphaned` can tell a live reader's files from
a dead one's.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from intake.store.base import StoreBase
from intake.store.db import affected
from intake.store.kinds import FileStatus
from intake.store.leases import LEASE_S, Heartbeat
from intake.store.owners import is_gone, owner_id
from intake.store.records import StoredFile, file_of
from intake.store.stamps import touch_case_of_file
from intake.store.tables import CaseRow, FileRow, now

# Another process may win each race for the oldest queued file; give up after this many.
_CLAIM_TRIES = 20


class ClaimOps(StoreBase):
    def set_status(
        self,
        file_id: int,
        status: FileStatus,
        error_code: str | None = None,
        error_message: str | None = None,
    ) -> None:
        """Set a file's status; 'processing' claims it for this process, any other releases it."""
        processing = status is FileStatus.PROCESSING
        with self._session() as s:
            s.execute(
                update(FileRow)
                .where(FileRow.id == file_id)
                .values(
                    status=status.value,
                    error_code=error_code,
                    error_message=error_message,
                    updated_at=now(),
                    claimed_by=owner_id() if processing else None,
                )
            )
            touch_case_of_file(s, file_id)
        if processing:
            self._keep_claims_alive()

    def enqueue(self, file_id: int) -> None:
        """Ask for a file to be (re)processed by whichever worker claims it next."""
        with self._session() as s:
            s.execute(
                update(FileRow)
                .where(FileRow.id == file_id)
                .values(
                    status=FileStatus.QUEUED.value,
                    error_code=None,
                    error_message=None,
                    pages_done=0,
                    updated_at=now(),
                    claimed_by=None,
                )
            )
            touch_case_of_file(s, file_id)

    def claim_next(
        self, case_id: str | None = None, unsourced_only: bool = False
    ) -> StoredFile | None:
        """Atomically take the oldest queued file (optionally of one case) for processing.

        `unsourced_only` skips cases with an outside key (batch inbox folders and holding
        areas): their runner stores a whole inbox as queued before reading it, and
        re-lists and reads it again when restarted.
        """
        q = _queued(unsourced_only)
        if case_id is not None:
            q = q.where(FileRow.case_id == case_id)
        for _ in range(_CLAIM_TRIES):
            with self._session() as s:
                file_id = s.scalars(q.order_by(FileRow.id).limit(1)).first()
                if file_id is None:
                    return None
                claimed = _take(s, file_id)
            if claimed is not None:
                self._keep_claims_alive()
                return claimed
        return None

    def renew_claims(self, owner: str | None = None) -> int:
        """Renew the lease of every file `owner` (this process) is reading; returns how many."""
        with self._session() as s:
            res = s.execute(
                update(FileRow)
                .where(
                    FileRow.status == FileStatus.PROCESSING.value,
                    FileRow.claimed_by == (owner or owner_id()),
                )
                .values(updated_at=now())
            )
            return affected(res)

    def requeue_orphaned(self, lease_s: float = LEASE_S, include_own: bool = False) -> int:
        """Put back in the queue the 'processing' files whose reader is gone; returns how many.

        A claim is orphaned when its owner ran on this host and is no longer alive (the pid
        is gone, is another process now, or the machine rebooted), or when its lease was not
        renewed for `lease_s` seconds (an owner on another host, a hung one, or a claim made
        by a version without owners). Claims of live readers, here or elsewhere, are left
        alone. `include_own`: the caller holds no claim in flight, so this process's own
        claims are leftovers too (a run that starts after an earlier one in the process died).
        """
        cutoff = now() - dt.timedelta(seconds=lease_s)
        me = owner_id()
        with self._session() as s:
            rows = s.execute(
                select(FileRow.id, FileRow.claimed_by, FileRow.updated_at).where(
                    FileRow.status == FileStatus.PROCESSING.value
                )
            ).all()
            return sum(
                _release(s, fid, owner, renewed)
                for fid, owner, renewed in rows
                if _is_orphaned(owner, renewed, me=me, cutoff=cutoff, include_own=include_own)
            )

    def requeue_stale(self) -> int:
        """At the start of a run: re-queue files left 'processing' by a killed run.

        Files a live reader elsewhere (the app, another batch) is reading are kept; this
        process's own earlier claims count as leftovers (see `requeue_orphaned`).
        """
        return self.requeue_orphaned(include_own=True)

    def queued_cases(self, unsourced_only: bool = False) -> list[str]:
        """Cases with a file waiting in the queue, the longest waiting first."""
        q = _queued(unsourced_only).add_columns(FileRow.case_id).order_by(FileRow.id)
        with self._session() as s:
            return list(dict.fromkeys(case_id for _, case_id in s.execute(q)))

    def has_queued(self, unsourced_only: bool = False) -> bool:
        """Whether any file waits in the queue (see `claim_next` for `unsourced_only`)."""
        with self._session() as s:
            return s.scalars(_queued(unsourced_only).limit(1)).first() is not None

    def _keep_claims_alive(self) -> None:
        Heartbeat.ensure(self.settings.database_url, self.renew_claims)


def _queued(unsourced_only: bool) -> Select[Any]:
    """The ids of queued files, optionally only those of cases without an outside key."""
    q = select(FileRow.id).where(FileRow.status == FileStatus.QUEUED.value)
    if unsourced_only:
        q = q.join(CaseRow, CaseRow.id == FileRow.case_id).where(CaseRow.source.is_(None))
    return q


def _take(s: Session, file_id: int) -> StoredFile | None:
    """Claim a queued file for this process; None when another process claimed it first."""
    # Compare-and-set: another process may have claimed it since we looked.
    res = s.execute(
        update(FileRow)
        .where(FileRow.id == file_id, FileRow.status == FileStatus.QUEUED.value)
        .values(status=FileStatus.PROCESSING.value, updated_at=now(), claimed_by=owner_id())
    )
    row = s.get(FileRow, file_id)
    return file_of(row) if row is not None and affected(res) == 1 else None


def _is_orphaned(
    owner: str | None, renewed: dt.datetime, *, me: str, cutoff: dt.datetime, include_own: bool
) -> bool:
    if include_own and owner == me:
        return True
    return owner != me and (renewed < cutoff or (owner is not None and is_gone(owner)))


def _release(s: Session, file_id: int, owner: str | None, renewed: dt.datetime) -> int:
    """Put an orphaned claim back in the queue; 0 when it was renewed or taken over meanwhile."""
    # Compare-and-set on the claim seen ("<=": an equal instant may be stored in another text
    # form).
    res = s.execute(
        update(FileRow)
        .where(
            FileRow.id == file_id,
            FileRow.status == FileStatus.PROCESSING.value,
            FileRow.claimed_by.is_(None) if owner is None else FileRow.claimed_by == owner,
            FileRow.updated_at <= renewed,
        )
        .values(status=FileStatus.QUEUED.value, updated_at=now(), claimed_by=None)
    )
    return affected(res)
