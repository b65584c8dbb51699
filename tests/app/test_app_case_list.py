"""The coordinators' case list from stored summaries: the reader stores a case's row when its
files are read, staff changes store it at once, a store without summaries is filled in the
background, and the Cases page shows a page of cases with search and paging (AppTest)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from app_helpers import COORD, app, sign_in, texts
from sqlalchemy import delete

from intake.access.audit import AuditLog
from intake.access.auth import CaseLinks, Principal, Role
from intake.casework import summaries
from intake.casework.service import Backend
from intake.store import CaseSummaryRow, FileStatus, Store
from intake.store.db import session_factory

FORMATS = Path(__file__).resolve().parents[2] / "sample_docs" / "formats"
LAB = "text_lab_results_si_units.pdf"  # David Whitfield's labs, no pathology or imaging
STAFF = Principal(COORD[0], Role.COORDINATOR)


def _backend(home: Path) -> Backend:
    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    return Backend(Store(), AuditLog(sessions), CaseLinks(sessions))


def _read_case(be: Backend) -> str:
    case, _ = be.start_case("cart-lbcl", STAFF)
    be.store.update_case(case.id, name="Referral Whitfield", as_of=dt.date(2026, 11, 20))
    be.upload(STAFF, case.id, LAB, (FORMATS / LAB).read_bytes())
    deadline = time.monotonic() + 120
    while be.store.files(case.id)[0].status not in (FileStatus.DONE, FileStatus.ERROR):
        assert time.monotonic() < deadline, "the lab report was not read in 120 s"
        time.sleep(0.2)
    return case.id


def _current(be: Backend, case_id: str) -> bool:
    basis = summaries.summary_basis(be.programs)
    return case_id not in {cid for cid, _ in be.store.outdated_summaries(basis)}


def test_summaries_are_stored_when_a_case_changes_and_filled_in_for_old_stores(
    home: Path,
) -> None:
    be = _backend(home)
    case_id = _read_case(be)
    # The reader stored the row once the file was read (give it the moment after the status).
    deadline = time.monotonic() + 10
    while not _current(be, case_id):
        assert time.monotonic() < deadline, "the reader did not store the case's summary"
        time.sleep(0.1)
    page, totals, _ = be.case_list(STAFF)
    row = page.rows[0]
    assert row.current and row.counts is not None
    assert (row.counts.files, row.counts.reading, row.counts.state) == (1, 0, "not_ready")
    assert row.counts.documents >= 1 and row.counts.patient == "David Whitfield"
    missing = row.counts.missing
    assert missing >= 2 and totals == {"all": 1, "not_ready": 1}

    # A waiver is in the list at once, not on some later view.
    be.waive(STAFF, case_id, "pathology", "Reviewed at tumour board")
    assert _current(be, case_id)
    page, _, _ = be.case_list(STAFF, query="whitfield")
    assert page.rows[0].counts is not None and page.rows[0].counts.missing == missing - 1

    # A store an earlier version made has no summaries: the list makes them.
    with be.store._session() as s:  # noqa: SLF001 - what an old store holds
        s.execute(delete(CaseSummaryRow))
    for _ in range(3):
        be.store.create_case("Empty referral", program="cart-mm")
    page, totals, _ = be.case_list(STAFF)
    deadline = time.monotonic() + 60
    while summaries.catching_up(be.store):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    page, totals, updating = be.case_list(STAFF, sort="most_missing")
    assert not updating and totals == {"all": 4, "not_ready": 1, "no_files": 3}
    assert all(r.current for r in page.rows)
    assert page.rows[0].case.id == case_id and page.rows[0].counts is not None
    assert page.rows[0].counts.missing == missing - 1


def test_the_cases_page_shows_a_page_at_a_time_with_search(home: Path, accounts) -> None:
    be = _backend(home)
    _read_case(be)
    for n in range(54):
        be.store.create_case(f"Referral {n:02d}", program="cart-mm")
    summaries.refresh_outdated(be.store, be.programs, budget_s=60)

    at = sign_in(app(), *COORD)
    assert not at.exception, at.exception
    assert [t.value for t in at.title] == ["Cases"]
    assert "Cases 1–50 of 55 (page 1 of 2)" in texts(at)
    assert len(at.dataframe[0].value) == 50
    at.button(key="rr_cases_next").click().run()
    assert "Cases 51–55 of 55 (page 2 of 2)" in texts(at)
    assert len(at.dataframe[0].value) == 5
    assert at.button(key="rr_cases_next").disabled

    # A search starts again at its first page and finds the patient by the name read from
    # the lab report (the case is named otherwise).
    at.text_input(key="rr_cases_search").input("DAVID whit").run()
    assert "Cases 1–1 of 1 (page 1 of 1)" in texts(at)
    table = at.dataframe[0].value
    assert list(table["Patient"]) == ["David Whitfield"]
    assert list(table["Readiness"]) == ["Not ready"]
    at.text_input(key="rr_cases_search").input("no such person").run()
    assert "Cases 0–0 of 0" in texts(at)
