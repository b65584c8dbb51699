"""Case verdicts on the records corpus: does the checklist conclude what a reviewer would?

Each case's `truth.json` says whether it is ready, which requirements are gaps and with
which status, and which files hold another patient's records. We check the case against
its program with the case's patient given (as case.json would give it) and compare:
ready / not ready, every gap (requirement and status), misfiled files flagged, and no
record of the case's own patient called another patient's.

The corpus names requirements by concept (`bone_marrow`, `chemistry`, ...); our programs
name them by item id. `CONCEPTS` maps one to the other.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from checklists.evaluate import CaseInfo, evaluate
from checklists.loader import get_program
from checklists.report import GAP_STATUSES, ProblemKind, Report
from extractors.identity import names_match
from extractors.records_eval import (
    UNREADABLE,
    CaseRead,
    case_folders,
    read_case,
    score_case,
    summarise,
    truth_file_name,
)
from extractors.vocabulary import Patient

# Corpus concept -> our item ids that check it (the first present in the program wins).
CONCEPTS: dict[str, tuple[str, ...]] = {
    "bone_marrow": ("marrow_pathology",),
    "brain_imaging": ("brain_mri", "brain_imaging"),
    "chemistry": ("cmp",),
    "molecular": ("braf", "ss18"),
    "pulmonary": ("pft",),
}
# The corpus's 'unreadable' is our needs_review with an unreadable copy.
_STATUS_ALIASES = {"unreadable": "needs_review"}


def _item_concept(item_id: str) -> str:
    for concept, ids in CONCEPTS.items():
        if item_id in ids:
            return concept
    return item_id


def case_patient(truth: dict[str, Any]) -> Patient:
    given = truth.get("patient") or {}
    return Patient(
        name=given.get("name"),
        dob=dt.date.fromisoformat(given["dob"]) if given.get("dob") else None,
        mrn=given.get("mrn"),
    )


def check_case(case: CaseRead) -> Report:
    truth = case.truth
    info = CaseInfo(
        case_id=case.case_id,
        as_of=dt.date.fromisoformat(truth["as_of"]),
        patient=case_patient(truth),
    )
    docs = sorted(case.documents, key=lambda d: (d.file, d.pages))
    return evaluate(get_program(truth["program"]), docs, case.file_texts, info)


def _own_documents(truth: dict[str, Any]) -> set[tuple[str, int]]:
    """(item name, first page) of every truth document that is the case patient's."""
    case = case_patient(truth)
    own: set[tuple[str, int]] = set()
    for file in truth["files"]:
        if file.get("bad") in UNREADABLE:
            continue
        for document in file["documents"]:
            printed = document.get("patient") or {}
            dob = printed.get("dob")
            other_dob = bool(dob and case.dob and dob != case.dob.isoformat())
            other_name = bool(
                printed.get("name")
                and case.name
                and names_match(printed["name"], case.name) is False
                and not (dob and case.dob and dob == case.dob.isoformat())
            )
            if not (other_dob or other_name):
                own.add((truth_file_name(file, document), document["pages"][0]))
    return own


def _top_file(name: str) -> str:
    # Problems name the item ("files/pack.zip/member.pdf"); misfiled lists name the upload.
    for ext in (".zip/", ".eml/"):
        if ext in name:
            return name[: name.index(ext) + len(ext) - 1]
    return name


def compare_verdict(case: CaseRead, report: Report) -> dict[str, Any]:
    """What the report concluded against what the truth expects, with every miss in words."""
    expected = case.truth["expected"]
    misses: list[str] = []
    cid = case.case_id
    if report.ready != expected["ready"]:
        misses.append(
            f"{cid}: reported {'READY' if report.ready else 'not ready'}, "
            f"truth {'READY' if expected['ready'] else 'not ready'}"
        )
    ours: dict[str, str] = {
        _item_concept(i.id): i.status.value
        for i in report.items
        if i.required and i.status in GAP_STATUSES
    }
    want: dict[str, set[str]] = {
        g["requirement"]: {_STATUS_ALIASES.get(s, s) for s in g["status"]} for g in expected["gaps"]
    }
    checked = {_item_concept(i.id) for i in report.items}
    gaps_right = 0
    for concept, statuses in want.items():
        got = ours.get(concept)
        if got in statuses:
            gaps_right += 1
        elif concept not in checked:
            misses.append(
                f"{cid}: gap {concept} not checked by the program, truth {sorted(statuses)}"
            )
        else:
            misses.append(f"{cid}: gap {concept} reported {got or 'met'}, truth {sorted(statuses)}")
    for concept, status in ours.items():
        if concept not in want:
            misses.append(f"{cid}: gap {concept} reported {status}, truth met")
    flagged = {
        _top_file(p.file) for p in report.problems if p.kind == ProblemKind.IDENTITY_MISMATCH
    }
    misfiled = set(expected["misfiled_files"])
    for file in sorted(misfiled - flagged):
        misses.append(f"{cid}: {file} holds another patient's record, not flagged")
    for file in sorted(flagged - misfiled):
        misses.append(f"{cid}: {file} flagged as another patient's, truth the patient's own")
    own = _own_documents(case.truth)
    others = set(report.other_patient_documents)
    own_called_other = [
        d for d in report.documents if d.id in others and (d.file, d.pages[0]) in own
    ]
    for d in own_called_other:
        misses.append(f"{cid}: {d.file} p{d.pages[0]}-{d.pages[1]} (own) called another patient's")
    return {
        "case_id": cid,
        "ready": report.ready,
        "expected_ready": expected["ready"],
        "ready_right": report.ready == expected["ready"],
        "gaps_expected": len(want),
        "gaps_right": gaps_right,
        "extra_gaps": sorted(set(ours) - set(want)),
        "misfiled_flagged": len(misfiled & flagged),
        "misfiled_expected": len(misfiled),
        "wrongly_flagged_files": sorted(flagged - misfiled),
        "own_called_other": len(own_called_other),
        "misses": misses,
    }


def summarise_verdicts(verdicts: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "cases": len(verdicts),
        "ready_right": sum(v["ready_right"] for v in verdicts),
        "gaps_right": sum(v["gaps_right"] for v in verdicts),
        "gaps_expected": sum(v["gaps_expected"] for v in verdicts),
        "extra_gaps": sum(len(v["extra_gaps"]) for v in verdicts),
        "misfiled_flagged": sum(v["misfiled_flagged"] for v in verdicts),
        "misfiled_expected": sum(v["misfiled_expected"] for v in verdicts),
        "wrongly_flagged_files": sum(len(v["wrongly_flagged_files"]) for v in verdicts),
        "own_called_other": sum(v["own_called_other"] for v in verdicts),
    }


def evaluate_records(
    corpus: Path, cache_dir: Path | None, from_truth_text: bool = False
) -> dict[str, Any]:
    """Every case of the corpus read, scored per document and checked per case."""
    folders = case_folders(corpus)
    if not folders:
        return {"present": False, "path": str(corpus), "message": f"no cases under {corpus}"}
    scored: list[dict[str, Any]] = []
    verdicts: list[dict[str, Any]] = []
    for folder in folders:
        case = read_case(folder, cache_dir, from_truth_text)
        scored.append(score_case(case))
        verdicts.append(compare_verdict(case, check_case(case)))
    return {
        "present": True,
        "path": str(corpus),
        "text_source": "corpus page text" if from_truth_text else "real reader (text layer / OCR)",
        **summarise(scored),
        "verdicts": summarise_verdicts(verdicts),
        "cases": verdicts,
        "misses": [m for s in scored for m in s["misses"]]
        + [m for v in verdicts for m in v["misses"]],
    }
