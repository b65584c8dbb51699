"""Killing the app while it reads loses no acknowledged upload and reads none twice.

The app's server side runs in its own process (tests/hostile/app_process.py: the same
Backend, store and background reader the Streamlit server uses). Once every upload is
acknowledged and reading is under way, that process and every process it started (the
reader's pool workers, tesseract) are SIGKILLed, as an out-of-memory kill or a power cut
would. A fresh process on the same store then stands for the restarted app.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fuzz import seeds
from PIL import Image, ImageDraw, ImageFont

from intake.store import FileStatus, Store

ROOT = Path(__file__).resolve().parents[2]
APP_PROCESS = Path(__file__).with_name("app_process.py")
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def scanned_pdf(title: str, pages: int) -> bytes:
    """A PDF of page images only (every page needs OCR, about a second each)."""
    font = ImageFont.truetype(FONT, 28)
    images = []
    for n in range(pages):
        img = Image.new("L", (1000, 420), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate((title, f"Platelets {150 + n} x10^3/uL", f"Page {n + 1}")):
            draw.text((30, 30 + i * 60), line, fill=0, font=font)
        images.append(img.convert("RGB"))
    buf = io.BytesIO()
    images[0].save(buf, format="PDF", save_all=True, append_images=images[1:], resolution=150.0)
    return buf.getvalue()


def _uploads(folder: Path) -> dict[str, bytes]:
    files = {
        "labs_scan.pdf": scanned_pdf("LABORATORY RESULTS", 3),
        "echo_scan.pdf": scanned_pdf("ECHOCARDIOGRAM REPORT", 3),
        "letter.docx": seeds.docx_file(),
        "report.pdf": seeds.text_pdf(),
        "empty.pdf": b"",
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return files


def _descendants(pid: int) -> list[int]:
    """Every live process below `pid` (children, their children...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: split after its closing one.
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        parents[int(entry.name)] = ppid
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        kids = [p for p, pp in parents.items() if pp == current]
        found += kids
        frontier += kids
    return found


def _kill_tree(proc: subprocess.Popen[str]) -> None:
    # Pool workers leave the app's process group (they ignore Ctrl-C): kill by pid, at once
    # (they would follow their dead parent by themselves within a second).
    victims = [proc.pid, *_descendants(proc.pid)]
    for pid in victims:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _wait_for_reading_under_way(store: Store, case_id: str, total: int, limit_s: float) -> str:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        files = store.files(case_id)
        states = [f.status for f in files]
        finished = sum(s in (FileStatus.DONE, FileStatus.ERROR) for s in states)
        if FileStatus.PROCESSING in states and finished < total:
            return f"{finished}/{total} finished, {states.count(FileStatus.PROCESSING)} reading"
        time.sleep(0.05)
    pytest.fail("reading never got under way (or finished before it could be interrupted)")


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, RECORDREADY_HOME=str(home), PYTHONUNBUFFERED="1")
    env.pop("RECORDREADY_DATABASE_URL", None)
    env.pop("RECORDREADY_BLOB_DIR", None)
    env.pop("RECORDREADY_BROKER_URL", None)  # the local pool: its processes are ours to kill
    return env


def _start_app(home: Path, folder: Path, files: dict[str, bytes]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(APP_PROCESS), "upload", "--home", str(home),
         "--wait-seconds", "150", *(str(folder / n) for n in files)],
        cwd=ROOT, env=_env(home), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip


def _read_acks(app: subprocess.Popen[str], count: int) -> tuple[str, dict[str, str]]:
    """(case id, name -> sha256) once the app has acknowledged `count` uploads."""
    assert app.stdout is not None
    acked: dict[str, str] = {}
    case_id = ""
    while len(acked) < count:
        line = app.stdout.readline()
        assert line, "the app exited before acknowledging every upload"
        event = json.loads(line)
        if event["event"] == "case":
            case_id = event["case_id"]
        elif event["event"] == "ack":
            acked[event["name"]] = event["sha256"]
    return case_id, acked


def _assert_each_upload_read_once(
    home: Path, case_id: str, acked: dict[str, str], files: dict[str, bytes]
) -> None:
    store = Store.at(home)
    rows = store.files(case_id, include_superseded=True)
    # Every acknowledged upload is there, once, with its exact bytes.
    assert sorted(f.name for f in rows) == sorted(acked)
    for f in rows:
        assert f.sha256 == acked[f.name] == hashlib.sha256(files[f.name]).hexdigest()
        assert store.file_bytes(f) == files[f.name]
    # ...and every one was read to the end.
    stuck = {
        f.name: f.status.value for f in rows if f.status not in (FileStatus.DONE, FileStatus.ERROR)
    }
    assert stuck == {}, f"these acknowledged uploads were never read: {stuck}"
    by_name = {f.name: f for f in rows}
    assert by_name["empty.pdf"].status is FileStatus.ERROR
    assert by_name["empty.pdf"].error_code == "empty"

    from intake.casework.results import case_results

    texts, documents = case_results(store, case_id)
    assert sorted(t.file for t in texts) == sorted(acked), "each upload has exactly one result"
    for t in texts:
        if t.file.endswith("_scan.pdf"):
            assert t.status == "ok"
            assert [p.number for p in t.pages] == [1, 2, 3], "each page read exactly once"
    ids = [d.id for d in documents if d.id]
    assert len(ids) == len(set(ids)), "no document appears twice"


@pytest.mark.slow
def test_killing_a_reader_worker_mid_page_loses_nothing(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "uploads"
    folder.mkdir()
    files = _uploads(folder)
    app = _start_app(home, folder, files)
    try:
        case_id, acked = _read_acks(app, len(files))
        # Wait for a worker to be inside tesseract, then kill that worker and its tesseract.
        deadline = time.monotonic() + 60
        victim = None
        while victim is None and time.monotonic() < deadline:
            for pid in _descendants(app.pid):
                if _comm(pid) == "tesseract":
                    stat = Path(f"/proc/{pid}/stat").read_text()
                    victim = int(stat.rsplit(")", 1)[1].split()[1])
                    break
            time.sleep(0.02)
        assert victim is not None and victim != app.pid, "no worker was ever reading a page"
        for pid in [*_descendants(victim), victim]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        assert app.stdout is not None
        rest = app.stdout.read()
        assert app.wait(timeout=180) == 0
    finally:
        if app.poll() is None:
            _kill_tree(app)
    settled = next(json.loads(x) for x in rest.splitlines() if '"settled"' in x)
    assert not settled["reading"], "reading never finished after the worker was killed"
    _assert_each_upload_read_once(home, case_id, acked, files)


@pytest.mark.slow
def test_killing_the_app_mid_reading_then_restarting_loses_nothing(tmp_path: Path) -> None:
    home, folder = tmp_path / "home", tmp_path / "uploads"
    folder.mkdir()
    files = _uploads(folder)
    app = _start_app(home, folder, files)
    try:
        case_id, acked = _read_acks(app, len(files))
        moment = _wait_for_reading_under_way(Store.at(home), case_id, len(files), limit_s=60)
    finally:
        _kill_tree(app)
    assert moment

    # The restarted app: a fresh process on the same store, a coordinator opening the case.
    restarted = subprocess.run(
        [sys.executable, str(APP_PROCESS), "resume", "--home", str(home),
         "--case-id", case_id, "--wait-seconds", "60"],
        cwd=ROOT, env=_env(home), capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert restarted.returncode == 0, restarted.stderr[-2000:]
    _assert_each_upload_read_once(home, case_id, acked, files)
