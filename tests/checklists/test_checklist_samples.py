"""`recordready check` on every sample case, against sample_docs/ground_truth.json.

The ground truth lists each case's expected readiness, its planted gaps (status + document
type) and its problems (kind + file). It is turned into one expected status per requirement:
a planted gap marks the requirement that accepts that document type (where several do, the
one the report gave that status), a requirement that does not apply to the patient (by the
ground truth's sex and date of birth) is not_applicable, and every other one must be met.

Some of a case's records arrive as loose files at the top of the inbox (the batch runner
assigns them by identity); the ground truth says whose they are, so they are passed to
`check` beside the case folder, e-mail members written out on their own.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from fhir_roundtrip import assert_bundle_holds_report
from typer.testing import CliRunner

from checklists.loader import get_program
from checklists.models import Requirement
from extractors.sources import expand
from intake.pipeline.casecheck import check_case
from ui.cli.main import app

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "sample_docs"
TRUTH = SAMPLES / "ground_truth.json"
GROUND = (
    json.loads(TRUTH.read_text()) if TRUTH.is_file() else {"cases": {}, "patients": {}, "files": {}}
)


def loose_paths(case_name: str, patient: str, scratch: Path) -> list[Path]:
    """The loose inbox files (or e-mail/zip members) whose every document is this patient's."""
    inbox = Path(case_name).parent
    out: list[Path] = []
    for rel, entry in GROUND["files"].items():
        docs = entry.get("documents", [])
        if entry.get("container") or not docs or any(d.get("patient") != patient for d in docs):
            continue
        parts = Path(rel).relative_to(inbox).parts if Path(rel).is_relative_to(inbox) else ()
        if len(parts) == 1 and (SAMPLES / rel).is_file():
            out.append(SAMPLES / rel)
        elif len(parts) == 2 and (SAMPLES / inbox / parts[0]).is_file():
            for item in expand(SAMPLES / inbox / parts[0]):
                if item.name.endswith("/" + parts[1]) and item.data is not None:
                    (scratch / parts[1]).write_bytes(item.data)
                    out.append(scratch / parts[1])
    return sorted(out)


def _age(dob: dt.date, on: dt.date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


def _applies(req: Requirement, patient: dict, as_of: dt.date) -> bool:
    cond = req.applies_to
    if cond is None:
        return True
    if cond.sex and patient.get("sex") and patient["sex"] not in cond.sex:
        return False
    age = _age(dt.date.fromisoformat(patient["dob"]), as_of) if patient.get("dob") else None
    if age is None:
        return cond.when_unknown == "applies"
    return not (
        (cond.min_age is not None and age < cond.min_age)
        or (cond.max_age is not None and age > cond.max_age)
    )


def expected_statuses(case: dict, got: dict[str, str]) -> dict[str, str]:
    program = get_program(case["program"])
    as_of = dt.date.fromisoformat(case["as_of"])
    patient = GROUND["patients"][case["patient"]]
    expected = {
        r.id: ("met" if _applies(r, patient, as_of) else "not_applicable")
        for r in program.requirements
    }
    accepts = {r.id: {t.value for t in r.all_accepts()} for r in program.requirements}
    for gap in case["expected"]["gaps"]:
        candidates = [
            rid for rid in expected if gap["doc_type"] in accepts[rid] and expected[rid] == "met"
        ]
        assert candidates, f"no requirement of {program.id} takes a {gap['doc_type']}"
        pick = next((c for c in candidates if got.get(c) == gap["status"]), candidates[0])
        expected[pick] = gap["status"]
    return expected


@pytest.mark.slow
@pytest.mark.skipif(
    not GROUND["cases"], reason="sample_docs/ground_truth.json has no cases (run `make samples`)"
)
@pytest.mark.parametrize("case_name", sorted(GROUND["cases"]))
def test_sample_case_matches_ground_truth(case_name: str, tmp_path: Path) -> None:
    case = GROUND["cases"][case_name]
    report = check_case([SAMPLES / case_name, *loose_paths(case_name, case["patient"], tmp_path)])
    got = {i.id: i.status.value for i in report.items}
    expected = expected_statuses(case, got)
    details = {i.id: i.detail for i in report.items if got[i.id] != expected[i.id]}
    assert got == expected, f"{case_name}: {json.dumps(details, indent=1)}"
    assert report.ready == case["expected"]["ready"]
    assert sorted((p.kind.value, p.file) for p in report.problems) == sorted(
        (p["kind"], p["file"]) for p in case["expected"]["problems"]
    )
    # no document of another patient is ever counted
    for item in report.items:
        for ev in item.evidence:
            truth = GROUND["files"].get(f"{case_name}/{ev.file}", {}).get("documents", [])
            others = [d for d in truth if d.get("patient") not in (None, case["patient"])]
            assert not others, f"{item.id} counted {ev.file}, which is another patient's"


@pytest.mark.slow
@pytest.mark.skipif(
    not GROUND["cases"], reason="sample_docs/ground_truth.json has no cases (run `make samples`)"
)
@pytest.mark.parametrize("case_name", sorted(GROUND["cases"]))
def test_sample_case_as_fhir_validates_and_holds_the_report(case_name: str, tmp_path: Path) -> None:
    """`check --format fhir` on every sample case: a valid R4 Bundle (fhir.resources R4B) with
    every requirement, document, value and records request of the case's report. Runs after
    the test above in this module, so its reading is served from the module's store."""
    case = GROUND["cases"][case_name]
    paths = [SAMPLES / case_name, *loose_paths(case_name, case["patient"], tmp_path)]
    result = CliRunner().invoke(app, ["check", *map(str, paths), "--format", "fhir"])
    assert result.exit_code == 0, result.output
    assert_bundle_holds_report(result.stdout, check_case(paths))
