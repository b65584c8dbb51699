"""The case store on a real SQLite file and a real blob folder."""

from __future__ import annotations

import datetime as dt
import multiprocessing
from pathlib import Path

import pytest

from intake.store import HOLDING_PREFIX, FileStatus, NoteKind, Store
from intake.store.blobs import BlobStore, atomic_write_bytes, sha256_bytes


def test_blobs_are_content_addressed_and_verified(tmp_path: Path) -> None:
    blobs = BlobStore(tmp_path / "b")
    digest = blobs.put(b"%PDF-1.4 original")
    assert digest == sha256_bytes(b"%PDF-1.4 original")
    src = tmp_path / "in.pdf"
    src.write_bytes(b"%PDF-1.4 original")
    assert blobs.put_file(src) == (digest, 17)
    assert blobs.get(digest) == b"%PDF-1.4 original"
    assert list(blobs) == [digest]
    assert blobs.verify(digest)
    blobs.path(digest).write_bytes(b"bit rot")
    assert not blobs.verify(digest)
    # No temporary files are left next to the blobs.
    assert [p.name for p in (tmp_path / "b").rglob(".*")] == []


def test_atomic_write_replaces_whole_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]


def test_cases_files_and_supersede(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.upsert_case("inbox:/x/alice", "alice", "cart-lbcl", dt.date(2026, 11, 20), {})
    again = store.upsert_case("inbox:/x/alice", "alice", "cart-lbcl", dt.date(2026, 11, 20), {})
    assert again.id == case.id and again.program == "cart-lbcl"
    f1 = store.add_file(case.id, "labs.pdf", b"v1")
    assert store.add_file(case.id, "labs.pdf", b"v1").id == f1.id  # idempotent
    f2 = store.add_file(case.id, "labs.pdf", b"v2")
    current = store.files(case.id)
    assert [f.id for f in current] == [f2.id]
    assert {f.status for f in store.files(case.id, include_superseded=True)} == {
        FileStatus.SUPERSEDED,
        FileStatus.QUEUED,
    }
    assert store.file_bytes(f2) == b"v2"
    # A second Store on the same files sees everything (the app and the CLI share it).
    other = Store.at(tmp_path)
    assert other.get_case(case.id) == store.get_case(case.id)


def test_results_and_pages_cached_by_hash_and_version(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    sha = "a" * 64
    store.put_result(sha, "file_texts", "p1", [{"file": "x", "pages": []}])
    assert store.get_result(sha, "file_texts", "p1") == [{"file": "x", "pages": []}]
    assert store.get_result(sha, "file_texts", "p2") is None
    store.put_page(sha, "p1", 2, {"text": "b"})
    store.put_page(sha, "p1", 1, {"text": "a"})
    store.put_page(sha, "p1", 1, {"text": "a2"})  # a retry overwrites, never duplicates
    assert store.get_pages(sha, "p1") == {1: {"text": "a2"}, 2: {"text": "b"}}
    assert store.count_pages([sha, sha], "p1") == 2


def test_notes_survive_reprocessing_and_withdraw(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.create_case("bob", program="cart-mm")
    f = store.add_file(case.id, "a.pdf", b"x")
    note = store.add_note(case.id, NoteKind.WAIVER, {"requirement_id": "pft"}, "coordinator1")
    store.set_status(f.id, FileStatus.DONE)
    store.enqueue(f.id)
    assert store.get_file(f.id).status == FileStatus.QUEUED
    assert [n.payload for n in store.notes(case.id)] == [{"requirement_id": "pft"}]
    store.withdraw_note(note.id, "coordinator2")
    assert store.notes(case.id) == []
    assert store.notes(case.id, include_withdrawn=True)[0].withdrawn_at is not None


def test_progress_and_requeue(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.create_case("c")
    a = store.add_file(case.id, "a.pdf", b"a")
    b = store.add_file(case.id, "b.pdf", b"b")
    claimed = store.claim_next(case.id)
    assert claimed is not None and claimed.id == a.id
    store.set_progress(a.id, 3, 5)
    store.set_status(b.id, FileStatus.ERROR, "corrupt", "b.pdf: not a PDF")
    p = store.progress(case.id)
    assert (p.files_total, p.files_error, p.pages_done, p.pages_total) == (2, 1, 3, 5)
    assert store.requeue_stale() == 1  # the run that claimed `a` was killed
    assert store.get_file(a.id).status == FileStatus.QUEUED


def _claim_all(home: str, out: multiprocessing.Queue) -> None:
    store = Store.at(home)
    got = []
    while (f := store.claim_next()) is not None:
        got.append(f.id)
    out.put(got)


def test_claims_are_exclusive_across_processes(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.create_case("many")
    ids = {store.add_file(case.id, f"{i}.pdf", str(i).encode()).id for i in range(40)}
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=_claim_all, args=(str(tmp_path), q)) for _ in range(3)]
    for p in procs:
        p.start()
    results = [q.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    claimed = [i for r in results for i in r]
    assert sorted(claimed) == sorted(ids)  # each file once, none lost


def test_update_case_rejects_unknown_fields(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    case = store.create_case("d")
    assert store.update_case(case.id, program="til-melanoma").program == "til-melanoma"
    with pytest.raises(ValueError):
        store.update_case(case.id, id="other")


def test_holding_areas_are_not_listed_as_cases(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    real = store.create_case("real")
    holding = store.upsert_case(f"{HOLDING_PREFIX}inbox:/x", "(loose files)")
    assert [c.id for c in store.cases()] == [real.id]
    assert {c.id for c in store.cases(include_holding=True)} == {real.id, holding.id}


def test_a_store_at_a_home_ignores_the_environments_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Store.at(home) is a store of that folder alone, whatever this process is configured for.
    monkeypatch.setenv("RECORDREADY_DATABASE_URL", f"sqlite:///{tmp_path / 'elsewhere.db'}")
    monkeypatch.setenv("RECORDREADY_BLOB_DIR", str(tmp_path / "elsewhere"))
    store = Store.at(tmp_path / "home")
    assert store.settings.database_url == f"sqlite:///{tmp_path / 'home' / 'recordready.db'}"
    assert store.settings.blob_dir == tmp_path / "home" / "blobs"
    store.add_file(store.create_case("c").id, "a.pdf", b"a")
    assert (tmp_path / "home" / "recordready.db").is_file()
    assert not (tmp_path / "elsewhere.db").exists()


def test_the_case_list_reads_every_case_in_one_query_each_as_per_case_reads_do(
    tmp_path: Path,
) -> None:
    store = Store.at(tmp_path)
    a, b, empty = (store.create_case(n, program="cart-lbcl") for n in ("a", "b", "empty"))
    store.add_file(a.id, "labs.pdf", b"v1")
    store.add_file(a.id, "labs.pdf", b"v2")  # supersedes v1
    gone = store.add_file(b.id, "wrong.pdf", b"w")
    store.add_file(b.id, "path.pdf", b"p")
    store.set_removed(gone.id, True)
    kept = store.add_note(b.id, NoteKind.WAIVER, {"requirement_id": "pft"}, "c1")
    dropped = store.add_note(a.id, NoteKind.WAIVER, {"requirement_id": "cbc"}, "c1")
    store.withdraw_note(dropped.id, "c2")
    by_case = store.files_by_case()
    for case in (a, b, empty):
        assert by_case.get(case.id, []) == store.files(case.id)
    assert [f.name for f in by_case[b.id]] == ["path.pdf"]
    assert store.note_ids_by_case() == {b.id: [kept.id]}
