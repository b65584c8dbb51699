"""The generator: same seed, same bytes; the text builders and the benchmark set."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from pathlib import Path
from typing import Any

from samples_support import SAMPLES, load_truth

from sample_docs.generator import DOC_TYPES, bench_set, build, generate

# One of each costly or format-sensitive form, plus a whole text-only case folder.
REPRESENTATIVE = {
    "formats/text_lab_results_si_units.pdf",
    "formats/scan_molecular_report_sideways.pdf",
    "formats/photo_medication_list_sideways.jpg",
    "formats/iphone_referral_letter.heic",
    "formats/fax_muga_and_cover.tif",
    "formats/referral_letter.docx",
    "formats/outside_records.eml",
    "formats/bad_password_protected.pdf",
    "formats/zh_lab_results.pdf",
    "inbox/08_delgado_tcrt-synovial-sarcoma/",
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_same_seed_regenerates_the_committed_files_byte_for_byte(
    tmp_path: Path, truth: dict[str, Any]
) -> None:
    again = generate(tmp_path, only=REPRESENTATIVE)
    produced = [p for p in tmp_path.rglob("*") if p.is_file() and p.name != "ground_truth.json"]
    assert len(produced) >= 15
    for path in produced:
        rel = path.relative_to(tmp_path)
        assert _sha(path) == _sha(SAMPLES / rel), rel
    for key, entry in again["files"].items():
        assert entry == truth["files"][key], key
    assert again["cases"] == {k: v for k, v in truth["cases"].items() if k.startswith("inbox/08_")}
    assert load_truth(tmp_path)["files"] == again["files"]


def test_another_seed_gives_other_bytes(tmp_path: Path) -> None:
    generate(tmp_path, seed=7, only={"formats/scan_molecular_report_sideways.pdf"})
    rel = "formats/scan_molecular_report_sideways.pdf"
    assert _sha(tmp_path / rel) != _sha(SAMPLES / rel)


def test_build_states_fields_in_normalised_units() -> None:
    rng = random.Random(1)
    title, pages, fields = build(
        "lab_results",
        "P2",
        dt.date(2026, 11, 10),
        "northgate",
        rng,
        panels=("cbc", "cmp"),
        anc=1200,
        plt=85000,
        anc_unit="/uL",
        plt_unit="x10^3/uL",
    )
    assert title and pages and "1200" in pages[0] and "x10^3/uL" in pages[0]
    assert fields["anc_per_uL"] == 1200 and fields["platelets_per_uL"] == 85000
    _, pages, fields = build(
        "lab_results",
        "P4",
        dt.date(2026, 11, 10),
        "elmsworth",
        random.Random(1),
        panels=("cbc", "cmp"),
        hb=12.6,
        creat=0.9,
    )
    assert "126" in pages[0] and "g/L" in pages[0] and "umol/L" in pages[0]
    assert fields["hemoglobin_g_dL"] == 12.6 and fields["creatinine_mg_dL"] == round(80 / 88.4, 2)
    for doc_type in DOC_TYPES:
        title, pages, fields = build(
            doc_type, "P1", dt.date(2026, 11, 1), "stbrendan", random.Random(2)
        )
        assert pages and all(p.strip() for p in pages), doc_type
        assert pages[-1].rstrip().endswith(f"Page {len(pages)} of {len(pages)}"), doc_type


def test_bench_set_writes_the_asked_page_counts_deterministically(tmp_path: Path) -> None:
    first = bench_set(tmp_path / "a", scanned_pages=2, text_pages=6, seed=11)
    second = bench_set(tmp_path / "b", scanned_pages=2, text_pages=6, seed=11)
    pages = {
        kind: sum(len(e["pages"]) for k, e in first["files"].items() if k.startswith(kind))
        for kind in ("scan", "text")
    }
    assert pages == {"scan": 2, "text": 6}
    for name in first["files"]:
        assert _sha(tmp_path / "a" / name) == _sha(tmp_path / "b" / name)
    assert first == second
    assert (tmp_path / "a" / "bench_truth.json").exists()
