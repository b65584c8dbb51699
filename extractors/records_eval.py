"""Measure understanding on the records corpus: cases written by someone outside the team.

The corpus (`../shared/corpus/records/`, see its README) holds case folders, each with
`files/` (what a clinic uploaded) and `truth.json` (what every file is, its documents' page
ranges, types, dates, identities as printed and normalised values). Per document we score
type, boundaries (F1 over document starts), document date, identity (name as printed and
DOB; MRN apart) and every normalised value, and list every miss.

Reading is slow (raster pages, real tesseract), so read pages are kept in `cache_dir` keyed
by the file's sha256 and `PIPELINE_VERSION`: re-running after a change to the
understanding code costs seconds. The caller says where the corpus and the cache are; this
module reads no settings.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractors.classify_eval import same_value
from extractors.documents import find_documents
from extractors.identity import normalise_mrn, normalise_name
from extractors.pages import PIPELINE_VERSION, read_item
from extractors.sources import SourceItem, expand
from extractors.vocabulary import Document, FileText, PageMethod, PageText

# Free-text values: how a person words a diagnosis or a region is not a value to match.
PROSE_FIELDS = ("diagnosis", "body_region")
# Files that cannot be opened hold documents nobody can read: reported, not scored.
UNREADABLE = ("encrypted", "corrupt", "empty")


@dataclass
class CaseRead:
    """One case's files as read, and the documents found in them, named as truth.json does."""

    case_id: str
    truth: dict[str, Any]
    file_texts: list[FileText] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)


def case_folders(corpus: Path) -> list[Path]:
    cases = corpus / "cases"
    if not cases.is_dir():
        return []
    return sorted(p for p in cases.iterdir() if (p / "truth.json").is_file())


# --- reading, with a cache of read pages -------------------------------------------------


def _cached_read(item: SourceItem, cache_dir: Path | None) -> FileText:
    if item.sha256 is None or cache_dir is None:
        return read_item(item, ocr_parallel=True)
    path = cache_dir / PIPELINE_VERSION / f"{item.sha256}.json"
    if path.is_file():
        cached = FileText.model_validate_json(path.read_text(encoding="utf-8"))
        return cached.model_copy(update={"file": item.name})
    read = read_item(item, ocr_parallel=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(read.model_dump_json(), encoding="utf-8")
    tmp.replace(path)
    return read


def _relative(name: str, case_dir: Path) -> str:
    prefix = str(case_dir).rstrip("/") + "/"
    return name[len(prefix) :] if name.startswith(prefix) else name


def _truth_texts(case_dir: Path) -> list[FileText]:
    """The corpus's own page text (text/<file>[__<member>].p<N>.txt), for --truth-text."""
    by_file: dict[str, list[PageText]] = {}
    for path in sorted((case_dir / "text").glob("*.txt")):
        m = re.fullmatch(r"(.+)\.p(\d+)\.txt", path.name)
        if not m:
            continue
        name = "files/" + m.group(1).replace("__", "/")
        by_file.setdefault(name, []).append(
            PageText(
                number=int(m.group(2)),
                method=PageMethod.TEXT_LAYER,
                text=path.read_text(encoding="utf-8"),
            )
        )
    texts = []
    for name, pages in by_file.items():
        texts.append(FileText(file=name, status="ok", pages=sorted(pages, key=lambda p: p.number)))
    return texts


def read_case(case_dir: Path, cache_dir: Path | None, from_truth_text: bool = False) -> CaseRead:
    """Every file of one case read (or taken from the cache) and its documents found."""
    truth = json.loads((case_dir / "truth.json").read_text(encoding="utf-8"))
    case = CaseRead(case_id=truth["case_id"], truth=truth)
    if from_truth_text:
        texts = _truth_texts(case_dir)
        # Unreadable files stay unreadable: read them for their error.
        texts += [
            _cached_read(item, None).model_copy(update={"file": _relative(item.name, case_dir)})
            for item in expand(case_dir / "files")
            if item.error is not None
        ]
    else:
        texts = [
            _cached_read(item, cache_dir).model_copy(
                update={"file": _relative(item.name, case_dir)}
            )
            for item in expand(case_dir / "files")
        ]
    for text in sorted(texts, key=lambda t: t.file):
        case.file_texts.append(text)
        case.documents.extend(find_documents(text))
    return case


# --- scoring one document ----------------------------------------------------------------


def truth_file_name(file: dict[str, Any], document: dict[str, Any]) -> str:
    """The name our reader gives the item holding this document (a member: file/member)."""
    if file["format"] == "eml" and "attachment" not in document:
        return f"{file['file']}/body.txt"
    if "attachment" in document:
        return f"{file['file']}/{document['attachment']}"
    name: str = file["file"]
    return name


def _match(pages: list[int], predicted: list[Document]) -> Document | None:
    first, last = pages[0], pages[-1]
    exact = [d for d in predicted if d.pages == (first, last)]
    if exact:
        return exact[0]
    covering = [d for d in predicted if d.pages[0] <= first <= d.pages[1]]
    return covering[0] if covering else None


def _plain_name(name: str | None) -> str | None:
    normal = normalise_name(name) if name else None
    return normal.replace(".", "").casefold() if normal else None


def truth_value(key: str, value: Any) -> Any:
    """The truth's value in the form our Fields hold: 'positive (>90% ...)' -> 'positive'."""
    if key == "pd_l1" and isinstance(value, str):
        m = re.search(r"\d+(?:\.\d+)?", value)
        return float(m.group()) if m else value
    if isinstance(value, str) and key not in PROSE_FIELDS and key != "modality":
        return re.split(r"\s*[(,;]", value.strip(), maxsplit=1)[0].casefold()
    return value


def _show(value: Any) -> str:
    return "-" if value is None else str(value)


def score_document(
    document: dict[str, Any], match: Document | None, where: str
) -> tuple[dict[str, list[int]], list[str]]:
    """[right, counted] per measure for one truth document, and its misses in words."""
    counts: dict[str, list[int]] = {
        k: [0, 0] for k in ("type", "date", "identity", "name", "dob", "mrn", "fields")
    }
    misses: list[str] = []
    counts["type"][1] = 1
    if match is None:
        misses.append(f"{where}: no document found (truth {document['doc_type']})")
        return counts, misses
    if match.doc_type.value == document["doc_type"]:
        counts["type"][0] = 1
    else:
        misses.append(f"{where}: type {match.doc_type.value}, truth {document['doc_type']}")
    if document.get("document_date"):
        counts["date"][1] = 1
        truth_date = dt.date.fromisoformat(document["document_date"])
        if match.document_date == truth_date:
            counts["date"][0] = 1
        else:
            misses.append(f"{where}: date {_show(match.document_date)}, truth {truth_date}")
    patient = document.get("patient") or {}
    name_ok = _plain_name(patient.get("name")) == _plain_name(match.patient.name)
    truth_dob = dt.date.fromisoformat(patient["dob"]) if patient.get("dob") else None
    dob_ok = truth_dob == match.patient.dob
    mrn_ok = normalise_mrn(patient.get("mrn")) == normalise_mrn(match.patient.mrn)
    for key, ok in (("name", name_ok), ("dob", dob_ok), ("mrn", mrn_ok)):
        counts[key] = [int(ok), 1]
    counts["identity"] = [int(name_ok and dob_ok), 1]
    if not name_ok:
        misses.append(f"{where}: name {match.patient.name!r}, truth {patient.get('name')!r}")
    if not dob_ok:
        misses.append(f"{where}: DOB {_show(match.patient.dob)}, truth {_show(truth_dob)}")
    if not mrn_ok:
        misses.append(f"{where}: MRN {match.patient.mrn!r}, truth {patient.get('mrn')!r}")
    got = match.fields.model_dump(exclude_none=True)
    for key, value in (document.get("fields") or {}).items():
        if key in PROSE_FIELDS:
            continue
        counts["fields"][1] += 1
        expected = truth_value(key, value)
        if same_value(expected, got.get(key), ordered=False):
            counts["fields"][0] += 1
        else:
            misses.append(f"{where}: {key} {_show(got.get(key))}, truth {expected}")
    return counts, misses


def score_case(case: CaseRead) -> dict[str, Any]:
    """Per-measure counts, boundary counts and the misses of one case."""
    totals: dict[str, list[int]] = {}
    boundary = [0, 0, 0]  # true positives, predicted, expected (starts after page 1)
    misses: list[str] = []
    unreadable = 0
    by_file: dict[str, list[Document]] = {}
    for doc in case.documents:
        by_file.setdefault(doc.file, []).append(doc)
    for file in case.truth["files"]:
        if file.get("bad") in UNREADABLE:
            unreadable += len(file["documents"])
            continue
        groups: dict[str, list[dict[str, Any]]] = {}
        for document in file["documents"]:
            groups.setdefault(truth_file_name(file, document), []).append(document)
        for name, documents in groups.items():
            predicted = by_file.get(name, [])
            expected_starts = {d["pages"][0] for d in documents} - {1}
            predicted_starts = {d.pages[0] for d in predicted} - {1}
            boundary[0] += len(expected_starts & predicted_starts)
            boundary[1] += len(predicted_starts)
            boundary[2] += len(expected_starts)
            if predicted_starts != expected_starts:
                misses.append(
                    f"{case.case_id} {name}: documents start at pages "
                    f"{sorted(predicted_starts | {1})}, truth {sorted(expected_starts | {1})}"
                )
            for document in documents:
                pages = f"p{document['pages'][0]}-{document['pages'][-1]}"
                counts, found = score_document(
                    document, _match(document["pages"], predicted), f"{case.case_id} {name} {pages}"
                )
                misses.extend(found)
                for key, (right, n) in counts.items():
                    acc = totals.setdefault(key, [0, 0])
                    acc[0] += right
                    acc[1] += n
    return {"counts": totals, "boundary": boundary, "misses": misses, "unreadable": unreadable}


def _rate(pair: list[int]) -> float | None:
    return round(pair[0] / pair[1], 4) if pair[1] else None


def summarise(scored: list[dict[str, Any]]) -> dict[str, Any]:
    """Corpus-wide rates from the cases' counts."""
    totals: dict[str, list[int]] = {}
    boundary = [0, 0, 0]
    for case in scored:
        for key, (right, n) in case["counts"].items():
            acc = totals.setdefault(key, [0, 0])
            acc[0] += right
            acc[1] += n
        boundary = [a + b for a, b in zip(boundary, case["boundary"], strict=True)]
    precision = boundary[0] / boundary[1] if boundary[1] else 1.0
    recall = boundary[0] / boundary[2] if boundary[2] else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "documents": totals.get("type", [0, 0])[1],
        "unreadable_documents": sum(c["unreadable"] for c in scored),
        "type_accuracy": _rate(totals.get("type", [0, 0])),
        "boundary": {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "expected": boundary[2],
            "predicted": boundary[1],
        },
        "document_date_exact": _rate(totals.get("date", [0, 0])),
        "identity_exact": _rate(totals.get("identity", [0, 0])),
        "name_exact": _rate(totals.get("name", [0, 0])),
        "dob_exact": _rate(totals.get("dob", [0, 0])),
        "mrn_exact": _rate(totals.get("mrn", [0, 0])),
        "field_exact": _rate(totals.get("fields", [0, 0])),
        "field_n": totals.get("fields", [0, 0])[1],
        "counts": totals,
    }
