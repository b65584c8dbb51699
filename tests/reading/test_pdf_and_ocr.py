"""PDF pages read by the right method, scans OCR'd upright by real tesseract, PDF errors."""

from __future__ import annotations

import pickle
import time
from pathlib import Path

from rapidfuzz.distance import Levenshtein

from extractors.errors import FileErrorCode
from extractors.pages import PIPELINE_VERSION, assemble, plan_pages, read_item, run_page
from extractors.sources import expand_bytes
from extractors.text_eval import normalise
from tests.reading import builders as b


def _read(name: str, data: bytes, **kw: bool):
    [item] = list(expand_bytes(name, data))
    return read_item(item, **kw)


def _cer(reference: list[str], text: str) -> float:
    ref = normalise("\n".join(reference))
    return Levenshtein.distance(ref, normalise(text)) / len(ref)


def test_text_pdf_uses_the_text_layer_exactly() -> None:
    ft = _read("path.pdf", b.text_pdf([b.PATHOLOGY_LINES, b.ECHO_LINES]))
    assert ft.status == "ok" and [p.method for p in ft.pages] == ["text-layer", "text-layer"]
    assert ft.pages[0].text.splitlines() == b.PATHOLOGY_LINES
    assert ft.pages[1].ocr_confidence is None and ft.pages[1].rotation == 0
    assert ft.sha256 is not None and len(ft.sha256) == 64


def test_pdf_errors_encrypted_truncated_empty_misnamed() -> None:
    locked = _read("secure.pdf", b.text_pdf([["Outside records"]], user="s3cret"))
    assert locked.status == "error" and locked.error.code is FileErrorCode.ENCRYPTED
    assert "secure.pdf" in locked.error.message and "s3cret" not in locked.error.message
    whole = b.text_pdf([b.ECHO_LINES])
    cut = _read("echo.pdf", whole[: len(whole) // 2])
    assert cut.status == "error" and cut.error.code is FileErrorCode.CORRUPT
    assert _read("scan0001.pdf", b"").error.code is FileErrorCode.EMPTY
    garbage = _read("x.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4 + b"\n%%EOF\n")
    assert garbage.status == "error" and garbage.error.code is FileErrorCode.CORRUPT
    # Owner-password-only PDFs open without a password: they are readable, not errors.
    restricted = _read("restricted.pdf", b.text_pdf([b.ECHO_LINES], user=""))
    assert restricted.status == "ok" and "ejection fraction" in restricted.pages[0].text


def test_mixed_pdf_decides_per_page_and_ocrs_the_scan_at_native_resolution(tmp_path: Path) -> None:
    scan = b.page_image(b.ECHO_LINES)
    data = b.scan_pdf([b.PATHOLOGY_LINES, scan], tmp_path, dpi=150)
    [item] = list(expand_bytes("mixed.pdf", data))
    jobs = plan_pages(item)
    assert [j.needs_ocr for j in jobs] == [False, True]
    # The embedded JPEG itself goes to tesseract, at the scanner's 150 dpi.
    assert jobs[1].passthrough and jobs[1].dpi == 150 and jobs[1].image[:3] == b"\xff\xd8\xff"
    # Jobs cross process boundaries in the batch pool.
    jobs = [pickle.loads(pickle.dumps(j)) for j in jobs]
    ft = assemble(item, [run_page(j) for j in reversed(jobs)])
    assert [p.method for p in ft.pages] == ["text-layer", "ocr"]
    assert (
        ft.pages[1].rotation == 0 and ft.pages[1].ocr_confidence and ft.pages[1].ocr_confidence > 70
    )
    assert _cer(b.ECHO_LINES, ft.pages[1].text) < 0.03
    assert PIPELINE_VERSION


def test_rotated_scans_are_read_upright(tmp_path: Path) -> None:
    upright = b.page_image(b.PATHOLOGY_LINES)
    # Stored turned 90 degrees counter-clockwise, and upside down.
    pages = [upright.rotate(90, expand=True), upright.rotate(180)]
    ft = _read("sideways.pdf", b.scan_pdf(pages, tmp_path), ocr_parallel=True)
    assert [p.rotation for p in ft.pages] == [90, 180]
    for page in ft.pages:
        assert page.method == "ocr" and _cer(b.PATHOLOGY_LINES, page.text) < 0.05


def test_skewed_scan_is_straightened() -> None:
    tilted = b.page_image(b.ECHO_LINES).rotate(
        -2.5, expand=True, fillcolor=255
    )  # 2.5 deg clockwise
    ft = _read("tilted.png", b.image_bytes(tilted, "PNG"))
    page = ft.pages[0]
    assert page.skew_degrees is not None and 2.0 <= page.skew_degrees <= 3.0
    assert _cer(b.ECHO_LINES, page.text) < 0.03


def test_chinese_scan_is_read_with_chi_sim(tmp_path: Path) -> None:
    img = b.page_image(b.CHINESE_LINES, font=b.CJK_FONT, size=40)
    ft = _read("出院小结.pdf", b.scan_pdf([img], tmp_path))
    page = ft.pages[0]
    assert page.language == "chi_sim" and page.method == "ocr"
    assert _cer(b.CHINESE_LINES, page.text) < 0.10


def test_per_page_ocr_timeout_ends_the_page_not_the_run(tmp_path: Path) -> None:
    data = b.scan_pdf([b.page_image(b.ECHO_LINES * 3)], tmp_path)
    [item] = list(expand_bytes("slow.pdf", data))
    started = time.monotonic()
    ft = read_item(item, timeout_s=0.05)
    assert time.monotonic() - started < 5
    assert ft.status == "ok" and ft.pages[0].method == "ocr" and ft.pages[0].text == ""


def test_fax_service_stamp_over_a_scan_is_kept_ahead_of_the_ocr_text(tmp_path: Path) -> None:
    stamp = "From: 617-555-0199 To: 312-555-0187 11/06/2026 10:32 Page 1 of 1"
    data = b.scan_pdf([b.page_image(b.ECHO_LINES)], tmp_path, stamp=stamp)
    [item] = list(expand_bytes("efax.pdf", data))
    [job] = plan_pages(item)
    assert job.passthrough and job.text_layer == stamp
    page = run_page(job)
    assert page.method == "ocr" and page.text.startswith(stamp + "\n")
    assert "ejection fraction 55 percent" in page.text
