"""How long the coordinators' case list takes with many cases in the store (issue 15).

Builds a store of N cases (default 10,000), each with one lab report already read (one
real text PDF read once by the pipeline; every case holds the same bytes, so its cached
result is shared), written straight into the tables as a store an earlier version made
would hold them: no stored summaries. Then times Backend.case_list, which the Cases page
draws from: the first view (it makes summaries for LIST_BUDGET_S and leaves the rest to a
background thread), how long that thread takes to make all 10,000 (once, after an upgrade;
afterwards the reader and the backend make a case's summary when it changes), and views
with every summary stored: the first page, again, a search, a filter, the last page.
Writes bench-out/case_list.json. Run: .venv/bin/python -m benchmarks.case_list [--cases N]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "sample_docs" / "formats" / "text_lab_results_si_units.pdf"


def _store_with(home: Path, cases: int) -> tuple[object, object]:
    import os

    os.environ["RECORDREADY_HOME"] = str(home)
    from intake.access.audit import AuditLog
    from intake.access.auth import CaseLinks, Principal, Role
    from intake.casework.service import Backend
    from intake.store import FileStatus, Store
    from intake.store.db import session_factory
    from intake.store.tables import CaseRow, FileRow, now

    sessions = session_factory(f"sqlite:///{home / 'recordready.db'}")
    be = Backend(Store(), AuditLog(sessions), CaseLinks(sessions))
    coord = Principal("bench", Role.COORDINATOR)
    first, _ = be.start_case("cart-lbcl", coord)
    f = be.upload(coord, first.id, LAB.name, LAB.read_bytes())
    deadline = time.monotonic() + 300
    while be.store.get_file(f.id).status not in (FileStatus.DONE, FileStatus.ERROR):
        if time.monotonic() > deadline:
            raise SystemExit("the lab report was not read in 300 s")
        time.sleep(0.2)
    # The rest in one transaction: 10,000 separate commits would time the disk, not the page.
    with be.store._session() as s:  # noqa: SLF001 - a benchmark fills the store directly
        for n in range(cases - 1):
            cid = uuid.uuid4().hex
            s.add(CaseRow(id=cid, name=f"Case {n:05d}", program="cart-lbcl", patient={}))
            s.add(
                FileRow(
                    case_id=cid,
                    name=LAB.name,
                    sha256=f.sha256,
                    size=f.size,
                    status=FileStatus.DONE.value,
                    uploaded_at=now(),
                )
            )
    return be, coord


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="benchmarks.case_list", description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--out", type=Path, default=ROOT / "bench-out")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="rr-caselist-") as tmp:
        t0 = time.perf_counter()
        be, coord = _store_with(Path(tmp), args.cases)
        built = time.perf_counter() - t0
        from intake.casework import reader, summaries

        def timed(**kw: object) -> tuple[float, int, int]:
            t = time.perf_counter()
            page, totals, _ = be.case_list(coord, **kw)  # type: ignore[attr-defined]
            return time.perf_counter() - t, len(page.rows), page.total

        upgraded, _, _ = timed()
        t1 = time.perf_counter()
        while summaries.catching_up(be.store):  # type: ignore[attr-defined]
            time.sleep(0.1)
        backfill = time.perf_counter() - t1
        first, shown, total = timed()
        again, _, _ = timed()
        search, _, found = timed(query="case 0999")
        filtered, _, _ = timed(states=("not_ready",), sort="most_missing")
        last, _, _ = timed(offset=(args.cases - 1) // 50 * 50)
        reader.reader().close()
    result = {
        "cases": total,
        "rows_on_a_page": shown,
        "store_build_s": round(built, 2),
        "first_view_after_upgrade_s": round(upgraded, 3),
        "summaries_backfill_s": round(backfill, 2),
        "case_list_first_load_s": round(first, 3),
        "case_list_second_load_s": round(again, 3),
        "search_s": round(search, 3),
        "search_matches": found,
        "filtered_sorted_s": round(filtered, 3),
        "last_page_s": round(last, 3),
        "target_s": 1.0,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "case_list.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
