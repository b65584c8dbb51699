"""Owner-only permissions for everything the store and its outputs write.

The database, its WAL journal, the originals, the cache and the batch outputs hold patients'
names and record numbers. With the usual umask of 022 they were created readable by every
local user (another account on the host read names and MRNs out of the SQLite journal). The
process umask is narrowed once, before anything is written, so every file and folder
created afterwards (by us, by SQLite, by a library) is for the owner alone.
"""

from __future__ import annotations

import os
from pathlib import Path

# Group and others get nothing: files 0600, folders 0700.
PRIVATE_UMASK = 0o077


def owner_only() -> None:
    """Narrow this process's umask so new files and folders are private to its user."""
    current = os.umask(PRIVATE_UMASK)
    os.umask(current | PRIVATE_UMASK)


def private_file(path: Path) -> None:
    """Create `path` empty and owner-only if it is missing (SQLite gives its journal and WAL
    the database file's own mode, so the database file must be private before it opens)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600)
    os.close(fd)
