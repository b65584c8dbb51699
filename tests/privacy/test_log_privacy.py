"""Logs and error messages carry no patient identifiers, even at DEBUG level.

The sample batch and an app session run for real (separate processes, all loggers at
DEBUG, pool workers included); everything they print, the rejected.csv messages, the
stored per-file error messages and the audit trail are searched for every sample patient's
name (whole, reversed, surname alone, other scripts), date of birth (many spellings) and
MRN. Reports are not searched: they rightly name the patient.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from privacy.identifiers import (
    Leak,
    document_lines,
    find_document_text,
    find_leaks,
    identifiers,
    user_chosen_names,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_docs"
TRUTH = SAMPLES / "ground_truth.json"
INBOX = SAMPLES / "inbox"
APP_PROCESS = ROOT / "tests" / "hostile" / "app_process.py"

# Neither `recordready batch` nor the app offers a debug switch, and pool workers may be
# fresh interpreters (forkserver) that inherit no logging setup. A sitecustomize put first
# on PYTHONPATH configures DEBUG logging to stderr in every Python process of the run;
# the commands' own basicConfig calls then change nothing.
SITECUSTOMIZE = (
    "import logging\n"
    "logging.basicConfig(level=logging.DEBUG,"
    " format='%(asctime)s %(process)d %(name)s %(levelname)s %(message)s')\n"
)
CLI = Path(sys.executable).with_name("recordready")


def _env(home: Path) -> dict[str, str]:
    site = home.parent / "debug-site"
    site.mkdir(parents=True, exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    env = dict(os.environ)
    env.update(
        RECORDREADY_HOME=str(home),
        RECORDREADY_LOG_LEVEL="DEBUG",  # honoured if the commands grow the switch
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(site), env.get("PYTHONPATH")) if p),
    )
    env.pop("RECORDREADY_DATABASE_URL", None)
    env.pop("RECORDREADY_BLOB_DIR", None)
    env.pop("RECORDREADY_BROKER_URL", None)  # the local pool: its processes are ours to kill
    return env


def _samples(tmp_path: Path) -> tuple[Path, Path]:
    """A private copy of the sample inbox and its ground truth (other tests regenerate them)."""
    deadline = time.monotonic() + 60
    while not (TRUTH.is_file() and INBOX.is_dir()) and time.monotonic() < deadline:
        time.sleep(1)
    if not (TRUTH.is_file() and INBOX.is_dir()):
        pytest.fail("sample_docs/inbox or ground_truth.json is missing: run `make samples`")
    inbox = tmp_path / "samples" / "inbox"
    shutil.copytree(INBOX, inbox)
    truth = tmp_path / "samples" / "ground_truth.json"
    shutil.copyfile(TRUTH, truth)
    return inbox, truth


def _debug_processes(stderr: str) -> int:
    """How many processes wrote DEBUG lines (the coordinating one and its workers)."""
    return len(set(re.findall(r"^\S+ \S+ (\d+) \S+ DEBUG ", stderr, re.MULTILINE)))


def _report(leaks: list[Leak]) -> str:
    return "identifiers found:\n" + "\n".join(str(leak) for leak in leaks[:40])


def test_the_search_finds_identifiers_in_every_spelling() -> None:
    if not TRUTH.is_file():
        pytest.fail("sample_docs/ground_truth.json is missing: run `make samples`")
    ids = identifiers(TRUTH)
    truth = json.loads(TRUTH.read_text(encoding="utf-8"))["patients"]
    p1 = next(iter(sorted(truth.items())))[1]
    given, surname = p1["name"].rsplit(" ", 1)
    y, m, d = p1["dob"].split("-")
    bare_mrn = p1["mrn"].split("-")[-1]
    planted = [
        f"reading {p1['name']} labs",
        f"patient {surname.upper()}, {given.upper()} matched",
        f"surname {surname.replace(chr(39), chr(0x2019))} only",
        f"dob {int(m)}/{int(d)}/{y}",
        f"dob {d}.{m}.{y}",
        f"MRN {bare_mrn}",
        f"key {p1['mrn'].lower()}",
    ]
    for line in planted:
        assert find_leaks(line, "planted", ids), f"not found: {line!r}"
    # File and folder names the user chose are not leaks, even when they hold a surname.
    folder = f"01_{surname.replace(chr(39), '').lower()}_cart-lbcl"
    clean = f"{folder}/echo.pdf: PDF is truncated (no end-of-file marker); 2026-11-26 07:19:43"
    assert find_leaks(clean, "clean", ids, allowed=[folder]) == []
    # A printed line of a page, re-wrapped by a log formatter, is still found.
    printed = document_lines(TRUTH)
    line = sorted(printed)[len(printed) // 2]
    words = line.split()
    rewrapped = " ".join(words[: len(words) // 2]) + "\n   " + " ".join(words[len(words) // 2 :])
    assert find_document_text(f"DEBUG page 1: {rewrapped}", "planted", printed)
    assert find_document_text(clean, "clean", printed) == []


@pytest.mark.slow
def test_batch_at_debug_level_logs_no_identifiers(tmp_path: Path) -> None:
    inbox, truth = _samples(tmp_path)
    out = tmp_path / "out"
    run = subprocess.run(
        [str(CLI), "batch", str(inbox), "-o", str(out)],
        cwd=ROOT,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert _debug_processes(run.stderr) >= 2, "workers and coordinator must all log at DEBUG"
    with (out / "rejected.csv").open(encoding="utf-8", newline="") as fh:
        rejected = list(csv.DictReader(fh))
    assert rejected, "the sample inbox has bad files: rejected.csv should list them"
    messages = "\n".join(f"{r['error_code']} {r['message']}" for r in rejected)

    ids = identifiers(truth)
    allowed = user_chosen_names(inbox) + [str(tmp_path)]
    leaks = (
        find_leaks(run.stdout, "stdout", ids, allowed)
        + find_leaks(run.stderr, "stderr", ids, allowed)
        + find_leaks(messages, "rejected.csv", ids, allowed)
    )
    assert leaks == [], _report(leaks)
    printed = document_lines(truth)
    quoted = [
        *find_document_text(run.stdout, "stdout", printed),
        *find_document_text(run.stderr, "stderr", printed),
        *find_document_text(messages, "rejected.csv", printed),
    ]
    assert quoted == [], "document text in logs or messages:\n" + "\n".join(quoted[:20])


def _events(stdout: str) -> dict[str, dict]:
    return {e["event"]: e for e in (json.loads(line) for line in stdout.splitlines() if line)}


@pytest.mark.slow
def test_app_session_at_debug_level_logs_no_identifiers(tmp_path: Path) -> None:
    inbox, truth = _samples(tmp_path)
    # The case folder with the most bad files, plus the loose uploads of the inbox.
    cases = sorted(p for p in inbox.iterdir() if p.is_dir())
    case = max(
        cases,
        key=lambda c: sum(
            f.stat().st_size == 0 or f.suffix not in (".pdf", ".jpg", ".json") for f in c.iterdir()
        ),
    )
    uploads = sorted(p for p in case.iterdir() if p.is_file() and p.name != "case.json")
    uploads += sorted(p for p in inbox.iterdir() if p.is_file())
    program = json.loads((case / "case.json").read_text(encoding="utf-8")).get("program")
    run = subprocess.run(
        [sys.executable, str(APP_PROCESS), "upload", "--home", str(tmp_path / "home"),
         "--program", program or "cart-lbcl", "--report", *map(str, uploads)],
        cwd=ROOT,
        env=_env(tmp_path / "home"),
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert _debug_processes(run.stderr) >= 2, "the app and its reader's workers must log at DEBUG"
    events = _events(run.stdout)
    settled = events["settled"]
    assert not settled["reading"], "the background reader did not finish"
    errors = "\n".join(
        f"{f['error_code']} {f['error_message']}" for f in settled["files"] if f["error_message"]
    )
    audit = "\n".join(" | ".join(row) for row in events["audit"]["rows"])

    ids = identifiers(truth)
    allowed = user_chosen_names(inbox) + [str(tmp_path)]
    leaks = (
        find_leaks(run.stderr, "app log", ids, allowed)
        + find_leaks(errors, "stored error messages", ids, allowed)
        + find_leaks(audit, "audit trail", ids, allowed)
    )
    assert leaks == [], _report(leaks)
    printed = document_lines(truth)
    quoted = [
        *find_document_text(run.stderr, "app log", printed),
        *find_document_text(errors, "stored error messages", printed),
        *find_document_text(audit, "audit trail", printed),
    ]
    assert quoted == [], "document text in logs or messages:\n" + "\n".join(quoted[:20])


def test_photo_metadata_is_not_logged_at_debug_level(caplog: pytest.LogCaptureFixture) -> None:
    # Phones and scanners write the owner's name and notes into EXIF (Artist, Copyright,
    # ImageDescription, UserComment). Reading a photo at DEBUG must not copy them to the log.
    from fuzz.seeds import page_image
    from PIL import Image

    from extractors.pages import read_item
    from extractors.sources import expand_bytes

    patient = sorted(json.loads(TRUTH.read_text(encoding="utf-8"))["patients"].items())[0][1]
    exif = Image.Exif()
    exif[0x013B] = patient["name"]  # Artist
    exif[0x8298] = patient["name"]  # Copyright
    exif[0x010E] = f"MRN {patient['mrn']} DOB {patient['dob']}"  # ImageDescription
    buf = io.BytesIO()
    page_image().convert("RGB").save(buf, format="JPEG", exif=exif)

    caplog.set_level(logging.DEBUG)
    results = [read_item(item) for item in expand_bytes("IMG_0001.jpg", buf.getvalue())]
    assert results and results[0].status == "ok"
    leaks = find_leaks(caplog.text, "log", identifiers(TRUTH), ["IMG_0001.jpg"])
    assert leaks == [], _report(leaks)
