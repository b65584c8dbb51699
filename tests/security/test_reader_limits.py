"""The reader's strip/tile and time limits (issue 16 rows 2 and 3).

A TIFF of millions of one-row strips cost gigabytes before a pixel was decoded; a file of
many large blank frames held a worker for minutes. Both are refused by the reader itself,
so `extract`, the batch, the app and the page preview all refuse them the same way.
"""

from __future__ import annotations

import io

import pytest
from hostile import builders
from PIL import Image

from extractors.errors import FileErrorCode, FileRejected
from extractors.images import plan_image
from extractors.limits import Limits
from extractors.pages import plan_pages
from extractors.sniff import Kind
from extractors.sources import SourceItem


def test_a_frame_of_too_many_strips_is_refused_before_it_is_opened() -> None:
    with pytest.raises(FileRejected) as caught:
        plan_image("strips.tif", builders.tiff_many_strips(200_000))
    assert caught.value.code is FileErrorCode.TOO_LARGE
    assert "strips.tif" in str(caught.value) and "100000" in str(caught.value)
    # One row per strip is legitimate at ordinary sizes.
    assert len(plan_image("rows.tif", builders.tiff_many_strips(3000))) == 1


def _large_frames(count: int) -> bytes:
    frames = [Image.new("1", (2400, 3000), 1) for _ in range(count)]
    for frame in frames:
        frame.putpixel((1200, 1500), 0)
    buf = io.BytesIO()
    frames[0].save(
        buf, format="TIFF", save_all=True, append_images=frames[1:], compression="group4"
    )
    return buf.getvalue()


def test_planning_stops_at_the_files_time_budget() -> None:
    data = _large_frames(12)
    quick = Limits(max_file_seconds=0.05)
    with pytest.raises(FileRejected) as caught:
        plan_image("frames.tif", data, quick)
    assert caught.value.code is FileErrorCode.TOO_LARGE and "time limit" in str(caught.value)
    assert len(plan_image("frames.tif", data)) == 12  # within the default budget
    pdf = SourceItem(name="pages.pdf", data=builders.pdf_pages(40), kind=str(Kind.PDF))
    with pytest.raises(FileRejected, match="time limit"):
        plan_pages(pdf, Limits(max_file_seconds=0.0))
    assert len(plan_pages(pdf)) == 40
