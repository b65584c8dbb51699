"""Measure splitting, classification and facts against labelled documents.

Two yardsticks:
- `evaluate_samples(sample_root)`: the generated sample set with `ground_truth.json`
  (CONTRACTS.md): type accuracy and confusion, packet boundary F1, document_date, field
  and identity exact-match rates. Files are read through the real reader by default, or
  from the printed page text in the ground truth (`from_truth_text=True`, no OCR).
- `evaluate_real_corpus(path)`: document-type macro-F1 on real clinical texts written by
  others (`documents.jsonl`), text only. Used to measure, never to fit rules.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import random
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from extractors.classify import classify_text
from extractors.dates import find_dates
from extractors.documents import find_documents
from extractors.identity import names_match, normalise_mrn
from extractors.vocabulary import Document, FileText, PageMethod, PageText


def default_real_corpus(repo_root: Path, given: Path | None = None) -> Path:
    """The labelled real reports: `given` (the deployment's setting), else ../shared beside the repo."""
    return given or repo_root.parent / "shared" / "corpus" / "real" / "documents.jsonl"


def _wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return round(max(0.0, centre - half), 3), round(min(1.0, centre + half), 3)


def per_class(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Precision, recall, F1 per gold class, macro-F1 over gold classes, accuracy, confusion."""
    gold_classes = sorted({g for g, _ in pairs})
    table: dict[str, dict[str, Any]] = {}
    for label in gold_classes:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        table[label] = {
            "n": tp + fn,
            "precision": round(precision, 3),
            "recall": round(recall, 3),
            "f1": round(f1, 3),
            "recall_ci95": _wilson(tp, tp + fn),
        }
    confusion: dict[str, dict[str, int]] = defaultdict(dict)
    for (g, p), count in Counter(pairs).items():
        confusion[g][p] = count
    macro = sum(row["f1"] for row in table.values()) / len(table) if table else 0.0
    accuracy = sum(g == p for g, p in pairs) / len(pairs) if pairs else 0.0
    return {
        "n": len(pairs),
        "accuracy": round(accuracy, 4),
        "macro_f1": round(macro, 4),
        "per_class": table,
        "confusion": {g: dict(row) for g, row in sorted(confusion.items())},
    }


def evaluate_real_corpus(path: Path) -> dict[str, Any]:
    """Type macro-F1 on real labelled texts; {"present": False, ...} when the file is absent."""
    if not path.is_file():
        return {"present": False, "path": str(path), "message": f"real corpus not found at {path}"}
    pairs: list[tuple[str, str]] = []
    by_source: dict[str, list[tuple[str, str]]] = defaultdict(list)
    needs_review = 0
    calibration: dict[int, list[bool]] = defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            record = json.loads(line)
            result = classify_text([(1, record["text"])])
            pair = (record["doc_type"], result.doc_type.value)
            pairs.append(pair)
            by_source[record.get("source", "?")].append(pair)
            needs_review += result.needs_review
            calibration[min(int(result.confidence * 10), 9)].append(pair[0] == pair[1])
    out = {"present": True, "path": str(path), **per_class(pairs)}
    out["needs_review_rate"] = round(needs_review / len(pairs), 4) if pairs else 0.0
    out["by_source"] = {
        s: {"n": len(p), "accuracy": per_class(p)["accuracy"]} for s, p in by_source.items()
    }
    out["calibration"] = {
        f"{b / 10:.1f}-{(b + 1) / 10:.1f}": {"n": len(v), "accuracy": round(sum(v) / len(v), 3)}
        for b, v in sorted(calibration.items())
    }
    return out


# --- sample set --------------------------------------------------------------------------


def truth_file_texts(sample_root: Path, truth: dict[str, Any]) -> Iterable[FileText]:
    """FileTexts built from the ground truth's printed page text (no reading, no OCR)."""
    for name, spec in truth["files"].items():
        if spec.get("error") or spec.get("container") or not spec.get("pages"):
            continue
        pages = [
            PageText(
                number=p["number"],
                method=PageMethod.TEXT_LAYER,
                text=p["text"],
                language=p.get("language"),
            )
            for p in spec["pages"]
        ]
        yield FileText(file=name, status="ok", pages=pages)


def read_file_texts(sample_root: Path) -> dict[str, FileText]:
    """The ground truth's files read by the real reader (text layer or OCR), by their names there."""
    from extractors.text_eval import read_samples  # the reading engineer's; optional until it lands

    return read_samples(sample_root)


def _match(document: dict[str, Any], predicted: list[Document]) -> Document | None:
    first, last = document["pages"][0], document["pages"][-1]
    exact = [d for d in predicted if d.pages == (first, last)]
    if exact:
        return exact[0]
    covering = [d for d in predicted if d.pages[0] <= first <= d.pages[1]]
    return covering[0] if covering else None


def same_value(expected: object, got: object, *, ordered: bool = True) -> bool:
    """Whether an extracted value matches the truth: numbers within 0.5%, text case-folded.

    Lists compare in order where order is part of the fact (sample truths list lines in the order
    printed); `ordered=False` compares them as sets (outside truths list alleles in any order).
    """
    if got is None:
        return False
    if isinstance(expected, bool) or isinstance(got, bool):
        return expected == got
    if isinstance(expected, int | float) and isinstance(got, int | float):
        return abs(float(expected) - float(got)) <= max(0.01, 0.005 * abs(float(expected)))
    if isinstance(expected, str) and isinstance(got, str):
        return expected.strip().casefold() == got.strip().casefold()
    if isinstance(expected, list) and isinstance(got, list):
        want = [str(x).casefold() for x in expected]
        have = [str(x).casefold() for x in got]
        return want == have if ordered else sorted(want) == sorted(have)
    return expected == got


def _identity_ok(patient: dict[str, Any], predicted: Document, text: str) -> bool | None:
    """Whether each identifier printed on the document was read right (None: none printed)."""
    checks: list[bool] = []
    folded = text.casefold()
    name = patient.get("name")
    if name and name.split()[-1].casefold() in folded:
        checks.append(bool(predicted.patient.name and names_match(name, predicted.patient.name)))
    mrn = normalise_mrn(patient.get("mrn"))
    if mrn and mrn in (normalise_mrn(text) or ""):
        checks.append(normalise_mrn(predicted.patient.mrn) == mrn)
    dob = dt.date.fromisoformat(patient["dob"]) if patient.get("dob") else None
    if dob and any(
        f.value == dob
        or (f.value.month, f.value.day) == (dob.day, dob.month)
        and f.value.year == dob.year
        for f in find_dates(text)
    ):
        checks.append(predicted.patient.dob == dob)
    return all(checks) if checks else None


def packet_boundaries(
    truth: dict[str, Any], texts: dict[str, FileText], packets: int = 40, seed: int = 20261126
) -> dict[str, Any]:
    """Boundary F1 on packets made by stacking the sample set's single-document files in a
    random (seeded) order, as a fax or a scanned stack would hold them."""
    singles: list[list[str]] = []
    for name, spec in truth["files"].items():
        file_text = texts.get(name)
        documents = spec.get("documents") or []
        if (
            file_text is None
            or file_text.status != "ok"
            or len(documents) != 1
            or not file_text.pages
        ):
            continue
        singles.append([p.text for p in file_text.pages])
    if len(singles) < 4:
        return {"packets": 0}
    rng = random.Random(seed)
    tp = predicted = expected = 0
    for _ in range(packets):
        chosen = rng.sample(singles, rng.randint(3, min(6, len(singles))))
        pages: list[PageText] = []
        starts: set[int] = set()
        for document in chosen:
            starts.add(len(pages) + 1)
            for text in document:
                pages.append(
                    PageText(number=len(pages) + 1, method=PageMethod.TEXT_LAYER, text=text)
                )
        found = {
            d.pages[0] for d in find_documents(FileText(file="packet", status="ok", pages=pages))
        }
        starts.discard(1)
        found.discard(1)
        tp += len(starts & found)
        predicted += len(found)
        expected += len(starts)
    precision = tp / predicted if predicted else 1.0
    recall = tp / expected if expected else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "packets": packets,
        "expected": expected,
        "predicted": predicted,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def evaluate_samples(
    sample_root: Path, from_truth_text: bool = False, read_texts: dict[str, FileText] | None = None
) -> dict[str, Any]:
    """All sample-set figures; {"present": False} when there is no ground truth yet.

    `read_texts` (ground-truth name -> FileText) reuses files already read, e.g. by the text
    evaluation, so OCR runs once.
    """
    truth_path = sample_root / "ground_truth.json"
    if not truth_path.is_file():
        return {
            "present": False,
            "message": f"no ground truth at {truth_path} (run `make samples`)",
        }
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    if read_texts is not None:
        texts = read_texts
    elif from_truth_text:
        texts = {ft.file: ft for ft in truth_file_texts(sample_root, truth)}
    else:
        texts = read_file_texts(sample_root)
    type_pairs: list[tuple[str, str]] = []
    dates = [0, 0]
    fields = [0, 0]
    field_misses: Counter[str] = Counter()
    identity = [0, 0]
    boundaries = [0, 0, 0]  # true positives, predicted, expected
    unmatched = 0
    review = 0
    for name, spec in truth["files"].items():
        documents = spec.get("documents") or []
        if spec.get("error") or spec.get("container") or not documents:
            continue
        file_text = texts.get(name)
        predicted = find_documents(file_text) if file_text is not None else []
        page_text = {p.number: p.text for p in file_text.pages} if file_text else {}
        expected_starts = {d["pages"][0] for d in documents} - {1}
        predicted_starts = {d.pages[0] for d in predicted} - {1}
        boundaries[0] += len(expected_starts & predicted_starts)
        boundaries[1] += len(predicted_starts)
        boundaries[2] += len(expected_starts)
        for document in documents:
            match = _match(document, predicted)
            if match is None:
                unmatched += 1
                type_pairs.append((document["doc_type"], "(none)"))
                continue
            review += match.needs_review
            type_pairs.append((document["doc_type"], match.doc_type.value))
            if document.get("document_date"):
                dates[1] += 1
                dates[0] += match.document_date == dt.date.fromisoformat(document["document_date"])
            got = match.fields.model_dump(exclude_none=True)
            for key, value in (document.get("fields") or {}).items():
                fields[1] += 1
                if same_value(value, got.get(key)):
                    fields[0] += 1
                else:
                    field_misses[key] += 1
            patient = truth.get("patients", {}).get(document.get("patient") or "", {})
            text = "\n".join(
                page_text.get(n, "") for n in range(document["pages"][0], document["pages"][-1] + 1)
            )
            ok = _identity_ok(patient, match, text) if patient else None
            if ok is not None:
                identity[1] += 1
                identity[0] += ok
    precision = boundaries[0] / boundaries[1] if boundaries[1] else 1.0
    recall = boundaries[0] / boundaries[2] if boundaries[2] else 1.0
    types = per_class(type_pairs)
    stacked = packet_boundaries(truth, texts)
    return {
        "present": True,
        "documents": len(type_pairs),
        "unmatched_documents": unmatched,
        "type_accuracy": types["accuracy"],
        "type_macro_f1": types["macro_f1"],
        "per_class": types["per_class"],
        "confusion": types["confusion"],
        "needs_review_rate": round(review / len(type_pairs), 4) if type_pairs else 0.0,
        "boundary": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(2 * precision * recall / (precision + recall), 4)
            if precision + recall
            else 0.0,
            "expected": boundaries[2],
            "predicted": boundaries[1],
        },
        "stacked_packet_boundary": stacked,
        "document_date_exact": round(dates[0] / dates[1], 4) if dates[1] else None,
        "document_date_n": dates[1],
        "field_exact": round(fields[0] / fields[1], 4) if fields[1] else None,
        "field_n": fields[1],
        "field_misses": dict(field_misses.most_common()),
        "identity_exact": round(identity[0] / identity[1], 4) if identity[1] else None,
        "identity_n": identity[1],
        "text_source": "ground-truth page text"
        if from_truth_text
        else "real reader (text layer / OCR)",
    }
