"""The store's stored case summaries and its paged case list, checked on any SQL backend
(SQLite in tests/batch/test_case_list.py, PostgreSQL in tests/scale/test_case_list_pg.py)."""

from __future__ import annotations

import datetime as dt

from intake.store import FileStatus, NoteKind, Store, SummaryCounts
from intake.store.kinds import HOLDING_PREFIX

BASIS = "2026-12-03|programs"


def _outdated(store: Store) -> set[str]:
    return {cid for cid, _ in store.outdated_summaries(BASIS)}


def _save(store: Store, case_id: str, counts: SummaryCounts) -> None:
    case = store.get_case(case_id)
    assert case is not None
    store.save_summary(case_id, case.updated_at, BASIS, counts)


def every_change_makes_the_summary_out_of_date(store: Store) -> None:
    case = store.create_case("Stamp case", program="cart-lbcl")
    assert case.id in _outdated(store)  # no summary yet
    _save(store, case.id, SummaryCounts())
    assert case.id not in _outdated(store)
    # A summary made under another day or program set is out of date too.
    assert case.id in {cid for cid, _ in store.outdated_summaries("another-day|programs")}

    f = store.add_file(case.id, "labs.pdf", b"first bytes")
    changes = [
        lambda: store.set_status(f.id, FileStatus.DONE),
        lambda: store.enqueue(f.id),
        lambda: store.set_removed(f.id, True),
        lambda: store.set_removed(f.id, False),
        lambda: store.add_file(case.id, "labs.pdf", b"second bytes"),  # supersedes
        lambda: store.add_note(case.id, NoteKind.WAIVER, {"requirement_id": "cbc"}, "c1"),
        lambda: store.update_case(case.id, name="Renamed"),
    ]
    assert case.id in _outdated(store)
    for change in changes:
        _save(store, case.id, SummaryCounts(files=1))
        assert case.id not in _outdated(store)
        change()
        assert case.id in _outdated(store), change
    note = store.notes(case.id)[0]
    _save(store, case.id, SummaryCounts(files=1))
    store.withdraw_note(note.id, "c2")
    assert case.id in _outdated(store)
    # A summary is kept with its case and goes with it.
    store.delete_case(case.id)
    assert case.id not in _outdated(store)


def the_list_searches_filters_orders_and_pages_in_the_store(store: Store) -> None:
    t0 = dt.datetime(2026, 11, 1, 9, 0)
    made = {}
    for n in range(23):
        case = store.create_case(f"Referral {n:02d}", program="cart-mm" if n % 3 else "cart-lbcl")
        made[n] = case.id
        _save(
            store,
            case.id,
            SummaryCounts(
                files=0 if n == 0 else 2,
                reading=1 if n == 1 else 0,
                ready=n % 5 == 0,
                missing=n % 4,
                patient="ZOË 100%_NG" if n == 7 else f"Patient {n}",
                last_upload=None if n == 0 else t0 + dt.timedelta(hours=n),
            ),
        )
    unsummarised = store.create_case("Referral new", program="cart-lbcl").id
    store.upsert_case(HOLDING_PREFIX + "/inbox", "Loose files")  # never listed

    whole = store.case_list(BASIS, limit=1000)
    assert whole.total == 24 and len(whole.rows) == 24
    assert all(r.current for r in whole.rows if r.case.id != unsummarised)
    new = next(r for r in whole.rows if r.case.id == unsummarised)
    assert new.counts is None and not new.current

    # Paging in the default order (newest upload first) visits every case exactly once.
    seen = []
    for offset in range(0, 24, 5):
        page = store.case_list(BASIS, offset=offset, limit=5)
        assert page.total == 24 and page.offset == offset
        seen += [r.case.id for r in page.rows]
    assert len(seen) == len(set(seen)) == 24
    # Newest upload first; a case without one by when it was made.
    by_id = {r.case.id: r for r in whole.rows}
    when = [
        (by_id[cid].counts and by_id[cid].counts.last_upload) or by_id[cid].case.created_at
        for cid in seen
    ]
    assert when == sorted(when, reverse=True)
    assert seen.index(made[22]) < seen.index(made[21]) < seen.index(made[1])

    # Search in the case name or the patient's name, any case; % and _ are plain text.
    assert [r.case.id for r in store.case_list(BASIS, query="zoë 100%_").rows] == [made[7]]
    assert store.case_list(BASIS, query="100%").total == 1
    assert store.case_list(BASIS, query="_").total == 1
    assert store.case_list(BASIS, query="referral 1").total == 10  # 1 and 10-19
    # Readiness states, with programs.
    assert [r.case.id for r in store.case_list(BASIS, states=["no_files"]).rows] == [made[0]]
    assert [r.case.id for r in store.case_list(BASIS, states=["reading"]).rows] == [made[1]]
    ready = {r.case.id for r in store.case_list(BASIS, states=["ready"], limit=100).rows}
    assert ready == {made[n] for n in (5, 10, 15, 20)}
    assert store.case_list(BASIS, states=["updating"]).rows[0].case.id == unsummarised
    lbcl = store.case_list(BASIS, programs=["cart-lbcl"], states=["not_ready"], limit=100)
    assert {r.case.id for r in lbcl.rows} == {made[n] for n in (3, 6, 9, 12, 18, 21)}
    # Orders.
    most = store.case_list(BASIS, sort="most_missing", limit=100).rows
    assert [r.counts.missing for r in most if r.counts] == sorted(
        (r.counts.missing for r in most if r.counts), reverse=True
    )
    by_name = [r.case.name for r in store.case_list(BASIS, sort="name", limit=100).rows]
    assert by_name == sorted(by_name, key=str.lower)
    totals = store.case_list_totals()
    assert totals == {
        "all": 24,
        "no_files": 1,
        "reading": 1,
        "ready": 4,
        "not_ready": 17,
        "updating": 1,
    }
    assert store.case_programs() == ["cart-lbcl", "cart-mm"]
