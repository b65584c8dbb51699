"""`evaluate_text` on a small sample root built here, with its own ground truth."""

from __future__ import annotations

import json
from pathlib import Path

from extractors.text_eval import benchmark_scan_pages, cer, evaluate_text, normalise
from tests.reading import builders as b


def test_normalise_ignores_layout_whitespace_and_chinese_spacing() -> None:
    assert normalise("Name:  A\n\tB ") == "Name: A B"
    assert normalise("姓名：张伟  性别") == normalise("姓名: 张 伟 性别")
    assert cer("年龄：35岁", "年龄: 35 岁", spaceless=True) == (0, 6)
    assert normalise("Signature: ______  Date") == "Signature: Date"
    assert cer("abcd", "abxd") == (1, 4)


def test_evaluate_text_scores_text_and_rotated_scan_pages(tmp_path: Path) -> None:
    (tmp_path / "formats").mkdir()
    (tmp_path / "formats" / "echo.pdf").write_bytes(b.text_pdf([b.ECHO_LINES]))
    turned = b.page_image(b.PATHOLOGY_LINES).rotate(180)
    (tmp_path / "formats" / "scan.pdf").write_bytes(b.scan_pdf([turned], tmp_path))
    (tmp_path / "formats" / "zero.pdf").write_bytes(b"")
    page = {"number": 1, "kind": "text", "upright_rotation": 0, "language": "en"}
    truth = {
        "files": {
            "formats/echo.pdf": {
                "form": "text_pdf",
                "error": None,
                "pages": [{**page, "text": "\n".join(b.ECHO_LINES)}],
            },
            "formats/scan.pdf": {
                "form": "scan_pdf",
                "error": None,
                "pages": [
                    {
                        **page,
                        "kind": "scan",
                        "upright_rotation": 180,
                        "text": "\n".join(b.PATHOLOGY_LINES),
                    }
                ],
            },
            "formats/zero.pdf": {"form": "empty", "error": "empty", "pages": []},
        }
    }
    (tmp_path / "ground_truth.json").write_text(json.dumps(truth))
    result = evaluate_text(tmp_path)
    assert result["cer_text"] == 0.0 and result["pass_text"] is True
    assert result["cer_scan"] < 0.03 and result["pass_scan"] is True
    assert result["rotated_read_upright"] == 1.0 and result["error_codes_right"] == "1/1"
    assert result["passed"] is True
    # A wrong reference must fail: the evaluation really compares text.
    truth["files"]["formats/echo.pdf"]["pages"][0]["text"] = (
        "Something else entirely, nothing alike"
    )
    (tmp_path / "ground_truth.json").write_text(json.dumps(truth))
    worse = evaluate_text(tmp_path)
    assert worse["pass_text"] is False and worse["passed"] is False


def test_benchmark_compares_run_page_with_the_plain_cli_on_the_native_image(tmp_path: Path) -> None:
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b.scan_pdf([b.page_image(b.ECHO_LINES)], tmp_path))
    [row] = benchmark_scan_pages([pdf], repeats=1)
    assert row["native_image"] is True and row["dpi"] == 150
    assert row["tesseract_cli_cpu_s"] > 0 and row["run_page_cpu_s"] > 0 and row["ratio_cpu"] > 0
