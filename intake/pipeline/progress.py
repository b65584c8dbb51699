"""How a batch shows its progress: a rich bar on a terminal, plain lines in logs, or nothing."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Reporter(Protocol):
    def add_totals(self, files: int = 0, pages: int = 0) -> None: ...
    def advance(self, files: int = 0, pages: int = 0) -> None: ...
    def message(self, text: str) -> None: ...
    def warn(self, text: str) -> None: ...
    def close(self) -> None: ...


class QuietReporter:
    """For cron: nothing on success; messages (problems) still go to stderr."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr

    def add_totals(self, files: int = 0, pages: int = 0) -> None:
        pass

    def advance(self, files: int = 0, pages: int = 0) -> None:
        pass

    def message(self, text: str) -> None:
        pass

    def warn(self, text: str) -> None:
        print(text, file=self._stream, flush=True)

    def close(self) -> None:
        pass


class PlainReporter:
    """One line per file finished (at most every `every_s` seconds), for logs and pipes."""

    def __init__(self, stream: TextIO | None = None, every_s: float = 2.0) -> None:
        self._stream = stream or sys.stderr
        self._every = every_s
        self._files = self._pages = self._files_total = self._pages_total = 0
        self._start = time.monotonic()
        self._last = 0.0

    def add_totals(self, files: int = 0, pages: int = 0) -> None:
        self._files_total += files
        self._pages_total += pages

    def advance(self, files: int = 0, pages: int = 0) -> None:
        self._files += files
        self._pages += pages
        now = time.monotonic()
        if files and (now - self._last >= self._every or self._files == self._files_total):
            self._last = now
            self.message(self._line(now))

    def _line(self, now: float) -> str:
        elapsed = max(now - self._start, 1e-6)
        rate = self._pages / elapsed
        left = max(self._pages_total - self._pages, 0)
        eta = f", ETA {left / rate:.0f} s" if rate > 0 and left else ""
        return (
            f"files {self._files}/{self._files_total}, pages {self._pages}/{self._pages_total}, "
            f"{rate:.1f} pages/s{eta}"
        )

    def message(self, text: str) -> None:
        print(text, file=self._stream, flush=True)

    def warn(self, text: str) -> None:
        self.message(text)

    def close(self) -> None:
        pass


class RichReporter:
    """Two bars (files, pages) with pages/s and ETA, redrawn in place on a terminal."""

    def __init__(self, console: Console | None = None) -> None:
        self._console = console or Console(stderr=True)
        self._progress = Progress(
            TextColumn("{task.description:<6}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self._console,
            transient=False,
        )
        self._progress.start()
        self._files: TaskID = self._progress.add_task("files", total=None, rate="")
        self._pages: TaskID = self._progress.add_task("pages", total=None, rate="")
        self._start = time.monotonic()
        self._pages_done = 0

    def add_totals(self, files: int = 0, pages: int = 0) -> None:
        for task, more in ((self._files, files), (self._pages, pages)):
            if more:
                total = self._progress.tasks[task].total or 0
                self._progress.update(task, total=total + more)

    def advance(self, files: int = 0, pages: int = 0) -> None:
        self._pages_done += pages
        rate = self._pages_done / max(time.monotonic() - self._start, 1e-6)
        self._progress.update(self._files, advance=files)
        self._progress.update(self._pages, advance=pages, rate=f"{rate:.1f} pages/s")

    def message(self, text: str) -> None:
        self._progress.console.print(text, markup=False, highlight=False)

    def warn(self, text: str) -> None:
        self.message(text)

    def close(self) -> None:
        self._progress.stop()


def make_reporter(
    quiet: bool, stream: TextIO | None = None
) -> QuietReporter | PlainReporter | RichReporter:
    stream = stream or sys.stderr
    if quiet:
        return QuietReporter(stream)
    if stream.isatty():
        return RichReporter()
    return PlainReporter(stream)
