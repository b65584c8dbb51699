"""Who holds a claim: this process as an owner id, and whether another owner is gone."""

from __future__ import annotations

import os
import socket
from pathlib import Path


def _boot_id() -> str:
    try:
        return Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:  # not Linux: the lease alone decides
        return ""


def _start_ticks(pid: int) -> str:
    """When `pid` started (clock ticks since boot), "" if unknown or gone: tells a reused pid apart."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    # The command name may hold spaces and parentheses: split after its closing one.
    fields = stat.rsplit(")", 1)[1].split()
    return "" if fields[0] in ("Z", "X") else fields[19]


_BOOT = _boot_id()


def owner_id() -> str:
    """This process as a claim owner: host:pid:boot-id:start (computed per call: forks differ)."""
    pid = os.getpid()
    return f"{socket.gethostname()}:{pid}:{_BOOT}:{_start_ticks(pid)}"


def is_gone(owner: str) -> bool:
    """True when `owner` ran on this host and is certainly not running any more.

    Owners on other hosts are never judged here (their lease decides), nor are owners in
    a format we cannot read.
    """
    parts = owner.rsplit(":", 3)
    if len(parts) != 4 or not parts[1].isdigit():
        return False
    host, pid, boot, start = parts[0], int(parts[1]), parts[2], parts[3]
    if host != socket.gethostname():
        return False
    if boot and _BOOT and boot != _BOOT:
        return True  # the machine restarted since the claim
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # alive, another user's
    now = _start_ticks(pid) if Path("/proc").is_dir() else start
    # Empty: a zombie (killed, not yet reaped); different: the pid now names another process.
    return now != start
