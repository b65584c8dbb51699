"""The FHIR R4 export: its code tables (data, checked at load) and a Bundle built from an
evaluated case, read back with fhir.resources R4B.

The end-to-end round trip on real files is in test_checklist_end_to_end.py, every sample case
in test_checklist_samples.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from checklist_helpers import AS_OF, OTHER, complete_lbcl, doc
from fhir_roundtrip import assert_bundle_holds_report
from pydantic import ValidationError

from checklists.evaluate import CaseInfo, evaluate
from checklists.fhir_codes import LOINC, TABLES, load_codes
from checklists.loader import BUILTIN_DIR, get_program
from checklists.render import render, render_download
from checklists.report import Report
from extractors.vocabulary import FIELD_NAMES, DocType


def test_code_tables_cover_every_type_and_field() -> None:
    codes = load_codes()
    assert set(codes.documents) == set(DocType)
    assert set(codes.fields) == set(FIELD_NAMES)
    hb = codes.fields["hemoglobin_g_dL"]
    assert (hb.loinc, hb.unit, hb.value) == ("718-7", "g/dL", "quantity")
    assert codes.fields["ecog"].value == "integer" and codes.fields["hiv"].value == "coded"
    assert codes.documents[DocType.CARDIAC_FUNCTION].for_modality("ecg").loinc == "11524-6"
    assert codes.documents[DocType.LAB_RESULTS].for_modality(None).loinc == "11502-2"


def _broken(tmp_path: Path, change: str) -> str:
    data = yaml.safe_load(TABLES.read_text(encoding="utf-8"))
    if change == "type left out":
        del data["documents"]["hla_typing"]
    elif change == "not LOINC":
        data["fields"]["hemoglobin_g_dL"]["loinc"] = "7187"
    elif change == "no unit":
        del data["fields"]["platelets_per_uL"]["unit"]
    elif change == "wrong kind":
        data["fields"]["ecog"]["value"] = "quantity"
        data["fields"]["ecog"]["unit"] = "{score}"
    elif change == "unknown field":
        data["fields"]["lvef"] = data["fields"].pop("lvef_percent")
    path = tmp_path / "fhir.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        load_codes(path)
    return str(err.value)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("type left out", "no entry for hla_typing"),
        ("not LOINC", "'7187' is not a LOINC code"),
        ("no unit", "a quantity needs its UCUM unit"),
        ("wrong kind", "fields.ecog: value is integer, not quantity"),
        ("unknown field", "lvef not fields of the vocabulary"),
    ],
)
def test_a_wrong_code_table_fails_at_load(tmp_path: Path, change: str, said: str) -> None:
    assert said in _broken(tmp_path, change)


def _case() -> Report:
    """cart-lbcl with an echo (LVEF 44: out of range), the PET-CT and notes missing, and
    another patient's note; the documents have no ids (as built by hand, not read)."""
    keep = ("path.pdf", "labs.pdf", "mri.pdf")
    docs = [d for d in complete_lbcl() if d.file in keep]
    docs += [
        doc("echo.pdf", "cardiac_function", 20, modality="echo", lvef_percent=44),
        doc("hla.pdf", "hla_typing", 40, hla_a=["A*02:01", "A*24:02"]),
        doc("note.pdf", "clinic_note", 3, confidence=0.4, needs_review=True, ecog=1),
        doc("other.pdf", "clinic_note", 3, OTHER, ecog=0),
    ]
    info = CaseInfo(case_id="case-9", as_of=AS_OF, patient=complete_lbcl()[0].patient)
    return evaluate(get_program("cart-lbcl", [BUILTIN_DIR]), docs, [], info)


def test_bundle_of_an_evaluated_case_reads_back_whole() -> None:
    report = _case()
    text = render(report, "fhir")
    bundle = assert_bundle_holds_report(text, report)
    resources = [e.resource for e in bundle.entry or []]
    echo = next(
        r
        for r in resources
        if r.get_resource_type() == "DocumentReference"
        and r.content[0].attachment.title == "echo.pdf"
    )
    assert [(c.system, c.code) for c in echo.type.coding] == [(LOINC, "34552-0")]
    observed = {
        r.code.coding[-1].code: r for r in resources if r.get_resource_type() == "Observation"
    }
    lvef = observed["lvef_percent"]
    assert lvef.code.coding[0].code == "10230-1"
    assert (float(lvef.valueQuantity.value), lvef.valueQuantity.code) == (44.0, "%")
    assert observed["hla_a"].valueString == "A*02:01; A*24:02"
    assert observed["hiv"].valueCodeableConcept.coding[0].code == "260385009"  # negative
    # a value read from a document that needs review is not final; another patient's is absent
    assert observed["ecog"].status == "preliminary" and observed["ecog"].valueInteger == 1
    # the patient view gives the same Bundle: it is for the coordinator's systems
    assert render(report, "fhir", "patient") == text
    got = render_download(report, "fhir")
    assert got.mime == "application/fhir+json" and got.data == text.encode("utf-8")
