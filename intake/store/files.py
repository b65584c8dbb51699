"""A case's files: originals stored durably in the blob folder, recorded per name + content."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from extractors.names import clean_name
from intake.store.base import StoreBase
from intake.store.kinds import FileStatus
from intake.store.records import Progress, StoredFile, file_of
from intake.store.stamps import touch_case, touch_case_of_file
from intake.store.tables import FileRow, now


class FileOps(StoreBase):
    def add_file(self, case_id: str, name: str, data: bytes) -> StoredFile:
        """Store bytes durably, then record them in the case (idempotent per name + content)."""
        sha = self.blobs.put(data)
        return self._record_file(case_id, name, sha, len(data))

    def add_path(self, case_id: str, path: Path, name: str | None = None) -> StoredFile:
        """Like add_file, streaming from disk; `name` defaults to the file name."""
        sha, size = self.blobs.put_file(path)
        return self._record_file(case_id, name or path.name, sha, size)

    def attach(self, case_id: str, name: str, source_id: int) -> StoredFile:
        """Record file `source_id`'s bytes in (another) case under `name`, as already read.

        A loose file filed into a case was read under its loose row; the new row takes that
        row's outcome (done, or its error, and its page counts). Born 'queued', it waited
        for a reader that never came (the batch does not read a file twice and the app's
        reader leaves batch cases to their runner): the app showed the case as reading
        for ever and its report lacked the file.
        """
        with self._session() as s:
            src = s.get(FileRow, source_id)
            if src is None or not self.blobs.exists(src.sha256):
                raise FileNotFoundError("no stored original for that file")
            sha, size = src.sha256, src.size
            outcome = {
                "status": src.status,
                "error_code": src.error_code,
                "error_message": src.error_message,
                "pages_done": src.pages_done,
                "pages_total": src.pages_total,
            }
        row = self._record_file(case_id, name, sha, size)
        with self._session() as s:
            s.execute(update(FileRow).where(FileRow.id == row.id).values(**outcome))
            touch_case(s, case_id)
            got = s.get(FileRow, row.id)
            assert got is not None
            return file_of(got)

    def _record_file(self, case_id: str, name: str, sha: str, size: int) -> StoredFile:
        # Every way in (an upload, an inbox path, a filed loose file) comes through here.
        name = clean_name(name)
        with self._session() as s:
            row = s.scalars(
                select(FileRow).where(
                    FileRow.case_id == case_id, FileRow.name == name, FileRow.sha256 == sha
                )
            ).one_or_none()
            _supersede_others(s, case_id, name, sha)
            if row is None:
                row = FileRow(case_id=case_id, name=name, sha256=sha, size=size)
                s.add(row)
            elif row.status == FileStatus.SUPERSEDED.value:
                # The name went back to these bytes: they are current again.
                row.status = FileStatus.QUEUED.value
            if row.removed_at is not None:
                row.removed_at = None  # sent again after it was removed: it is back
            # Even an upload already recorded may have superseded another file of the name.
            touch_case(s, case_id)
            s.flush()
            return file_of(row)

    def files(
        self, case_id: str, include_superseded: bool = False, include_removed: bool = False
    ) -> list[StoredFile]:
        q = select(FileRow).where(FileRow.case_id == case_id)
        if not include_superseded:
            q = q.where(FileRow.status != FileStatus.SUPERSEDED.value)
        if not include_removed:
            q = q.where(FileRow.removed_at.is_(None))
        with self._session() as s:
            return [file_of(r) for r in s.scalars(q.order_by(FileRow.name, FileRow.id))]

    def files_by_case(self) -> dict[str, list[StoredFile]]:
        """Every case's current files in one query (the case list), as files() gives them."""
        q = select(FileRow).where(
            FileRow.status != FileStatus.SUPERSEDED.value, FileRow.removed_at.is_(None)
        )
        out: dict[str, list[StoredFile]] = {}
        with self._session() as s:
            for r in s.scalars(q.order_by(FileRow.name, FileRow.id)):
                out.setdefault(r.case_id, []).append(file_of(r))
        return out

    def get_file(self, file_id: int) -> StoredFile | None:
        with self._session() as s:
            row = s.get(FileRow, file_id)
            return file_of(row) if row else None

    def set_removed(self, file_id: int, removed: bool) -> None:
        """Take an upload out of its case (or put it back); its row and bytes are kept."""
        with self._session() as s:
            row = s.get(FileRow, file_id)
            if row is not None:
                row.removed_at = now() if removed else None
                row.updated_at = now()
                touch_case(s, row.case_id)

    def remove_file(self, file_id: int) -> None:
        with self._session() as s:
            touch_case_of_file(s, file_id)
            s.execute(delete(FileRow).where(FileRow.id == file_id))

    def file_bytes(self, f: StoredFile) -> bytes:
        return self.blobs.get(f.sha256)

    def set_progress(self, file_id: int, pages_done: int, pages_total: int) -> None:
        with self._session() as s:
            s.execute(
                update(FileRow)
                .where(FileRow.id == file_id)
                .values(pages_done=pages_done, pages_total=pages_total, updated_at=now())
            )

    def progress(self, case_id: str | None = None) -> Progress:
        q = select(FileRow).where(
            FileRow.status != FileStatus.SUPERSEDED.value, FileRow.removed_at.is_(None)
        )
        if case_id is not None:
            q = q.where(FileRow.case_id == case_id)
        with self._session() as s:
            rows = list(s.scalars(q))
        return Progress(
            files_total=len(rows),
            files_done=sum(r.status == FileStatus.DONE.value for r in rows),
            files_error=sum(r.status == FileStatus.ERROR.value for r in rows),
            pages_done=sum(r.pages_done for r in rows),
            pages_total=sum(r.pages_total for r in rows),
        )


def _supersede_others(s: Session, case_id: str, name: str, sha: str) -> None:
    """The name now holds `sha`: its files with other bytes are superseded."""
    s.execute(
        update(FileRow)
        .where(FileRow.case_id == case_id, FileRow.name == name, FileRow.sha256 != sha)
        .values(status=FileStatus.SUPERSEDED.value, updated_at=now())
    )
