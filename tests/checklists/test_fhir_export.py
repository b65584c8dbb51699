"""The FHIR R4 export: its code tables (data, checked at load), a Bundle built from an
evaluated case, and one from C-CDA documents read by their codes, read back with
fhir.resources R4B.

The end-to-end round trip on real files is in test_checklist_end_to_end.py, every sample case
in test_checklist_samples.py.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from checklist_helpers import AS_OF, OTHER, complete_lbcl, doc
from fhir.resources.R4B.bundle import Bundle
from fhir_roundtrip import assert_bundle_holds_report
from pydantic import ValidationError
from pydicom.uid import generate_uid
from typer.testing import CliRunner

from checklists.evaluate import CaseInfo, evaluate
from checklists.fhir_codes import LOINC, TABLES, load_codes
from checklists.loader import BUILTIN_DIR, get_program
from checklists.render import render, render_download
from checklists.render_fhir import FhirExportError, bundle_dict, validate_bundle
from checklists.report import Report
from extractors.ccda_codes import load_tables
from extractors.vocabulary import FIELD_NAMES, DocType
from tests.exports.builders import Doc, Result, Section, ccda, result_entry
from tests.exports.dicom_builders import disc_zip, image
from ui.cli.main import app


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


def test_a_bundle_that_does_not_validate_is_refused_without_its_values() -> None:
    """What does not fit R4 never leaves, and the error names the place, not the patient."""
    data = bundle_dict(_case())
    patient = data["entry"][0]["resource"]
    patient["birthDate"] = "14 March 1961"
    patient["identifier"][0]["bogus"] = "SMH-4410237"
    with pytest.raises(FhirExportError) as err:
        validate_bundle(data)
    said = str(err.value)
    assert "entry.0.resource.birthDate" in said and "entry.0.resource.identifier.0.bogus" in said
    assert "1961" not in said and "SMH-4410237" not in said and err.value.__cause__ is None


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


def test_our_fhir_codes_read_back_as_the_same_fields_in_a_ccda() -> None:
    """A LOINC code we write for a field is, where our C-CDA reader knows it, that field."""
    ccda_tables = load_tables()
    for name, spec in load_codes().fields.items():
        if spec.loinc:
            assert ccda_tables.field_of(spec.loinc) in (None, name), name


SHARED_CCD = (
    Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "exports" / "ccda"
) / "CCD_CCD_1_CCD.XML"


def _check_fhir(case: Path, program: str = "cart-lbcl", as_of: str = "2026-11-10") -> Bundle:
    """`check` of a case as JSON and as FHIR: the Bundle, found to hold the whole report."""
    args = ["check", str(case), "--program", program, "--as-of", as_of]
    runs = {f: CliRunner().invoke(app, [*args, "--format", f]) for f in ("json", "fhir")}
    assert all(r.exit_code == 0 for r in runs.values()), runs["fhir"].output
    data = json.loads(runs["json"].stdout)
    data.pop("records_requests")
    return assert_bundle_holds_report(runs["fhir"].stdout, Report.model_validate(data))


def _of(bundle: Bundle, kind: str) -> list[tuple[str, Any]]:
    return [
        (e.fullUrl, e.resource)
        for e in bundle.entry or []
        if e.resource.get_resource_type() == kind
    ]


def test_a_portal_export_in_gives_coded_fhir_out(tmp_path: Path) -> None:
    """C-CDA documents read by their codes come out as FHIR with the same codes and values:
    a discharge summary with coded results written here, and HL7's own CCD sample (when the
    shared corpus is beside the checkout)."""
    case = tmp_path / "discharge"
    case.mkdir()
    labs = [
        Result("718-7", "Hemoglobin", "10.4", "g/dL", time="20261003"),
        Result("777-3", "Platelets", "88", "10*9/L"),
        Result("5196-1", "HBsAg", "", xsi="ST", text="Negative"),
    ]
    results = Section("30954-2", "Results", "<paragraph>CBC</paragraph>", result_entry(labs))
    (case / "discharge.xml").write_bytes(ccda(Doc(sections=[results])))
    bundle = _check_fhir(case)
    ((url, discharge),) = _of(bundle, "DocumentReference")
    assert [c.code for c in discharge.type.coding] == ["18842-5"]
    assert discharge.context.period.start == dt.date(2026, 10, 5)
    assert bundle.entry[0].resource.name[0].text == "Rosa Delgado-Ibarra"
    values = {o.code.coding[0].code: o for _, o in _of(bundle, "Observation")}
    assert all(o.derivedFrom[0].reference == url for o in values.values())
    assert float(values["718-7"].valueQuantity.value) == 10.4
    assert float(values["777-3"].valueQuantity.value) == 88000  # 88 10*9/L, per uL
    assert values["5196-1"].valueCodeableConcept.coding[0].code == "260385009"
    if not SHARED_CCD.is_file():
        return
    hl7 = tmp_path / "hl7"
    hl7.mkdir()
    shutil.copy(SHARED_CCD, hl7 / SHARED_CCD.name)
    bundle = _check_fhir(hl7)
    refs = {r.category[0].coding[0].code: (u, r) for u, r in _of(bundle, "DocumentReference")}
    lab_url, lab = refs["lab_results"]
    assert [c.code for c in lab.type.coding] == ["11502-2"]
    assert lab.context.period.start == dt.date(2008, 3, 19)
    hb = next(o for _, o in _of(bundle, "Observation") if o.code.coding[0].code == "718-7")
    assert hb.derivedFrom[0].reference == lab_url and float(hb.valueQuantity.value) == 13.2


def test_images_without_their_report_are_a_study_and_a_request_for_its_report(
    tmp_path: Path,
) -> None:
    """A disc of CT images (pydicom, a DICOMDIR) and no written report: the study as an
    ImagingStudy, and a Task to its institution whose reason is that study."""
    case = tmp_path / "disc"
    case.mkdir()
    uid = generate_uid()
    (case / "cd.zip").write_bytes(disc_zip([image(uid), image(uid)], tmp_path))
    bundle = _check_fhir(case, "til-melanoma", "2026-10-20")
    ((study_url, study),) = _of(bundle, "ImagingStudy")
    assert [(c.system, c.code) for c in study.modality] == [
        ("http://dicom.nema.org/resources/ontology/DCM", "CT")
    ]
    assert study.started in (dt.date(2026, 10, 3), dt.datetime(2026, 10, 3))
    assert study.identifier[0].value == f"urn:oid:{uid}"
    assert study.identifier[1].value == "ACC-77120"
    assert study.identifier[1].assigner.display == "Lakeside University Hospital"
    task = next(t for _, t in _of(bundle, "Task") if t.reasonReference is not None)
    assert task.reasonReference.reference == study_url
    assert task.owner.display == "Lakeside University Hospital"
    assert task.focus.display == "Written report of the CT chest study of 3 October 2026"
