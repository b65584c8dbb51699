"""Fair reading across cases (issue 15 item 4): the pool's jobs go round-robin across cases,
and the app's reader finishes a one-page upload of one case while another case's long scan,
queued before it, is still being read (real files, real tesseract, real worker processes)."""

from __future__ import annotations

import io
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from intake.casework.reader import Reader
from intake.jobs.fair import FairPool
from intake.jobs.local import WorkerPool
from intake.store import FileStatus, Store

from .pool_jobs import Number

FORMATS = Path(__file__).resolve().parents[2] / "sample_docs" / "formats"
LAB = FORMATS / "text_lab_results_si_units.pdf"  # one page with a text layer
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def test_jobs_of_a_new_lane_are_served_within_a_round_of_the_waiting_lanes() -> None:
    with WorkerPool(workers=1) as inner:
        fair = FairPool(inner, lane_of=lambda tag: tag[0])
        for n in range(6):
            fair.submit("test.sqrt", Number(x=n), ("scan", n))
        fair.submit("test.sqrt", Number(x=1), ("upload", 0))
        fair.submit("test.sqrt", Number(x=4), ("other", 0))
        order = [o.tag for o in fair.outcomes()]
    # One job is handed to the single worker at once; the next is chosen when it is free.
    assert order[:4] == [("scan", 0), ("scan", 1), ("upload", 0), ("other", 0)]
    assert sorted(order) == sorted([("scan", n) for n in range(6)] + [("upload", 0), ("other", 0)])


def _long_scan(pages: int) -> bytes:
    """A scanned letter: `pages` raster pages with no text layer, each needing OCR."""
    font = ImageFont.truetype(FONT, 34)
    images = []
    for n in range(pages):
        img = Image.new("L", (1700, 2200), 255)
        draw = ImageDraw.Draw(img)
        draw.text((150, 150), f"Outpatient progress letter, page {n + 1}", font=font, fill=0)
        for line in range(40):
            draw.text(
                (150, 260 + line * 46),
                f"Line {line + 1}: the patient attended clinic and tolerated treatment well.",
                font=font,
                fill=0,
            )
        images.append(img)
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=200, save_all=True, append_images=images[1:])
    return out.getvalue()


def test_a_one_page_upload_is_read_while_another_cases_long_scan_is(tmp_path: Path) -> None:
    store = Store.at(tmp_path)
    a = store.create_case("Long scan", program="cart-lbcl")
    b = store.create_case("One page", program="cart-lbcl")
    reader = Reader(workers=1)
    try:
        scan = store.add_file(a.id, "letters.pdf", _long_scan(12))
        store.enqueue(scan.id)
        reader.wake(store, a.id)
        # The scan has started (it is planned and its pages are queued) before B uploads.
        deadline = time.monotonic() + 120
        while (cur := store.get_file(scan.id)) is not None and cur.pages_total == 0:
            assert time.monotonic() < deadline, "the scan was not started"
            time.sleep(0.1)
        lab = store.add_file(b.id, LAB.name, LAB.read_bytes())
        store.enqueue(lab.id)
        reader.wake(store, b.id)
        while (got := store.get_file(lab.id)) is not None and got.status is not FileStatus.DONE:
            assert got.status is not FileStatus.ERROR, got.error_message
            assert time.monotonic() < deadline, "the one-page upload was not read"
            time.sleep(0.1)
        long = store.get_file(scan.id)
        assert long is not None and long.status is FileStatus.PROCESSING
        assert long.pages_done < long.pages_total == 12
        while (long := store.get_file(scan.id)) is not None and long.status is not FileStatus.DONE:
            assert time.monotonic() < deadline + 300, "the scan was not finished"
            time.sleep(0.5)
    finally:
        reader.close()
