"""Making the case list's stored summaries: when a case changes, and for stores made before.

A summary is a case's checklist counted once (`store.summaries` keeps it with the case's
change stamp), so the list reads a page of stored rows instead of evaluating every case
on every view (10,000 cases: 38 s). The reader makes a case's summary when one of its
files is read, the backend when staff change the case; anything else that moves a case's
stamp (a batch run, a store an earlier version made, a new day that ages records) leaves
its summary out of date, and the list brings those up to date: a few at once, the rest
in one background thread per store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Iterable

from checklists.models import Program
from checklists.report import Status
from intake.batch.cases import corrections_for
from intake.casework.counts import patient_name
from intake.casework.results import case_results, evaluate_case
from intake.store import Case, FileStatus, Store, SummaryCounts

log = logging.getLogger(__name__)

# What the list spends bringing summaries up to date before it shows a page.
LIST_BUDGET_S = 0.3


def summary_basis(programs: dict[str, Program], day: dt.date | None = None) -> str:
    """What a summary's counts depend on besides the case: the day (records age) and the
    program files (a deployment may change a requirement)."""
    digest = hashlib.sha256()
    for pid in sorted(programs):
        digest.update(programs[pid].model_dump_json().encode())
    return f"{(day or dt.date.today()).isoformat()}|{digest.hexdigest()[:32]}"


def summarise(store: Store, case: Case, programs: dict[str, Program]) -> SummaryCounts:
    """A case's counts now: its files, and its checklist's gaps once a program is set."""
    files = store.files(case.id)
    reading = sum(f.status in (FileStatus.QUEUED, FileStatus.PROCESSING) for f in files)
    program = programs.get(case.program or "")
    report = (
        evaluate_case(store, case, program, corrections_for(store, case.id))
        if program is not None and files
        else None
    )
    if report is not None:
        gaps = report.gaps()
        documents = len(report.documents)
    else:
        gaps = []
        documents = len(case_results(store, case.id)[1]) if files else 0
    return SummaryCounts(
        files=len(files),
        reading=reading,
        documents=documents,
        ready=None if report is None or reading else report.ready,
        missing=sum(g.status is Status.MISSING and g.required for g in gaps),
        stale=sum(g.status is Status.STALE for g in gaps),
        problems=len(report.problems) if report else 0,
        patient=patient_name(case, report),
        last_upload=max((f.uploaded_at for f in files), default=None),
    )


def refresh(store: Store, case_ids: Iterable[str], programs: dict[str, Program]) -> None:
    """Make these cases' summaries from what they hold now (stored in one transaction)."""
    basis = summary_basis(programs)
    made = []
    for case_id in dict.fromkeys(case_ids):
        # The stamp is read before the counts are made: a change that lands meanwhile moves
        # it, and the summary saved here is then seen as out of date, never taken as current.
        case = store.get_case(case_id)
        if case is None:
            continue
        try:
            made.append((case.id, case.updated_at, basis, summarise(store, case, programs)))
        except Exception as exc:  # one case that cannot be evaluated must not stop the rest
            log.warning("case summary not made: %s", type(exc).__name__)
    if made:
        store.save_summaries(made)


def refresh_outdated(
    store: Store, programs: dict[str, Program], budget_s: float, batch: int = 50
) -> bool:
    """Bring out-of-date summaries up to date for about `budget_s`; True when none is left."""
    deadline = time.monotonic() + budget_s
    basis = summary_basis(programs)
    tried: set[str] = set()
    while time.monotonic() < deadline:
        # A case that cannot be summarised stays out of date: try it once, not for ever.
        todo = [cid for cid, _ in store.outdated_summaries(basis, limit=batch + len(tried))]
        todo = [cid for cid in todo if cid not in tried][:batch]
        if not todo:
            break
        tried.update(todo)
        refresh(store, todo, programs)
    return not store.outdated_summaries(basis, limit=1)


_catching_up: dict[str, threading.Thread] = {}
_catching_up_lock = threading.Lock()


def catch_up(store: Store, programs: dict[str, Program]) -> bool:
    """Start (once per store) a background thread that makes every out-of-date summary;
    True while one is running. A store an earlier version made is filled in this way."""
    key = store.settings.database_url
    with _catching_up_lock:
        running = _catching_up.get(key)
        if running is not None and running.is_alive():
            return True

        def work() -> None:
            try:
                refresh_outdated(store, programs, budget_s=float("inf"))
            except Exception as exc:  # a vanished store: the next view of the list retries
                log.warning("case summaries not brought up to date: %s", type(exc).__name__)

        thread = threading.Thread(target=work, name="recordready-case-summaries", daemon=True)
        _catching_up[key] = thread
        thread.start()
        return True


def catching_up(store: Store) -> bool:
    with _catching_up_lock:
        running = _catching_up.get(store.settings.database_url)
        return running is not None and running.is_alive()
