"""Everything the store and a batch write is for the owner alone (issue 16 row 9).

Run as a separate process started with the usual umask of 022, as a service would be: the
database, its WAL journal, the originals, the cache and every output must come out without
any group or other permission bits (another local user read names out of a 0644 journal).
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from batch.inbox_builder import clinic, header, text_pdf

ROOT = Path(__file__).resolve().parents[2]
PATIENT = {"name": "Jane Permission", "dob": "01/02/1960", "mrn": "MRN445566"}


def _open_to_others(root: Path) -> list[str]:
    found = []
    for p in [root, *root.rglob("*")]:
        mode = p.stat().st_mode
        if stat.S_IMODE(mode) & 0o077:
            found.append(f"{p.relative_to(root.parent)} {stat.filemode(mode)}")
    return found


def test_store_journal_originals_and_outputs_are_owner_only(tmp_path: Path) -> None:
    inbox, out, home = tmp_path / "inbox", tmp_path / "out", tmp_path / "home"
    (inbox / "jane").mkdir(parents=True)
    (inbox / "jane" / "clinic.pdf").write_bytes(
        text_pdf([header(PATIENT) + clinic(PATIENT, "03/04/2026")])
    )
    env = {**os.environ, "RECORDREADY_HOME": str(home)}
    env.pop("RECORDREADY_DATABASE_URL", None)
    env.pop("RECORDREADY_BLOB_DIR", None)
    env.pop("RECORDREADY_BROKER_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "ui.cli.main", "batch", str(inbox), "--out", str(out), "-q",
         "--workers", "0"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
        preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    written = sorted(p.name for p in home.rglob("*"))
    assert any(n.endswith(".db") for n in written), written
    assert any(n.endswith("-wal") for n in written), "no WAL journal was left to check"
    assert (out / "summary.csv").is_file()
    assert _open_to_others(home) == []
    assert _open_to_others(out) == []
