"""Real sample_docs files, read by the real reader, understood against the ground truth."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from extractors.classify_eval import evaluate_samples, same_value, truth_file_texts
from extractors.documents import find_documents
from extractors.vocabulary import Document, FileText

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_docs"
TRUTH_PATH = SAMPLES / "ground_truth.json"

pytestmark = pytest.mark.skipif(
    not TRUTH_PATH.is_file(), reason="sample_docs not generated (make samples)"
)

# Text-layer files covering every type the samples hold, a Chinese one, a two-page report and a DOCX.
FILES = [
    "formats/text_pathology_report_lbcl.pdf",
    "formats/text_hla_typing.pdf",
    "formats/text_lab_results_si_units.pdf",
    "formats/text_cardiac_ecg.pdf",
    "formats/text_pulmonary_function.pdf",
    "formats/text_operative_report_til_harvest.pdf",
    "formats/text_clinic_note_two_pages.pdf",
    "formats/zh_pathology_report.pdf",
    "formats/zh_lab_results.pdf",
    "formats/referral_letter.docx",
    "formats/text_administrative_prior_auth.pdf",
    "inbox/01_oneill_cart-lbcl/pet_ct_restaging.pdf",
    "inbox/01_oneill_cart-lbcl/treatment_summary.pdf",
    "inbox/02_castellano_cart-mm/myeloma_fish.pdf",
    "inbox/02_castellano_cart-mm/medication_list.pdf",
    "inbox/05_okafor_neoantigen-vaccine/discharge_summary.pdf",
]


def _truth() -> dict[str, Any]:
    return json.loads(TRUTH_PATH.read_text(encoding="utf-8"))


def _read(name: str) -> FileText:
    from extractors.pages import read_item
    from extractors.sources import expand

    if not (SAMPLES / name).is_file():
        pytest.skip(f"{name} missing: sample_docs incomplete (being regenerated?)")
    (item,) = list(expand(SAMPLES / name))
    return read_item(item)


@pytest.mark.parametrize("name", FILES)
def test_real_file_is_understood(name: str) -> None:
    spec = _truth()["files"].get(name)
    if spec is None:
        pytest.skip(f"{name} not in this ground truth")
    documents = find_documents(_read(name))
    assert [d.pages for d in documents] == [tuple(d["pages"]) for d in spec["documents"]]
    for got, expected in zip(documents, spec["documents"], strict=True):
        assert got.doc_type.value == expected["doc_type"]
        assert not got.needs_review
        assert got.evidence
        if expected.get("document_date"):
            assert got.document_date == dt.date.fromisoformat(expected["document_date"])
        fields = got.fields.model_dump(exclude_none=True)
        wrong = {
            k: (v, fields.get(k))
            for k, v in expected.get("fields", {}).items()
            if not same_value(v, fields.get(k))
        }
        # A value the generator records but does not print cannot be read from the page.
        printed = "\n".join(p["text"] for p in spec["pages"])
        wrong = {k: v for k, v in wrong.items() if not (k == "ast_U_L" and "AST" not in printed)}
        assert wrong == {}


def test_outside_records_packet_is_split_by_its_printed_text() -> None:
    truth = _truth()
    name = "formats/packet_outside_records.pdf"
    if name not in truth["files"]:
        pytest.skip("no packet in this ground truth")
    file_text = next(ft for ft in truth_file_texts(SAMPLES, truth) if ft.file == name)
    documents = find_documents(file_text)
    expected = truth["files"][name]["documents"]
    assert [(d.pages, d.doc_type.value) for d in documents] == [
        (tuple(e["pages"]), e["doc_type"]) for e in expected
    ]


def test_every_sample_document_from_printed_text_meets_the_targets() -> None:
    result = evaluate_samples(SAMPLES, from_truth_text=True)
    assert result["type_accuracy"] >= 0.95
    assert result["boundary"]["f1"] >= 0.95
    assert result["stacked_packet_boundary"]["f1"] >= 0.95
    assert result["document_date_exact"] >= 0.90
    assert result["field_exact"] >= 0.90
    assert result["identity_exact"] >= 0.90


def test_classify_command_json_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The command stores uploads and its cache in RECORDREADY_HOME: never the working tree's.
    monkeypatch.setenv("RECORDREADY_HOME", str(tmp_path / "home"))
    pytest.importorskip("extractors.pages")
    from ui.cli.main import app

    good = SAMPLES / "formats/text_pathology_report_lbcl.pdf"
    bad = SAMPLES / "formats/bad_zero_bytes.pdf"
    if not (good.is_file() and bad.is_file()):
        pytest.skip("sample_docs incomplete (being regenerated?)")
    result = CliRunner().invoke(app, ["classify", "--json", str(good), str(bad)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    documents = [Document.model_validate(x) for x in lines if "doc_type" in x]
    errors = [x for x in lines if x.get("status") == "error"]
    assert [d.doc_type.value for d in documents] == ["pathology_report"]
    assert set(lines[0]) >= {
        "file",
        "pages",
        "doc_type",
        "confidence",
        "needs_review",
        "document_date",
        "patient",
        "fields",
        "evidence",
    }
    assert len(errors) == 1 and errors[0]["error"]["code"] == "empty"
    assert "bad_zero_bytes.pdf" in errors[0]["file"]
