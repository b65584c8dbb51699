"""Page previews are drawn outside the server process, within the readers' limits (issue 16
row 1): one 1.4 KB upload of a 20 x 14400 pt page took a server from 272 MB to 6.2 GB when a
coordinator opened the case."""

from __future__ import annotations

import io
import os
from pathlib import Path

from hostile import builders
from PIL import Image
from reportlab.pdfgen import canvas

from extractors.preview import MAX_PREVIEW_PIXELS
from intake.casework.preview_pool import PreviewRequest, PreviewWorker


def _tall_page() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(20, 14400), invariant=1)
    c.drawString(2, 7000, "x")
    c.showPage()
    c.save()
    return buf.getvalue()


def test_previews_are_drawn_in_a_worker_within_the_pixel_cap(tmp_path: Path) -> None:
    worker = PreviewWorker()
    tall, normal = tmp_path / "tall.pdf", tmp_path / "normal.pdf"
    tall.write_bytes(_tall_page())
    normal.write_bytes(builders.pdf_pages(1))
    assert len(tall.read_bytes()) < 4096  # the whole attack is a tiny upload
    drawn = worker.draw(PreviewRequest(blob=str(normal), name="normal.pdf", member="", page=1))
    assert drawn is not None and drawn.png is not None
    assert drawn.pid != os.getpid()  # not in the server's process
    img = Image.open(io.BytesIO(drawn.png))
    assert img.width * img.height <= MAX_PREVIEW_PIXELS
    # A page too large to show, and a file the reader refuses, give no preview; the same
    # worker carries on.
    strips = tmp_path / "strips.tif"
    strips.write_bytes(builders.tiff_many_strips(200_000))
    for path in (tall, strips):
        refused = worker.draw(PreviewRequest(blob=str(path), name=path.name, member="", page=1))
        assert refused is not None and refused.png is None and refused.pid == drawn.pid
