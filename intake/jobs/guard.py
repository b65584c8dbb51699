"""Run one file's reading in a forked child with a wall-clock limit and a memory ceiling.

A hostile file can make a C library (PDF parser, image decoder, tesseract) spin or
allocate without end; Python cannot interrupt C code, so the only reliable bound is a
separate process that the parent kills. Forking (not spawning) keeps the cost to a few
milliseconds because the child shares the parent's already-imported libraries.

Only outcome kinds and exception class names cross back to the caller, never exception
messages: those may quote document text.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar, cast

from extractors.errors import FileErrorCode, FileRejected

T = TypeVar("T")

_MiB = 1024 * 1024


@dataclass(frozen=True)
class GuardLimits:
    """`memory_bytes` is address space the child may add on top of what it inherits."""

    timeout_s: float = 120.0
    memory_bytes: int = 2048 * _MiB


class Outcome(StrEnum):
    OK = "ok"
    REJECTED = "rejected"  # the function raised FileRejected: an orderly per-file error
    RAISED = "raised"  # any other exception: a defect in the reader
    TIMEOUT = "timeout"
    MEMORY = "memory"
    CRASHED = "crashed"  # killed by a signal or exited without a result


@dataclass(frozen=True)
class GuardResult(Generic[T]):
    outcome: Outcome
    value: T | None = None
    rejection: FileRejected | None = None
    error_type: str | None = None  # class name of an unexpected exception
    signal_name: str | None = None
    elapsed_s: float = 0.0
    # Resident memory the child added while running (its own and its helper processes').
    peak_growth_bytes: int | None = None

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.OK


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return (
        kind.__qualname__
        if kind.__module__ == "builtins"
        else f"{kind.__module__}.{kind.__qualname__}"
    )


def _child(write_fd: int, fn: Callable[..., Any], args: tuple[Any, ...], memory_bytes: int) -> None:
    rss_start = _status_kib("VmRSS") * 1024
    ceiling = _status_kib("VmSize") * 1024 + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    # A core dump of a hostile file's crash is neither wanted nor small.
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # The parent reports a crash by its signal; a stack dump per hostile file is noise.
    faulthandler.disable()
    payload: tuple[Any, ...]
    try:
        value = fn(*args)
        payload = ("ok", value)
    except FileRejected as exc:
        payload = ("rejected", exc.code.value, exc.message)
    except MemoryError:
        payload = ("memory",)
    except BaseException as exc:  # noqa: BLE001 - every escape must be reported, not re-raised
        payload = ("raised", _type_name(exc))
    peak = _status_kib("VmHWM") * 1024
    helpers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    growth = max(peak - rss_start, helpers, 0)
    try:
        data = pickle.dumps((payload, growth), protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        data = pickle.dumps((("memory",), growth))
    except Exception as exc:  # noqa: BLE001 - an unpicklable result is a reader defect
        data = pickle.dumps((("raised", f"unpicklable result: {type(exc).__qualname__}"), growth))
    view = memoryview(data)
    while view:
        written = os.write(write_fd, view)
        view = view[written:]
    os.close(write_fd)


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _read_until(fd: int, deadline: float) -> tuple[bytes, bool]:
    """Read everything the child writes; (data, finished_before_deadline)."""
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return b"".join(chunks), False
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks), True
        chunks.append(chunk)


def run_guarded(
    fn: Callable[..., T], *args: Any, limits: GuardLimits | None = None
) -> GuardResult[T]:
    """Call `fn(*args)` in a forked child; never raises for anything the child does.

    The result must be picklable. On timeout the child is killed with SIGKILL.
    """
    limits = limits or GuardLimits()
    read_fd, write_fd = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child, measured through the parent
        code = 0
        try:
            # Own process group, so a kill also ends helpers it started (tesseract).
            os.setpgid(0, 0)
            os.close(read_fd)
            _child(write_fd, fn, args, limits.memory_bytes)
        except BaseException:  # noqa: BLE001 - the child must never return into the caller's stack
            code = 70
        finally:
            os._exit(code)
    os.close(write_fd)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # also from this side, so a kill right away cannot miss the group
    finished = False
    try:
        data, finished = _read_until(read_fd, started + limits.timeout_s)
    finally:
        os.close(read_fd)
        if not finished:  # timed out, or this process was interrupted (Ctrl-C, test timeout)
            _kill_group(pid)
        # Wait without reaping, so the group id cannot be reused before helpers left
        # behind by the child (tesseract) are killed too.
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        _kill_group(pid)
        _, status = os.waitpid(pid, 0)
    elapsed = time.monotonic() - started
    if not finished:
        return GuardResult(Outcome.TIMEOUT, elapsed_s=elapsed)
    if os.WIFSIGNALED(status) or not data:
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else None
        name = signal.Signals(sig).name if sig else None
        return GuardResult(Outcome.CRASHED, signal_name=name, elapsed_s=elapsed)
    payload, growth = pickle.loads(data)
    kind = payload[0]
    if kind == "ok":
        return GuardResult(
            Outcome.OK, value=payload[1], elapsed_s=elapsed, peak_growth_bytes=growth
        )
    if kind == "rejected":
        rejection = FileRejected(FileErrorCode(payload[1]), payload[2])
        return GuardResult(
            Outcome.REJECTED, rejection=rejection, elapsed_s=elapsed, peak_growth_bytes=growth
        )
    if kind == "memory":
        return GuardResult(Outcome.MEMORY, elapsed_s=elapsed, peak_growth_bytes=growth)
    return GuardResult(
        Outcome.RAISED, error_type=payload[1], elapsed_s=elapsed, peak_growth_bytes=growth
    )


def call_guarded(
    name: str, fn: Callable[..., T], *args: Any, limits: GuardLimits | None = None
) -> T:
    """Like `run_guarded`, but a file that cannot be read within the limits raises FileRejected.

    `name` is the file's display name, used in the message (never its contents).
    """
    limits = limits or GuardLimits()
    result = run_guarded(fn, *args, limits=limits)
    if result.outcome is Outcome.OK:
        # OK means fn returned, and what it returned is a T (None included, when T allows it).
        return cast(T, result.value)
    if result.outcome is Outcome.REJECTED and result.rejection is not None:
        raise result.rejection
    if result.outcome is Outcome.TIMEOUT:
        raise FileRejected(
            FileErrorCode.TOO_LARGE,
            f"{name}: reading took longer than the {limits.timeout_s:g} s limit per file",
        )
    if result.outcome is Outcome.MEMORY:
        raise FileRejected(
            FileErrorCode.TOO_LARGE,
            f"{name}: reading needed more than the {limits.memory_bytes // _MiB} MiB memory limit per file",
        )
    if result.outcome is Outcome.CRASHED:
        raise FileRejected(
            FileErrorCode.CORRUPT,
            f"{name}: the file crashed the reader ({result.signal_name or 'no result'})",
        )
    raise FileRejected(
        FileErrorCode.CORRUPT, f"{name}: the file could not be read ({result.error_type})"
    )
