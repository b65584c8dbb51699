"""The app's server side in a process of its own, driven like the Streamlit pages drive it.

Tests start this as a subprocess so they can kill it (and its reader's worker processes)
at any moment, restart it on the same store, and capture every log line it writes.
Services are wired exactly as `ui/app/context.py` wires them, minus Streamlit's cache.

Events go to stdout as JSON lines; logs go to stderr at DEBUG level.

    python tests/hostile/app_process.py upload --home H --program P FILE...   # prints "ack"s
    python tests/hostile/app_process.py resume --home H --case-id C            # a restart
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from intake.access.audit import AuditLog
from intake.access.auth import Accounts, CaseLinks, Principal, Role
from intake.casework.service import Backend
from intake.settings import Settings
from intake.store import FileStatus, Store
from intake.store.db import session_factory

COORDINATOR = ("casey", "coordinator pw 1")


def emit(event: str, **fields: object) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def services(home: Path) -> tuple[Store, Accounts, Backend]:
    settings = Settings.from_env(home)
    store = Store(settings)
    sessions = session_factory(settings.database_url)
    links, audit = CaseLinks(sessions), AuditLog(sessions)
    return store, Accounts(sessions), Backend(store, audit, links)


def coordinator(accounts: Accounts) -> Principal:
    if accounts.get(COORDINATOR[0]) is None:
        accounts.add(*COORDINATOR, Role.COORDINATOR)
    return Principal(COORDINATOR[0], Role.COORDINATOR)


def settle(store: Store, backend: Backend, case_id: str, wait_s: float) -> None:
    """Wait until no file of the case is queued or being read, then report their states."""
    deadline = time.monotonic() + wait_s
    while backend.reading(case_id) and time.monotonic() < deadline:
        time.sleep(0.2)
    files = store.files(case_id, include_superseded=True)
    emit(
        "settled",
        reading=backend.reading(case_id),
        files=[
            {"id": f.id, "name": f.name, "sha256": f.sha256, "status": f.status.value,
             "error_code": f.error_code, "error_message": f.error_message}
            for f in files
        ],
    )  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["upload", "resume"])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--program", default="cart-lbcl")
    parser.add_argument("--case-id")
    parser.add_argument("--wait-seconds", type=float, default=120.0)
    parser.add_argument("--report", action="store_true", help="also build and export the report")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_intermixed_args(argv)
    logging.basicConfig(
        level=logging.DEBUG,
        stream=sys.stderr,
        format="%(asctime)s %(process)d %(name)s %(levelname)s %(message)s",
    )
    store, accounts, backend = services(args.home)
    who = coordinator(accounts)
    if args.mode == "upload":
        case, _token = backend.start_case(args.program, who)
        emit("case", case_id=case.id)
        for path in args.files:
            stored = backend.upload(who, case.id, path.name, path.read_bytes())
            # The upload call returning is the acknowledgement the user sees.
            emit("ack", name=path.name, sha256=stored.sha256, file_id=stored.id)
        case_id = case.id
    else:
        case_id = args.case_id
        # What a coordinator's visit does: the case list, the case's files, its report.
        backend.case_list(who)
        backend.files(who, case_id)
    settle(store, backend, case_id, args.wait_seconds)
    if args.report:
        backend.report(who, case_id)
        for fmt in ("html", "json"):
            backend.export(who, case_id, fmt, patient_view=False)
        emit("reported")
        # The audit trail is a log too: it must name files and actions, never patients.
        emit(
            "audit",
            rows=[[r.actor, r.role, r.action, r.file or "", r.detail or ""]
                  for r in backend.audit.entries(case_id=case_id)],
        )  # fmt: skip
    done = [f for f in store.files(case_id) if f.status in (FileStatus.DONE, FileStatus.ERROR)]
    emit("exit", finished=len(done))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
