"""The app's one door to the case store, the reading pipeline and the checklists.

Pages call these methods and never touch the store directly, so that every
state-changing call also writes its audit entry. Authorization is checked by the
pages (with `context.guard`) *and* again here for anything that changes or
reveals a case, so a page that forgets cannot leak.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

from checklists.corrections import Corrections, DocumentCorrection, Waiver, changed_fields
from checklists.models import Program
from checklists.render import SUFFIX, render_download
from checklists.report import Report
from checklists.wording import View
from extractors.vocabulary import DocType, Patient
from intake.access.audit import AuditLog
from intake.access.auth import AccessDenied, Action, CaseLinks, Principal, allowed
from intake.batch.cases import corrections_for
from intake.casework import reader as pipeline
from intake.casework import summaries
from intake.casework.counts import download_name
from intake.casework.previews import page_png_cached
from intake.casework.results import evaluate_case, programs
from intake.store import Case, CaseListPage, FileStatus, NoteKind, Store, StoredFile
from intake.store.summaries import Sort


def _require(who: Principal | None, action: Action, case_id: str | None = None) -> Principal:
    if not allowed(who, action, case_id):
        raise AccessDenied(f"not allowed: {action.value}")
    assert who is not None
    return who


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Backend:
    def __init__(self, store: Store, audit: AuditLog, links: CaseLinks) -> None:
        self.store = store
        self.audit = audit
        self.links = links
        # After a restart, uploads acknowledged before it must still be read.
        pipeline.serve(store)

    # --- programs ------------------------------------------------------------------------

    @cached_property
    def programs(self) -> dict[str, Program]:
        return programs()

    def program_title(self, program_id: str | None) -> str:
        prog = self.programs.get(program_id or "")
        return prog.title if prog else (program_id or "No program chosen")

    # --- cases ---------------------------------------------------------------------------

    def start_case(self, program_id: str, who: Principal | None) -> tuple[Case, str]:
        """A new case and the patient link that opens it (shown once, stored hashed).

        Patients may start their own case without an account: that is how they first
        reach the app. Staff starting one on a patient's behalf are recorded by name.
        """
        if program_id not in self.programs:
            raise ValueError("unknown program")
        actor = who.audit_name if who else "patient-self-service"
        case = self.store.create_case(
            name=f"Case {_now():%Y-%m-%d %H:%M}", program=program_id, as_of=None
        )
        token = self.links.issue(case.id, created_by=actor)
        if who is None:
            self.audit.record(
                actor, Action.CREATED, case_id=case.id, role="patient", detail=program_id
            )
        else:
            self.audit.record(who, Action.CREATED, case_id=case.id, detail=program_id)
        return case, token

    def case(self, who: Principal | None, case_id: str) -> Case | None:
        _require(who, Action.VIEWED, case_id)
        return self.store.get_case(case_id)

    def update_details(
        self,
        who: Principal,
        case_id: str,
        *,
        name: str,
        program: str,
        as_of: dt.date | None,
        patient: dict[str, str],
    ) -> None:
        """Case-level facts a coordinator sets: the review date and who the patient is."""
        _require(who, Action.CORRECTED, case_id)
        if program not in self.programs:
            raise ValueError("unknown program")
        clean = {
            k: v.strip()
            for k, v in patient.items()
            if k in ("name", "dob", "mrn", "sex") and v and v.strip()
        }
        self.store.update_case(
            case_id,
            name=name.strip()[:200] or "Unnamed case",
            program=program,
            as_of=as_of,
            patient=clean,
        )
        # Which details changed is enough: the values may identify the patient.
        self.audit.record(who, Action.CORRECTED, case_id=case_id, detail="case details")
        self._changed(case_id)

    def history(self, who: Principal, case_id: str) -> list[dict[str, str]]:
        """Corrections and waivers with who made them and when (newest first)."""
        _require(who, Action.VIEWED, case_id)
        rows = []
        for n in reversed(self.store.notes(case_id, include_withdrawn=True)):
            p = n.payload
            if n.kind is NoteKind.WAIVER:
                what = f"Waived {p.get('requirement_id')}: {p.get('reason', '')}"
            else:
                changed = [
                    k
                    for k in ("doc_type", "document_date", "patient", "other_patient")
                    if p.get(k) is not None
                ]
                what = f"Corrected {p.get('document_id')}: " + ", ".join(
                    f"{k} = {p[k]}" if k != "patient" else "identity" for k in changed
                )
            rows.append(
                {
                    "When (UTC)": f"{n.created_at:%Y-%m-%d %H:%M}",
                    "Who": n.author,
                    "What": what,
                    "State": "withdrawn" if n.withdrawn_at else "in force",
                }
            )
        return rows

    def rename_case(self, who: Principal, case_id: str, name: str) -> None:
        _require(who, Action.CORRECTED, case_id)
        self.store.update_case(case_id, name=name.strip()[:200] or "Unnamed case")
        self.audit.record(who, Action.CORRECTED, case_id=case_id, detail="case name")
        self._changed(case_id)

    def issue_link(self, who: Principal, case_id: str) -> str:
        _require(who, Action.LINK_ISSUED, case_id)
        token = self.links.issue(case_id, created_by=who.audit_name)
        self.audit.record(who, Action.LINK_ISSUED, case_id=case_id)
        return token

    def revoke_links(self, who: Principal, case_id: str) -> int:
        _require(who, Action.LINK_REVOKED, case_id)
        n = self.links.revoke_case(case_id)
        self.audit.record(who, Action.LINK_REVOKED, case_id=case_id, detail=f"{n} link(s)")
        return n

    def delete_case(self, who: Principal, case_id: str) -> None:
        # Checked before anything changes: a refused delete must leave the links working.
        _require(who, Action.DELETED, case_id)
        self.links.revoke_case(case_id)
        self.audit.delete_case(who, case_id, self.store.delete_case)

    def case_list(
        self,
        who: Principal,
        *,
        query: str = "",
        states: tuple[str, ...] = (),
        programs: tuple[str, ...] = (),
        sort: Sort = "last_upload",
        offset: int = 0,
        limit: int = 50,
    ) -> tuple[CaseListPage, dict[str, int], bool]:
        """A page of the case list from the stored summaries, the counts per state, and
        whether summaries are still being brought up to date in the background.

        Summaries out of date (a batch run, a new day, a store an earlier version made) are
        made first for up to LIST_BUDGET_S, the most recently changed first; the rest in the
        background, so a view of 10,000 cases never waits for 10,000 evaluations.
        """
        _require(who, Action.LIST_CASES)
        done = summaries.refresh_outdated(
            self.store, self.programs, summaries.LIST_BUDGET_S, batch=5
        )
        updating = not done and summaries.catch_up(self.store, self.programs)
        page = self.store.case_list(
            summaries.summary_basis(self.programs),
            query=query,
            states=states,
            programs=programs,
            sort=sort,
            offset=offset,
            limit=limit,
        )
        return page, self.store.case_list_totals(), updating or summaries.catching_up(self.store)

    def _changed(self, case_id: str) -> None:
        """Staff changed the case: its list row is made again now, not on the next view."""
        summaries.refresh(self.store, [case_id], self.programs)

    # --- files ---------------------------------------------------------------------------

    def upload(self, who: Principal, case_id: str, name: str, data: bytes) -> StoredFile:
        """Store the bytes durably, queue them for reading and start the background reader."""
        _require(who, Action.UPLOADED, case_id)
        f = self.store.add_file(case_id, name, data)
        if f.status is not FileStatus.DONE:
            self.store.enqueue(f.id)
        self.audit.record(
            who, Action.UPLOADED, case_id=case_id, file=name, detail=f"{len(data)} bytes"
        )
        pipeline.reader().wake(self.store, case_id)
        return f

    def reread(self, who: Principal, case_id: str, file_id: int) -> None:
        """Queue a file to be read again (e.g. left half-read by a server restart)."""
        _require(who, Action.CORRECTED, case_id)
        f = self.store.get_file(file_id)
        if f is None or f.case_id != case_id:
            raise AccessDenied("not allowed: file")
        self.store.enqueue(file_id)
        self.audit.record(who, Action.UPLOADED, case_id=case_id, file=f.name, detail="read again")
        pipeline.reader().wake(self.store, case_id)

    def files(self, who: Principal, case_id: str) -> list[StoredFile]:
        _require(who, Action.VIEWED, case_id)
        return self.store.files(case_id)

    def removed_files(self, who: Principal, case_id: str) -> list[StoredFile]:
        """Uploads taken out of the case, for the care team to see and put back."""
        _require(who, Action.RESTORED, case_id)
        return [f for f in self.store.files(case_id, include_removed=True) if f.removed_at]

    def set_removed(self, who: Principal, case_id: str, file_id: int, removed: bool) -> None:
        """Take an upload out of the checklist (a patient's mistake) or put it back (staff).

        Never deleted: the row and the original stay, and the audit log says who did it."""
        action = Action.REMOVED if removed else Action.RESTORED
        _require(who, action, case_id)
        f = self.store.get_file(file_id)
        if f is None or f.case_id != case_id:
            raise AccessDenied("not allowed: file")
        self.store.set_removed(file_id, removed)
        self.audit.record(who, action, case_id=case_id, file=f.name)
        self._changed(case_id)

    def file_bytes(self, who: Principal, case_id: str, file_id: int) -> tuple[StoredFile, bytes]:
        """A file's original bytes, only if it belongs to a case `who` may see."""
        _require(who, Action.VIEWED, case_id)
        f = self.store.get_file(file_id)
        if f is None or f.case_id != case_id:
            raise AccessDenied("not allowed: file")
        return f, self.store.file_bytes(f)

    def page_image(
        self, who: Principal, case_id: str, file_id: int, member: str, page: int
    ) -> bytes | None:
        _require(who, Action.VIEWED, case_id)
        f = self.store.get_file(file_id)
        if f is None or f.case_id != case_id:
            raise AccessDenied("not allowed: file")
        return page_png_cached(str(self.store.blobs.path(f.sha256)), f.sha256, f.name, member, page)

    def reading(self, case_id: str) -> bool:
        return any(
            f.status in (FileStatus.QUEUED, FileStatus.PROCESSING)
            for f in self.store.files(case_id)
        )

    # --- the report ----------------------------------------------------------------------

    def corrections(self, case_id: str) -> Corrections:
        # The batch runner reads the same notes the same way, so corrections made here
        # survive a batch re-run of the case and vice versa.
        return corrections_for(self.store, case_id)

    def _report(self, case: Case) -> Report:
        program = self.programs[case.program or ""]
        return evaluate_case(self.store, case, program, self.corrections(case.id))

    def report(self, who: Principal, case_id: str) -> Report | None:
        _require(who, Action.VIEWED, case_id)
        case = self.store.get_case(case_id)
        if case is None or case.program not in self.programs:
            return None
        return self._report(case)

    def waive(
        self,
        who: Principal,
        case_id: str,
        requirement_id: str,
        reason: str,
        to_follow: bool = False,
    ) -> None:
        _require(who, Action.WAIVED, case_id)
        reason = reason.strip()
        if not reason:
            raise ValueError("a waiver needs a reason")
        w = Waiver(requirement_id=requirement_id, reason=reason[:500], by=who.audit_name, at=_now())
        w = w.model_copy(update={"to_follow": to_follow})
        self.store.add_note(case_id, NoteKind.WAIVER, w.model_dump(mode="json"), who.audit_name)
        self.audit.record(who, Action.WAIVED, case_id=case_id, detail=requirement_id)
        self._changed(case_id)

    def withdraw_waiver(self, who: Principal, case_id: str, requirement_id: str) -> None:
        _require(who, Action.WAIVED, case_id)
        for note in self.store.notes(case_id):
            if (
                note.kind is NoteKind.WAIVER
                and note.payload.get("requirement_id") == requirement_id
            ):
                self.store.withdraw_note(note.id, who.audit_name)
        self.audit.record(
            who, Action.WAIVED, case_id=case_id, detail=f"{requirement_id}: withdrawn"
        )
        self._changed(case_id)

    def correct(
        self,
        who: Principal,
        case_id: str,
        document_id: str,
        *,
        doc_type: DocType | None = None,
        document_date: dt.date | None = None,
        patient: Patient | None = None,
        other_patient: bool | None = None,
    ) -> bool:
        """Store a coordinator's fix to one document; it applies from the next evaluation on.

        A fix that changes nothing is not stored (False): saving the form again must not add
        a correction that lists nothing.
        """
        _require(who, Action.CORRECTED, case_id)
        c = DocumentCorrection(
            document_id=document_id,
            doc_type=doc_type,
            document_date=document_date,
            patient=patient,
            other_patient=other_patient,
            by=who.audit_name,
            at=_now(),
        )
        changed = changed_fields(c)
        if not changed:
            return False
        self.store.add_note(
            case_id,
            NoteKind.CORRECTION,
            c.model_dump(mode="json", exclude_none=True),
            who.audit_name,
        )
        # Field names only: the corrected values may be identifiers.
        self.audit.record(
            who, Action.CORRECTED, case_id=case_id, file=document_id, detail=",".join(changed)
        )
        self._changed(case_id)
        return True

    def export(
        self, who: Principal, case_id: str, fmt: str, patient_view: bool, language: str = "en"
    ) -> tuple[bytes, str, str, str]:
        """The report as (bytes, file name, mime, engine); `fmt` is html, pdf, json or fhir.
        The patient view is in `language`, the patient's; the coordinator's is English.

        Rendering is not yet a download: the page calls `note_download` when the
        button is pressed, so the audit log says what actually left the server.
        """
        _require(who, Action.DOWNLOADED, case_id)
        report = self.report(who, case_id)
        if report is None:
            raise ValueError("no report yet")
        view: View = "patient" if patient_view else "coordinator"
        got = render_download(report, fmt, view, language=language)
        name = download_name(self.store.get_case(case_id), report, view, SUFFIX[fmt])
        return got.data, name, got.mime, got.engine

    def note_download(self, who: Principal, case_id: str, what: str) -> None:
        _require(who, Action.DOWNLOADED, case_id)
        self.audit.record(who, Action.DOWNLOADED, case_id=case_id, detail=what[:100])
