"""Pick a renderer by format name: json, md or html."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from checklists.render_html import render_html
from checklists.render_json import render_json
from checklists.render_markdown import render_markdown
from checklists.report import Report
from checklists.wording import View

Format = Literal["json", "md", "html"]

RENDERERS: dict[str, Callable[[Report, View], str]] = {
    "json": render_json,
    "md": render_markdown,
    "html": render_html,
}


def render(report: Report, fmt: Format = "json", view: View = "coordinator") -> str:
    return RENDERERS[fmt](report, view)
