"""The ground truth describes exactly the files on disk, in the shared vocabulary."""

from __future__ import annotations

import datetime as dt
import email
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

from samples_support import SAMPLES

from extractors.errors import FileErrorCode
from extractors.vocabulary import FIELD_NAMES, DocType, Fields

CONTAINER_FORMS = {"zip", "eml"}
FAMILIES = {
    "cart-lbcl": "CAR-T",
    "cart-mm": "CAR-T",
    "cart-all": "CAR-T",
    "til-melanoma": "TIL",
    "neoantigen-vaccine": "vaccine",
    "tcrt-synovial-sarcoma": "TCR-T",
}


def _disk_files() -> set[str]:
    out = set()
    for sub in ("formats", "inbox"):
        for p in (SAMPLES / sub).rglob("*"):
            if p.is_file() and p.name != "case.json":
                out.add(str(p.relative_to(SAMPLES)))
    return out


def _members(path: Path) -> set[str]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as z:
            return set(z.namelist())
    msg = email.message_from_bytes(path.read_bytes())
    return {part.get_filename() for part in msg.walk() if part.get_filename()}


def test_every_file_on_disk_has_ground_truth_and_back(truth: dict[str, Any]) -> None:
    files = truth["files"]
    top = {
        k
        for k in files
        if not any(k.startswith(c + "/") for c, v in files.items() if v["container"])
    }
    assert top == _disk_files()
    for key, entry in files.items():
        if entry["container"]:
            members = {k[len(key) + 1 :] for k in files if k.startswith(key + "/")}
            assert members and members == _members(SAMPLES / key), key
            assert entry["form"] in CONTAINER_FORMS


def test_entries_use_the_shared_vocabulary(truth: dict[str, Any]) -> None:
    patients = truth["patients"]
    assert truth["generator"].startswith("sample_docs/generator (seed ")
    for key, entry in truth["files"].items():
        assert set(entry) == {"form", "error", "container", "pages", "documents"}, key
        if entry["error"] is not None:
            FileErrorCode(entry["error"])
            assert not entry["documents"], key
        numbers = [p["number"] for p in entry["pages"]]
        assert numbers == list(range(1, len(numbers) + 1)), key
        for page in entry["pages"]:
            assert page["kind"] in {"text", "scan", "photo", "fax"}
            assert page["upright_rotation"] in {0, 90, 180, 270}
            assert page["language"] in {"en", "zh"}
        covered: list[int] = []
        for doc in entry["documents"]:
            DocType(doc["doc_type"])
            Fields(**doc["fields"])  # extra="forbid": every name is a vocabulary field
            assert set(doc["fields"]) <= set(FIELD_NAMES)
            dt.date.fromisoformat(doc["document_date"])
            assert doc["patient"] in patients
            first, last = doc["pages"]
            assert 1 <= first <= last <= len(entry["pages"]), key
            covered += range(first, last + 1)
        assert covered == sorted(set(covered)), f"{key}: documents overlap"


def test_coverage_of_types_forms_patients_and_languages(truth: dict[str, Any]) -> None:
    docs = [d for e in truth["files"].values() for d in e["documents"]]
    assert len(docs) >= 45
    assert {d["doc_type"] for d in docs} == {t.value for t in DocType}
    assert len({d["patient"] for d in docs}) >= 6
    forms = Counter(e["form"] for e in truth["files"].values())
    for form in (
        "text_pdf",
        "scan_pdf",
        "mixed_pdf",
        "packet",
        "photo",
        "photo_sideways",
        "heic",
        "png",
        "fax_tiff",
        "docx",
        "eml",
        "zip",
        "eml_member",
        "zip_member",
        "encrypted_pdf",
        "truncated_pdf",
        "empty",
        "misnamed_jpeg",
    ):
        assert forms[form] >= 1, form
    zh = {d["doc_type"] for d in docs if d["language"] == "zh"}
    assert {"pathology_report", "imaging_report", "lab_results", "discharge_summary"} <= zh
    zh_kinds = {
        p["kind"] for e in truth["files"].values() for p in e["pages"] if p["language"] == "zh"
    }
    assert {"text", "scan"} <= zh_kinds
    rotations = {p["upright_rotation"] for e in truth["files"].values() for p in e["pages"]}
    assert {0, 90, 180} <= rotations
    packet = next(e for e in truth["files"].values() if e["form"] == "packet")
    assert 3 <= len({d["doc_type"] for d in packet["documents"]}) <= 5


def test_cases_cover_programs_outcomes_and_problems(truth: dict[str, Any]) -> None:
    import json

    cases = truth["cases"]
    assert set(FAMILIES) == {c["program"] for c in cases.values()}
    ready_families = {FAMILIES[c["program"]] for c in cases.values() if c["expected"]["ready"]}
    assert ready_families == set(FAMILIES.values())
    gaps = {g["status"] for c in cases.values() for g in c["expected"]["gaps"]}
    assert gaps == {"missing", "stale", "out_of_range", "needs_review"}
    kinds = {p["kind"] for c in cases.values() for p in c["expected"]["problems"]}
    assert {
        "identity_mismatch",
        "duplicate",
        "unreadable",
        "encrypted",
        "corrupt",
        "empty",
        "unsupported",
    } <= kinds
    without_patient = 0
    for folder, case in cases.items():
        meta = json.loads((SAMPLES / folder / "case.json").read_text())
        assert meta["program"] == case["program"] and meta["as_of"] == case["as_of"]
        as_of = dt.date.fromisoformat(case["as_of"])
        assert abs((as_of - dt.date(2026, 11, 20)).days) <= 7
        if "patient" in meta:
            p = truth["patients"][case["patient"]]
            assert meta["patient"] == {"name": p["name"], "dob": p["dob"], "mrn": p["mrn"]}
        else:
            without_patient += 1
        assert case["expected"]["ready"] == (
            not case["expected"]["gaps"] and not case["expected"]["problems"]
        )
        for problem in case["expected"]["problems"]:
            assert (SAMPLES / folder / problem["file"]).exists(), problem
    assert without_patient == 1


def test_loose_inbox_files_belong_to_cases_or_nobody(truth: dict[str, Any]) -> None:
    case_patients = {c["patient"] for c in truth["cases"].values()}
    top = {k for k in truth["files"] if k.startswith("inbox/") and k.count("/") == 1}
    loose = {k: e for k, e in truth["files"].items() if k in top or k.rsplit("/", 1)[0] in top}
    owners = {d["patient"] for e in loose.values() for d in e["documents"]}
    assert any(e["form"] == "eml" for e in loose.values())
    assert owners & case_patients, "loose files for existing cases"
    assert owners - case_patients, "one loose file of a patient with no case"


def test_one_case_holds_another_patients_record(truth: dict[str, Any]) -> None:
    mismatched = [
        (folder, p["file"])
        for folder, c in truth["cases"].items()
        for p in c["expected"]["problems"]
        if p["kind"] == "identity_mismatch"
    ]
    assert mismatched
    for folder, name in mismatched:
        docs = truth["files"][f"{folder}/{name}"]["documents"]
        assert docs and all(d["patient"] != truth["cases"][folder]["patient"] for d in docs)


def test_sample_set_stays_under_40_mb() -> None:
    total = sum(
        p.stat().st_size for p in SAMPLES.rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    assert total < 40 * 1024 * 1024, total


def _printed_forms(name: str, value: float) -> set[str]:
    """Ways a normalised value may be printed: as is, or in the unit the page used."""
    forms = {f"{value:g}", f"{value:.1f}", f"{value:.2f}"}
    if float(value).is_integer():
        forms.add(str(int(value)))
    if name == "anc_per_uL":
        forms |= {f"{value / 1000:.1f}", f"{value / 1000:.2f}"}
    elif name == "platelets_per_uL":
        forms.add(str(int(value // 1000)))
    elif name == "hemoglobin_g_dL":
        forms.add(str(round(value * 10)))
    elif name == "creatinine_mg_dL":
        forms.add(str(round(value * 88.4)))
    elif name == "bilirubin_mg_dL":
        forms |= {str(round(value * 17.1)), f"{value * 17.1:.1f}"}
    return forms


def test_every_field_in_the_truth_is_printed_in_its_document(truth: dict[str, Any]) -> None:
    """Guards the labels: a field the page does not state would make every reader look wrong."""
    words = {
        "negative": ("Non-reactive", "Not detected", "Negative", "阴性"),
        "positive": ("Positive", "DETECTED"),
    }
    for key, entry in truth["files"].items():
        for doc in entry["documents"]:
            first, last = doc["pages"]
            text = "\n".join(p["text"] for p in entry["pages"][first - 1 : last])
            for name, value in doc["fields"].items():
                if name in ("sex", "modality", "body_region"):
                    continue
                if isinstance(value, bool) or value is None:
                    raise AssertionError(f"{key}: {name} has no printable value")
                if isinstance(value, int | float):
                    assert any(f in text for f in _printed_forms(name, value)), (key, name, value)
                elif isinstance(value, list):
                    assert all(v in text for v in value), (key, name, value)
                elif value in words:
                    assert any(w in text for w in words[value]), (key, name, value)
                else:
                    assert value in text, (key, name, value)
