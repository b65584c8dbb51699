"""Where a document lives among a case's uploads, and a picture and the text of one page.

The picture is drawn by `extractors.preview` (the readers' own limits and orientation)
from the stored original, in the preview worker (intake.casework.preview_pool); the text is the page as the checklist saw it, from the cache.
"""

from __future__ import annotations

from functools import lru_cache

from intake.casework.preview_pool import WORKER, PreviewRequest
from intake.casework.results import cached_name
from intake.store import Store, StoredFile


def locate(files: list[StoredFile], doc_file: str) -> tuple[StoredFile | None, str]:
    """The stored upload holding `doc_file` and the member path inside it ("" if top level)."""
    for f in files:
        if f.name == doc_file:
            return f, ""
    for f in sorted(files, key=lambda f: -len(f.name)):
        if doc_file.startswith(f.name + "/"):
            return f, doc_file
    return None, ""


@lru_cache(maxsize=96)
def page_png_cached(blob: str, sha256: str, name: str, member: str, page: int) -> bytes | None:
    """A page's PNG from a stored original, drawn in the preview worker (never in this
    process) and cached by content: reruns redraw without re-rendering. None when there is
    no picture (text-only formats, a page the reader refuses, a drawing that overran)."""
    drawn = WORKER.draw(PreviewRequest(blob=blob, name=name, member=member, page=page))
    return drawn.png if drawn is not None else None


def page_text(store: Store, f: StoredFile | None, member: str, page: int) -> str | None:
    """The extracted text of one page, as the checklist saw it."""
    if f is None:
        return None
    from intake.pipeline import steps as work

    raw = store.get_result(f.sha256, "file_texts", work.page_version()) or []
    names = [t["file"] for t in raw]
    old = cached_name(names, f.name)
    target = old + (member[len(f.name) :] if member else "")
    for ft in raw:
        if ft["file"] == target:
            for p in ft.get("pages", []):
                if p["number"] == page:
                    return p["text"]
    return None
