"""Where RecordReady keeps its data. Environment variables override the defaults.

RECORDREADY_HOME          data folder (default: ./.recordready)
RECORDREADY_DATABASE_URL  SQLAlchemy URL (default: SQLite file in the data folder;
                          postgresql+psycopg://... works unchanged)
RECORDREADY_BLOB_DIR      content-addressed originals (default: <home>/blobs)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    blob_dir: Path

    @classmethod
    def from_env(cls, home: Path | str | None = None) -> Settings:
        root = Path(home or os.environ.get("RECORDREADY_HOME") or ".recordready").resolve()
        url = os.environ.get("RECORDREADY_DATABASE_URL") or f"sqlite:///{root / 'recordready.db'}"
        blobs = Path(os.environ.get("RECORDREADY_BLOB_DIR") or root / "blobs")
        return cls(home=root, database_url=url, blob_dir=blobs)
