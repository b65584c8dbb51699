"""The six program files validate, keep the shared requirement ids, and bad files say where."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from checklists.loader import (
    BUILTIN_DIR,
    ProgramFileError,
    get_program,
    load_program,
    load_programs,
)
from checklists.models import Program
from intake.programs import deployment_programs
from ui.cli.main import app

# docs/CONTRACTS.md "Program requirements": (required ids, advisory ids)
COMMON_REQUIRED = {
    "serology",
    "pregnancy",
    "performance_status",
    "cbc",
    "cmp",
    "cardiac",
    "treatment_history",
}
CONTRACT = {
    "cart-lbcl": (
        COMMON_REQUIRED | {"pathology", "pet_ct"},
        {"medication_list", "brain_mri", "referral"},
    ),
    "cart-mm": (
        COMMON_REQUIRED | {"marrow_pathology", "cytogenetics", "imaging"},
        {"medication_list", "myeloma_labs"},
    ),
    "cart-all": (
        COMMON_REQUIRED | {"marrow_pathology", "cd19", "cytogenetics"},
        {"medication_list"},
    ),
    "til-melanoma": (
        COMMON_REQUIRED | {"pathology", "imaging", "brain_mri", "pft"},
        {"medication_list", "braf"},
    ),
    "neoantigen-vaccine": (
        (COMMON_REQUIRED - {"cardiac", "serology"})
        | {"operative_report", "pathology", "postop_imaging"},
        {"medication_list", "brain_imaging", "serology"},
    ),
    "tcrt-synovial-sarcoma": (
        COMMON_REQUIRED | {"pathology", "ss18", "hla", "mage_a4", "imaging"},
        {"medication_list"},
    ),
}

GOOD = """\
id: site-test
title: Site test program
version: 1
description: A test program.
sources:
  - label: Local protocol
requirements:
  - id: echo
    title: Echo
    accepts: [cardiac_function]
    present: [lvef_percent]
    checks: ["lvef_percent >= 55"]
    max_age_days: 60
    patient_message: An echo from the last 2 months. The heart clinic has it.
"""


def test_six_programs_load_with_contract_ids() -> None:
    programs, errors = load_programs([BUILTIN_DIR])
    assert errors == []
    assert set(programs) == set(CONTRACT)
    for pid, (required, advisory) in CONTRACT.items():
        reqs = programs[pid].requirements
        assert {r.id for r in reqs if r.required} == required, pid
        assert {r.id for r in reqs if not r.required} == advisory, pid
        assert programs[pid].sources and programs[pid].description


@pytest.mark.parametrize(
    ("pid", "req", "window", "check"),
    [
        ("cart-lbcl", "pet_ct", 42, None),
        ("cart-lbcl", "cardiac", 90, "lvef_percent >= 50"),
        ("cart-lbcl", "cbc", 14, "platelets_per_uL >= 75000"),
        ("cart-mm", "cbc", 14, "hemoglobin_g_dL >= 8"),
        ("cart-mm", "marrow_pathology", 56, None),
        ("cart-all", "marrow_pathology", 28, None),
        ("cart-all", "cd19", 90, "cd19 == positive"),
        ("til-melanoma", "pft", 90, "fev1_percent_predicted > 60"),
        ("til-melanoma", "brain_mri", 28, None),
        ("tcrt-synovial-sarcoma", "cardiac", 90, "lvef_percent >= 40"),
        ("tcrt-synovial-sarcoma", "mage_a4", None, "mage_a4 == positive"),
        ("neoantigen-vaccine", "postop_imaging", 28, None),
    ],
)
def test_windows_and_thresholds_follow_the_contract(
    pid: str, req: str, window: int | None, check: str | None
) -> None:
    r = get_program(pid, [BUILTIN_DIR]).requirement(req)
    assert r.max_age_days == window
    if check:
        assert check in [c.label() for c in r.checks]


def test_pregnancy_applies_to_women_12_to_55_and_unknown_sex() -> None:
    cond = get_program("cart-lbcl", [BUILTIN_DIR]).requirement("pregnancy").applies_to
    assert cond is not None
    assert (cond.sex, cond.min_age, cond.max_age, cond.when_unknown) == (
        ["female"],
        12,
        55,
        "applies",
    )


def test_json_schema_exports() -> None:
    schema = Program.model_json_schema()
    assert "requirements" in schema["properties"]
    json.dumps(schema)


def _bad(tmp_path: Path, text: str) -> ProgramFileError:
    f = tmp_path / "bad.yaml"
    f.write_text(text)
    with pytest.raises(ProgramFileError) as info:
        load_program(f)
    assert str(f) in str(info.value)
    return info.value


def test_wrong_type_names_file_line_and_field(tmp_path: Path) -> None:
    err = _bad(tmp_path, GOOD.replace("max_age_days: 60", "max_age_days: sixty"))
    assert err.line == 13
    assert err.field == "requirements[0](echo).max_age_days"
    assert "bad.yaml:13: requirements[0](echo).max_age_days:" in str(err)


def test_unknown_document_field_in_check(tmp_path: Path) -> None:
    err = _bad(
        tmp_path, GOOD.replace('checks: ["lvef_percent >= 55"]', 'checks: ["ejection >= 55"]')
    )
    assert err.line == 12
    assert err.field.startswith("requirements[0](echo).checks[0]")
    assert "ejection" in str(err)


def test_unknown_key_and_missing_field(tmp_path: Path) -> None:
    text = GOOD.replace("    max_age_days: 60\n", "    max_age: 60\n").replace(
        "    title: Echo\n", ""
    )
    err = _bad(tmp_path, text)
    by_field = {p.field: p.line for p in err.problems}
    assert by_field["requirements[0](echo).max_age"] == 12
    assert by_field["requirements[0](echo).title"] == 8  # the requirement's first line


def test_bad_document_type(tmp_path: Path) -> None:
    err = _bad(tmp_path, GOOD.replace("accepts: [cardiac_function]", "accepts: [echo_report]"))
    assert err.line == 10 and err.field == "requirements[0](echo).accepts[0]"


def test_yaml_syntax_error_gives_line(tmp_path: Path) -> None:
    err = _bad(tmp_path, GOOD.replace("title: Echo", "title: [Echo"))
    assert err.line >= 9 and "not valid YAML" in str(err)


def test_extra_folder_adds_and_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "site.yaml").write_text(GOOD)
    override = (
        (BUILTIN_DIR / "cart-lbcl.yaml")
        .read_text()
        .replace("version: '2026.11'", "version: site-7")
    )
    (tmp_path / "lbcl.yaml").write_text(override)
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: 5\n")
    monkeypatch.setenv("RECORDREADY_PROGRAMS_DIR", str(tmp_path))
    # The library loads only the folders it is given; the deployment's come from its settings.
    assert "site-test" not in load_programs()[0]
    programs, errors = deployment_programs()
    assert programs["site-test"].requirement("echo").checks[0].label() == "lvef_percent >= 55"
    assert programs["cart-lbcl"].version == "site-7"
    assert len(programs) == 7
    assert [e.file.name for e in errors] == ["broken.yaml"]
    result = CliRunner().invoke(app, ["programs"])
    assert result.exit_code == 1
    assert "site-test" in result.stdout and "broken.yaml" in result.stderr


def test_programs_command_lists_six() -> None:
    result = CliRunner().invoke(app, ["programs", "--json"])
    assert result.exit_code == 0, result.output
    assert {p["id"] for p in json.loads(result.stdout)} == set(CONTRACT)


def _syllables(word: str) -> int:
    w = re.sub(r"[^a-z]", "", word.lower())
    if len(w) <= 3:
        return 1
    w = re.sub(r"(?:[^laeiouy]es|ed|[^laeiouy]e)$", "", w)
    return max(1, len(re.findall(r"[aeiouy]{1,2}", re.sub(r"^y", "", w))))


def _grade(text: str) -> float:
    """Flesch-Kincaid grade level."""
    sentences = max(1, len(re.findall(r"[.!?]+(?:\s|$)", text)))
    words = re.findall(r"[A-Za-z][A-Za-z'\-]*", text)
    syllables = sum(_syllables(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syllables / len(words) - 15.59


def test_patient_words_are_plain_and_say_who_holds_the_record() -> None:
    programs, _ = load_programs([BUILTIN_DIR])
    for program in programs.values():
        assert _grade(program.description) <= 9, program.id
        for req in program.requirements:
            assert _grade(req.patient_message) <= 9, (program.id, req.id)
            assert re.search(
                r"\b(ask|has (it|them|the report)|can (print|write|do)|writes it)\b",
                req.patient_message,
                re.I,
            ), (program.id, req.id)
            assert not re.search(
                r"\b(ECOG|LVEF|ANC|CrCl|FEV1)\b", req.patient_title or req.title
            ), (program.id, req.id)
