"""How long the coordinators' case list takes with many cases in the store (issue 15).

Builds a store of N cases (default 10,000), each with one lab report already read (one
real text PDF read once by the pipeline; every case holds the same bytes, so its cached
result is shared), then times Backend.summaries, which the Cases page draws from: the
first load (every case's checklist evaluated) and a second (the per-case report cache).
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
        t1 = time.perf_counter()
        rows = be.summaries(coord)  # type: ignore[attr-defined]
        first = time.perf_counter() - t1
        t2 = time.perf_counter()
        be.summaries(coord)  # type: ignore[attr-defined]
        again = time.perf_counter() - t2
        from intake.casework import reader

        reader.reader().close()
    result = {
        "cases": len(rows),
        "store_build_s": round(built, 2),
        "case_list_first_load_s": round(first, 3),
        "case_list_second_load_s": round(again, 3),
        "target_s": 1.0,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "case_list.json").write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
