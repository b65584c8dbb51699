"""The per-file guard really bounds time and memory and reports every outcome."""

from __future__ import annotations

import os
import subprocess
import time

import pytest

from extractors.errors import FileErrorCode, FileRejected
from intake.jobs.guard import GuardLimits, Outcome, call_guarded, run_guarded

_MiB = 1024 * 1024


def _double(x: int) -> list[int]:
    return [x * 2] * 3


def _reject() -> None:
    raise FileRejected(FileErrorCode.CORRUPT, "bad.pdf: the cross-reference table is damaged")


def _raise_with_secret() -> None:
    raise ValueError("Margaret O'Neill 1961-03-14")


def _spin() -> None:
    while True:
        pass


def _hog() -> bytes:
    return b"x" * (900 * _MiB)


def _abort() -> None:
    os.abort()


def _sleeping_helper(marker: str) -> None:
    # Stands in for a reader's helper process (tesseract) that outlives a stuck reader.
    subprocess.Popen(["sleep", "30", marker])
    time.sleep(30)


def test_value_comes_back() -> None:
    result = run_guarded(_double, 21)
    assert result.outcome is Outcome.OK and result.value == [42, 42, 42]
    assert result.peak_growth_bytes is not None and result.peak_growth_bytes >= 0


def test_rejection_keeps_code_and_message() -> None:
    result = run_guarded(_reject)
    assert result.outcome is Outcome.REJECTED
    assert result.rejection is not None and result.rejection.code is FileErrorCode.CORRUPT
    with pytest.raises(FileRejected) as info:
        call_guarded("bad.pdf", _reject)
    assert info.value.message.startswith("bad.pdf")


def test_unexpected_exception_reports_class_name_only() -> None:
    result = run_guarded(_raise_with_secret)
    assert result.outcome is Outcome.RAISED and result.error_type == "ValueError"
    with pytest.raises(FileRejected) as info:
        call_guarded("x.pdf", _raise_with_secret)
    assert "Margaret" not in info.value.message and "1961" not in info.value.message
    assert info.value.code is FileErrorCode.CORRUPT


def test_endless_loop_is_killed_at_the_limit() -> None:
    started = time.monotonic()
    result = run_guarded(_spin, limits=GuardLimits(timeout_s=0.5))
    assert result.outcome is Outcome.TIMEOUT
    assert time.monotonic() - started < 5
    with pytest.raises(FileRejected) as info:
        call_guarded("loop.tif", _spin, limits=GuardLimits(timeout_s=0.3))
    assert info.value.code is FileErrorCode.TOO_LARGE
    assert "loop.tif" in info.value.message and "limit" in info.value.message


def test_memory_ceiling_stops_a_hog() -> None:
    result = run_guarded(_hog, limits=GuardLimits(memory_bytes=256 * _MiB))
    assert result.outcome is Outcome.MEMORY
    with pytest.raises(FileRejected) as info:
        call_guarded("bomb.png", _hog, limits=GuardLimits(memory_bytes=256 * _MiB))
    assert info.value.code is FileErrorCode.TOO_LARGE and "bomb.png" in info.value.message


def test_crash_is_reported_not_propagated() -> None:
    result = run_guarded(_abort)
    assert result.outcome is Outcome.CRASHED and result.signal_name == "SIGABRT"


def test_timeout_also_kills_helper_processes() -> None:
    marker = f"{os.getpid()}.{time.monotonic_ns()}"
    result = run_guarded(_sleeping_helper, marker, limits=GuardLimits(timeout_s=1.0))
    assert result.outcome is Outcome.TIMEOUT
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-f", f"sleep 30 {marker}"], capture_output=True, text=True)
    assert left.stdout.strip() == ""


def _big(n: int) -> str:
    return "x" * n


def test_large_result_crosses_the_pipe_without_deadlock() -> None:
    # Far beyond a pipe's 64 KiB buffer: the parent must read while the child writes.
    result = run_guarded(_big, 8 * _MiB, limits=GuardLimits(timeout_s=20))
    assert result.outcome is Outcome.OK and result.value is not None
    assert len(result.value) == 8 * _MiB
