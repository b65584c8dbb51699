"""One logging set-up for every RecordReady process: the CLI, the app and pool workers.

The level comes from, in order: an explicit choice (`recordready --log-level`), the
`RECORDREADY_LOG_LEVEL` environment variable, then the caller's default (WARNING for the
CLI, INFO for batch progress lines). Worker processes read the same variable, so a DEBUG
run is DEBUG everywhere. Whatever the level, libraries that log file content stay pinned
to WARNING: at DEBUG, Pillow logs every TIFF/EXIF tag value (phones and clinic software
put owner names there). The list lives with the readers (`extractors/quiet.py`), which pin it themselves too.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

from pydantic import ValidationError

from extractors.quiet import CONTENT_LOGGERS, pin_content_loggers
from intake.settings import Settings

__all__ = ["CONTENT_LOGGERS", "pin_content_loggers"]

ENV_VAR = "RECORDREADY_LOG_LEVEL"
LEVEL_NAMES: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# At DEBUG, support needs to tell processes and modules apart; above it, keep lines short.
DEBUG_FORMAT = "%(asctime)s %(process)d %(name)s %(levelname)s %(message)s"
PLAIN_FORMAT = "%(message)s"


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _value: TextIO) -> None:
        pass


def parse_level(value: str | int | None) -> int | None:
    """A logging level from a name ("debug", "INFO") or a number; None for None or blank."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = value.strip().upper()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if text == "WARN":
        text = "WARNING"
    if text not in LEVEL_NAMES:
        raise ValueError(f"unknown log level {value!r}; use one of {', '.join(LEVEL_NAMES)}")
    return logging.getLevelNamesMapping()[text]


def _configured_level() -> str | None:
    """RECORDREADY_LOG_LEVEL as the settings read it (None if unset, or if another setting is
    malformed: logging must come up whatever else is wrong, so that error can be reported)."""
    try:
        return Settings.from_env().log_level
    except ValidationError:
        return None


def chosen_level(
    level: str | int | None = None, default: int | None = logging.WARNING
) -> int | None:
    """The explicit level, else RECORDREADY_LOG_LEVEL, else `default`.

    A malformed variable must not stop a batch: it falls back to `default` (and
    setup_logging says so once the handler exists).
    """
    explicit = parse_level(level)
    if explicit is not None:
        return explicit
    try:
        from_env = parse_level(_configured_level())
    except ValueError:
        from_env = None
    return from_env if from_env is not None else default


def setup_logging(
    level: str | int | None = None, default: int | None = logging.WARNING, export: bool = False
) -> int:
    """Configure the root logger once per process (later calls only change the level).

    `default=None` keeps the root level a host program already chose when neither an
    explicit level nor the variable is given. `export=True` writes the chosen level to
    RECORDREADY_LOG_LEVEL so every process started from here (workers, the app's server)
    follows it. A host's own handlers (a test harness, a sitecustomize) are kept, never
    doubled. Returns the root logger's effective level.
    """
    level_no = chosen_level(level, default)
    root = logging.getLogger()
    ours = next((h for h in root.handlers if isinstance(h, _StderrHandler)), None)
    if ours is None and not root.handlers:
        ours = _StderrHandler()
        root.addHandler(ours)
    if level_no is not None:
        root.setLevel(level_no)
        if export:
            os.environ[ENV_VAR] = logging.getLevelName(level_no)
    if ours is not None:
        debug = root.getEffectiveLevel() <= logging.DEBUG
        ours.setFormatter(logging.Formatter(DEBUG_FORMAT if debug else PLAIN_FORMAT))
    pin_content_loggers()
    raw = _configured_level()
    try:
        parse_level(raw)
    except ValueError:
        logging.getLogger(__name__).warning("%s=%r is not a log level; ignored", ENV_VAR, raw)
    return root.getEffectiveLevel()


def configure_worker() -> None:
    """Pool worker start-up: follow the parent's level (passed in RECORDREADY_LOG_LEVEL)."""
    setup_logging(default=None)


def level_name(level: int | None = None) -> str:
    """The name to hand a child process (the root's effective level by default)."""
    return logging.getLevelName(logging.getLogger().getEffectiveLevel() if level is None else level)
