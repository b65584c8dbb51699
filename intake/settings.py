"""Every deployment setting of RecordReady, in one object read from `RECORDREADY_*` variables.

Nothing else in the code reads a `RECORDREADY_*` variable: `intake` builds a `Settings` and
hands the readers and checklists plain values (the OCR time limit, the program folders), so
those libraries never know how a deployment is configured. pydantic-settings validates each
value when it is read, so a mistyped number fails at start with the variable's name rather
than halfway through a batch.

| variable | field | default |
|---|---|---|
| RECORDREADY_HOME | home | ./.recordready |
| RECORDREADY_DATABASE_URL | database_url | SQLite file in home (postgresql+psycopg://... works unchanged) |
| RECORDREADY_BLOB_DIR | blob_dir | <home>/blobs (content-addressed originals) |
| RECORDREADY_PROGRAMS_DIR | programs_dirs | none; extra program folders, separated by the OS path separator |
| RECORDREADY_OCR_TIMEOUT | ocr_timeout_s | 180 seconds per page (OCRmyPDF's default) |
| RECORDREADY_LOG_LEVEL | log_level | none (the caller's default); see intake/logs.py |
| RECORDREADY_BROKER_URL | broker_url | none: the local process pool; redis://... for Celery |
| RECORDREADY_QUEUE | queue | recordready |
| RECORDREADY_VISIBILITY_TIMEOUT | visibility_timeout_s | 3600 (must exceed the longest job) |
| RECORDREADY_RETRY_BACKOFF | retry_backoff_s | 2 (first retry delay, doubled each time) |
| RECORDREADY_REAL_CORPUS | real_corpus | ../shared/corpus/real (the eval's labelled real reports) |
| RECORDREADY_RECORDS_CORPUS | records_corpus | ../shared/corpus/records (the eval's outside-written cases) |
| RECORDREADY_PUBLIC_URL | public_url | none: the host the browser used; set it behind a proxy (https://records.example.org) |
| RECORDREADY_CARE_TEAM_CONTACT | care_team_contact | none: letters leave a blank for the sender; lines split by "|" ("Cell Therapy Program | 1 Main St | +1 555 0100") |
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PREFIX = "RECORDREADY_"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=PREFIX, frozen=True, extra="ignore")

    # The defaults of these three are filled in by _derive_paths from the home folder.
    home: Path = Path(".recordready")
    database_url: str = ""
    blob_dir: Path = Path("blobs")
    programs_dirs: Annotated[list[Path], NoDecode] = Field(
        default_factory=list, validation_alias="RECORDREADY_PROGRAMS_DIR"
    )
    ocr_timeout_s: float = Field(180.0, gt=0, validation_alias="RECORDREADY_OCR_TIMEOUT")
    # Kept as text: logs.py parses it leniently (a bad level must not stop a batch).
    log_level: str | None = None
    broker_url: str | None = None
    queue: str = "recordready"
    visibility_timeout_s: float = Field(
        3600.0, gt=0, validation_alias="RECORDREADY_VISIBILITY_TIMEOUT"
    )
    retry_backoff_s: float = Field(2.0, ge=0, validation_alias="RECORDREADY_RETRY_BACKOFF")
    real_corpus: Path | None = None
    records_corpus: Path = Path("../shared/corpus/records")
    # Where patients reach the app: the start of every patient link a coordinator sends.
    public_url: str | None = None
    # The care team's return address on records requests (offices send the records there).
    care_team_contact: str | None = None

    @field_validator("programs_dirs", mode="before")
    @classmethod
    def _split_dirs(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [Path(p) for p in value.split(os.pathsep) if p.strip()]
        return value

    @field_validator(
        "broker_url", "log_level", "real_corpus", "public_url", "care_team_contact", mode="before"
    )
    @classmethod
    def _blank_is_unset(cls, value: Any) -> Any:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("must be an http(s) address such as https://records.example.org")
        return value.rstrip("/")

    @model_validator(mode="before")
    @classmethod
    def _derive_paths(cls, data: Any) -> Any:
        """The database and blob folder default to places inside the home folder."""
        if not isinstance(data, dict):
            return data
        home = Path(data.get("home") or ".recordready").resolve()
        data = {**data, "home": home}
        if not data.get("database_url"):
            data["database_url"] = f"sqlite:///{home / 'recordready.db'}"
        if not data.get("blob_dir"):
            data["blob_dir"] = home / "blobs"
        return data

    @classmethod
    def from_env(cls, home: Path | str | None = None) -> Settings:
        """The settings of this process; `home` (a command's --home) wins over the variable."""
        if home is not None:
            return cls(home=Path(home))
        return cls()

    @classmethod
    def at(cls, home: Path | str) -> Settings:
        """Settings rooted in `home` alone: its own SQLite file and blob folder."""
        return cls(home=Path(home), database_url="", blob_dir="")
