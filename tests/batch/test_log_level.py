"""`recordready --log-level` and RECORDREADY_LOG_LEVEL reach every process of a batch (F7).

Real `recordready` runs in fresh processes, no logging set up from outside: DEBUG lines
must come from the coordinating process's workers too, content-logging libraries stay at
WARNING, and without the switch a run stays at its usual level.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from batch.inbox_builder import ALICE, labs, text_pdf
from intake import logs

RECORDREADY = [sys.executable, "-m", "ui.cli.main"]
DEBUG_LINE = re.compile(r"^\S+ \S+ (\d+) (\S+) DEBUG ", re.MULTILINE)


def _inbox(root: Path) -> Path:
    case = root / "inbox" / "alice"
    case.mkdir(parents=True)
    (case / "case.json").write_text(json.dumps({"program": "cart-lbcl", "as_of": "2026-11-20"}))
    (case / "labs.pdf").write_bytes(text_pdf([labs(ALICE, "2026-11-12")]))
    return root / "inbox"


def _batch(
    root: Path, *before: str, env_level: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("RECORDREADY_")}
    env.update(RECORDREADY_HOME=str(root / "home"), PYTHONUNBUFFERED="1")
    if env_level is not None:
        env[logs.ENV_VAR] = env_level
    inbox = root / "inbox" if (root / "inbox").is_dir() else _inbox(root)
    return subprocess.run(
        [*RECORDREADY, *before, "batch", str(inbox), "-o", str(root / "out"), "-j", "1",
         "--engine", "local"],
        env=env, capture_output=True, text=True, timeout=240,
    )  # fmt: skip


@pytest.mark.parametrize(("before", "env_level"), [(("--log-level", "debug"), None), ((), "DEBUG")])
def test_debug_reaches_the_workers(
    tmp_path: Path, before: tuple[str, ...], env_level: str | None
) -> None:
    run = _batch(tmp_path, *before, env_level=env_level)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = DEBUG_LINE.findall(run.stderr)
    assert len({pid for pid, _ in lines}) >= 2, "the run and its worker must both log at DEBUG"
    assert any(name == "extractors.documents" for _, name in lines)
    # Libraries that log file content stay pinned whatever the level.
    assert not [n for _, n in lines if n.split(".")[0] in logs.CONTENT_LOGGERS]


def test_without_the_switch_no_debug_and_progress_as_before(tmp_path: Path) -> None:
    run = _batch(tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert DEBUG_LINE.findall(run.stderr) == []
    assert " DEBUG " not in run.stderr


def test_an_unknown_level_is_a_usage_error(tmp_path: Path) -> None:
    run = _batch(tmp_path, "--log-level", "loud")
    assert run.returncode == 2
    assert "unknown log level 'loud'" in run.stderr
    assert not (tmp_path / "out").exists()


def test_level_resolution_and_pins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(logs.ENV_VAR, raising=False)
    assert logs.chosen_level(None, logging.INFO) == logging.INFO
    assert logs.chosen_level(None, None) is None
    monkeypatch.setenv(logs.ENV_VAR, "debug")
    assert logs.chosen_level(None, logging.INFO) == logging.DEBUG
    assert logs.chosen_level("error", logging.INFO) == logging.ERROR  # explicit beats the variable
    monkeypatch.setenv(logs.ENV_VAR, "chatty")
    assert logs.chosen_level(None, logging.INFO) == logging.INFO  # a typo must not stop a batch
    with pytest.raises(ValueError, match="unknown log level"):
        logs.parse_level("chatty")
    assert logs.parse_level("warn") == logging.WARNING
