"""Plain data shared by the generator's builders and renderers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# Cells of one printed line (two-column headers, table rows) are joined by this in the
# ground-truth text; whitespace between columns on paper has no single "true" width.
CELL_SEP = "  "


@dataclass(frozen=True)
class Line:
    """One printed line: one or more cells laid out in columns, in a style."""

    cells: tuple[str, ...]
    # org | addr | title | head | body | kv | table | thead | sig | small | foot
    style: str = "body"

    @property
    def text(self) -> str:
        return CELL_SEP.join(c for c in self.cells if c)


@dataclass
class Page:
    lines: list[Line] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(t for t in (ln.text for ln in self.lines) if t)


@dataclass(frozen=True)
class Style:
    """How one institution lays out its paper: the classifier must not key on one template."""

    font: str  # family key in fonts.FAMILIES
    letterhead_align: str  # left | center | right
    date_fmt: str  # strftime pattern, or "zh" for 2026年9月14日
    header: str  # grid | stacked | inline
    name_fmt: str  # last_first_upper | first_last | title_first_last_upper | zh
    heading_case: str  # upper | title
    units: str  # us | si
    footer: str  # format with {n} and {N}
    page_size: str  # letter | a4
    rule: bool  # horizontal rules under the letterhead
    mrn_label: str
    body_size: float = 10.0
    wrap: int = 92


@dataclass(frozen=True)
class Institution:
    key: str
    name: str
    department: str
    address: tuple[str, ...]
    phone: str
    style: Style
    language: str = "en"


@dataclass(frozen=True)
class Person:
    key: str
    first: str
    last: str
    dob: dt.date
    mrn: str
    sex: str  # female | male
    zh_name: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first} {self.last}"


@dataclass
class Built:
    """A composed document: its pages (structured) and the facts it states."""

    title: str
    doc_type: str
    date: dt.date
    pages: list[Page]
    fields: dict[str, Any]
    language: str = "en"
    institution: str = ""
    patient: str = ""  # key into people.PATIENTS
