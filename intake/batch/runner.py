"""`recordready batch`: an inbox of case folders in, one report per case and an index out.

One pass: store every file durably -> read what the caches lack on the pool -> file loose
files by patient identity -> evaluate each case -> write reports and the cross-case files.
`watch` repeats passes as the inbox changes until asked to stop.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from checklists.identity import case_patient
from extractors.errors import FileErrorCode
from extractors.vocabulary import Patient
from intake.batch.assign import assign_items
from intake.batch.cases import (
    CaseInput,
    build_report,
    corrections_for,
    summarise,
    write_report,
)
from intake.batch.outputs import CaseSummary, Rejected, Unassigned, write_batch_outputs
from intake.inbox import ArrivalWatcher, InboxListing, given_patient, scan_inbox
from intake.jobs.local import WorkerPool, default_workers
from intake.pipeline.flow import JOB_TIMEOUT_S as JOB_TIMEOUT_S
from intake.pipeline.flow import PRELOAD as PRELOAD
from intake.pipeline.flow import Stored, make_pool, read_stored
from intake.pipeline.processor import Counters, Pool, Processed
from intake.pipeline.progress import Reporter
from intake.programs import deployment_programs
from intake.store import HOLDING_PREFIX, Store

log = logging.getLogger("recordready.batch")

LOOSE_CASE = "(loose files)"


@dataclass
class BatchConfig:
    inbox: Path
    outdir: Path
    program: str | None = None
    as_of: dt.date | None = None
    workers: int | None = None  # None: one per core; 0: in this process
    poll_s: float = 2.0


@dataclass
class BatchResult:
    cases: list[CaseSummary] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    unassigned: list[Unassigned] = field(default_factory=list)
    counters: Counters = field(default_factory=Counters)
    stopped: bool = False
    seconds: float = 0.0

    def counter_line(self) -> str:
        c = self.counters
        return (
            f"{c.pages_ocr} pages OCR'd, {c.pages_text} read from text layers, "
            f"{c.pages_cached} from cache; {c.files_read} files read, "
            f"{c.files_cached} from cache"
        )


@dataclass
class _Entry:
    case: str  # case name, or LOOSE_CASE
    name: str  # display name within the case
    sha256: str
    file_id: int


def _store_inbox(
    store: Store,
    listing: InboxListing,
    config: BatchConfig,
    today: dt.date,
    rejected: list[Rejected],
) -> tuple[dict[str, CaseInput], list[_Entry]]:
    """Every file copied durably into the store before anything reads it. A file that cannot
    even be copied (permissions, vanished, I/O error) is rejected by name; the rest go on."""
    cases: dict[str, CaseInput] = {}
    entries: list[_Entry] = []

    def keep(case_id: str, case: str, path: Path, name: str) -> None:
        try:
            stored = store.add_path(case_id, path, name)
        except OSError as exc:
            where = name if case == LOOSE_CASE else f"{case}/{name}"
            why = f"{name}: could not be read from the inbox ({type(exc).__name__})"
            rejected.append(Rejected(where, FileErrorCode.CORRUPT.value, why))
            return
        entries.append(_Entry(case, name, stored.sha256, stored.id))

    for folder in listing.cases:
        meta = folder.meta
        program = meta.program or config.program
        as_of = meta.as_of or config.as_of or today
        row = store.upsert_case(f"inbox:{folder.path}", folder.name, program, as_of, meta.patient)
        note = meta.problem
        if program is None:
            note = "no program: give one in case.json or with --program"
        cases[folder.name] = CaseInput(
            folder.name,
            row.id,
            program,
            as_of,
            dict(meta.patient),
            files=len(folder.files),
            note=note,
        )
        for path in folder.files:
            keep(row.id, folder.name, path, folder.relative(path))
    loose = store.upsert_case(f"{HOLDING_PREFIX}inbox:{listing.root}", LOOSE_CASE)
    for path in listing.loose:
        keep(loose.id, LOOSE_CASE, path, path.name)
    return cases, entries


def _file_into(store: Store, case: CaseInput, e: _Entry, members: list[str], whole: bool) -> None:
    """Record a filed loose file in its case's store rows, as the app shows the case.

    A file all of whose items went to the case is recorded under its own name; one split
    between patients (an e-mail carrying two people's records) is recorded once per item
    filed, under the item's name, so the app shows this case only its patient's items.
    """
    for name in [e.name] if whole else members:
        store.attach(case.store_id, name, e.file_id)
    case.files += 1


def _workers(config: BatchConfig) -> int:
    return default_workers() if config.workers is None else config.workers


def _case_patient(case: CaseInput) -> Patient:
    p = case_patient(given_patient(case.patient), case.documents)
    return Patient(name=p.name, dob=p.dob, mrn=p.mrn)


def run_once(
    config: BatchConfig,
    store: Store,
    reporter: Reporter,
    stop: threading.Event | None = None,
    pool: Pool | None = None,
    listing: InboxListing | None = None,
) -> BatchResult:
    """One pass over the inbox. Outputs are written only when every file was processed."""
    started = time.monotonic()
    stop = stop or threading.Event()
    run_id = store.start_run()
    store.requeue_stale()
    listing = listing or scan_inbox(config.inbox)
    today = dt.date.today()
    early_rejects: list[Rejected] = []
    cases, entries = _store_inbox(store, listing, config, today, early_rejects)
    for case in cases.values():
        if case.note:
            reporter.warn(f"case {case.name}: {case.note}")

    # The shared pipeline (intake.pipeline.flow) reads what the caches lack, each file
    # under its own name in its case (the same bytes in two places are read once).
    stored = [Stored(e.name, e.sha256, (e.file_id,)) for e in entries]
    own_pool = pool is None
    active: Pool = pool or make_pool(_workers(config))
    try:
        processed, counters = read_stored(store, active, stored, reporter, stop)
    finally:
        if own_pool and isinstance(active, WorkerPool):
            active.close()
    result = BatchResult(counters=counters, rejected=early_rejects)
    done = [p for p in processed if p is not None]
    if stop.is_set() or len(done) < len(entries):
        result.stopped = True
        result.seconds = time.monotonic() - started
        store.finish_run(run_id, {**result.counters.as_dict(), "stopped": True})
        return result

    loose: list[tuple[_Entry, Processed]] = []
    for e, p in zip(entries, done, strict=True):
        for ft in p.file_texts:
            if ft.status == "error" and ft.error is not None:
                where = ft.file if e.case == LOOSE_CASE else f"{e.case}/{ft.file}"
                result.rejected.append(Rejected(where, ft.error.code.value, ft.error.message))
        if e.case == LOOSE_CASE:
            loose.append((e, p))
        else:
            cases[e.case].file_texts += p.file_texts
            cases[e.case].documents += p.documents

    patients = {name: _case_patient(c) for name, c in cases.items()}
    for e, p in loose:
        # Rejected items are already listed in rejected.csv; the rest are filed one by one.
        filed: dict[str, list[str]] = {}
        items = assign_items(p.file_texts, p.documents, patients)
        for ft, docs, verdict in items:
            if verdict.case is None:
                result.unassigned.append(Unassigned(ft.file, verdict.reason))
                continue
            case = cases[verdict.case]
            case.file_texts.append(ft)
            case.documents += docs
            filed.setdefault(verdict.case, []).append(ft.file)
        for name, members in filed.items():
            _file_into(store, cases[name], e, members, whole=len(members) == len(items))

    programs, program_errors = deployment_programs()
    for err in program_errors:
        reporter.warn(f"program file skipped: {err}")
    for name in sorted(cases):
        case = cases[name]
        program = programs.get(case.program) if case.program else None
        if case.program and program is None:
            case.note = f"unknown program {case.program!r}"
        report = None
        if program is not None:
            report = build_report(case, program, corrections_for(store, case.store_id))
            write_report(config.outdir / name, report)
        result.cases.append(summarise(case, report))
    write_batch_outputs(config.outdir, result.cases, result.rejected, result.unassigned)
    result.seconds = time.monotonic() - started
    store.finish_run(run_id, result.counters.as_dict())
    return result


def _signature(listing: InboxListing) -> tuple[tuple[str, int, int], ...]:
    files = [f for c in listing.cases for f in c.files] + list(listing.loose)
    sig = []
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        sig.append((str(f), st.st_size, st.st_mtime_ns))
    metas = [(str(c.path / "case.json"), hash(repr(c.meta)), 0) for c in listing.cases]
    return tuple(sorted(sig + metas))


def watch(
    config: BatchConfig,
    store: Store,
    reporter: Reporter,
    stop: threading.Event,
    pool: Pool | None = None,
) -> BatchResult | None:
    """Process the inbox, then every settled change to it, until `stop` is set.

    With `pool` (e.g. a CeleryPool) every pass runs on it and the caller closes it; without,
    one local pool serves all passes, so workers start once, not once per arrival."""
    if pool is not None:
        return _watch(config, store, reporter, stop, pool)
    with make_pool(_workers(config)) as own:
        return _watch(config, store, reporter, stop, own)


def _watch(
    config: BatchConfig,
    store: Store,
    reporter: Reporter,
    stop: threading.Event,
    pool: Pool,
) -> BatchResult | None:
    watcher = ArrivalWatcher()
    last: tuple[tuple[str, int, int], ...] | None = None
    result: BatchResult | None = None
    while not stop.is_set():
        listing = watcher.settled(scan_inbox(config.inbox))
        sig = _signature(listing)
        if sig != last:
            try:
                result = run_once(config, store, reporter, stop, pool, listing)
            except Exception as exc:  # keep watching: the next arrival may fix it
                reporter.warn(f"batch pass failed ({type(exc).__name__}); retrying")
            else:
                if not result.stopped:
                    last = sig
                    reporter.message(result.counter_line())
        stop.wait(config.poll_s)
    return result
