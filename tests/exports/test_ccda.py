"""C-CDA documents read from their header and coded entries: HL7's own samples, and documents
of other kinds written here the way the implementation guide lays them out."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest

from extractors.ccda_codes import load_tables
from extractors.documents import find_documents
from extractors.pages import read_item
from extractors.sniff import Kind, sniff
from extractors.sources import expand, expand_bytes
from extractors.vocabulary import DocType, Document, FileText
from tests.exports.builders import Doc, Result, Section, ccda, problem_entry, result_entry

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "exports" / "ccda"


def _read(name: str, data: bytes) -> tuple[FileText, list[Document]]:
    (item,) = list(expand_bytes(name, data))
    ft = read_item(item)
    return ft, find_documents(ft)


def _sample(name: str) -> tuple[FileText, list[Document]]:
    path = SAMPLES / name
    if not path.exists():
        pytest.skip("the shared corpus is not laid out beside this checkout")
    (item,) = list(expand(path))
    ft = read_item(item)
    return ft, find_documents(ft)


def test_the_hl7_ccd_sample_gives_its_summary_its_lab_report_and_its_medication_list() -> None:
    ft, docs = _sample("CCD_CCD_1_CCD.XML")
    assert ft.status == "ok"
    by_type = {d.doc_type: d for d in docs}
    assert set(by_type) == {DocType.OTHER, DocType.LAB_RESULTS, DocType.MEDICATION_LIST}
    for d in docs:
        # The patient of recordTarget, not a guardian or a provider named in the body; the
        # Social Security number is never taken as the record number.
        assert d.patient.name == "Eve Betterhalf"
        assert d.patient.dob == dt.date(1975, 5, 1)
        assert d.patient.mrn is None
        assert d.fields.sex == "female"
        assert d.institution == "Good Health HIE"
        assert not d.needs_review
    # The summary is dated by its effectiveTime; the results by their own collection time.
    assert by_type[DocType.OTHER].document_date == dt.date(2013, 8, 15)
    labs = by_type[DocType.LAB_RESULTS]
    assert labs.document_date == dt.date(2008, 3, 19)
    assert labs.fields.hemoglobin_g_dL == 13.2
    assert labs.fields.platelets_per_uL == 123000  # 123 10*9/L
    # Each section's narrative is a page; the results page reads as the table it is.
    page = next(p for p in ft.pages if p.number == labs.pages[0])
    assert page.text.startswith("RESULTS") and "Hemoglobin" in page.text
    assert "<td>" not in page.text and "urn:hl7-org" not in page.text


def test_the_hl7_consultation_note_sample_is_one_clinic_note_of_its_date() -> None:
    _, docs = _sample("Consultation_Note_Consultation_Note.xml")
    (doc,) = docs
    assert doc.doc_type == DocType.CLINIC_NOTE
    assert doc.document_date == dt.date(2013, 8, 1)
    assert doc.patient.name == "Eve Betterhalf" and doc.patient.dob == dt.date(1975, 5, 1)
    assert doc.fields.hemoglobin_g_dL == 13.2
    assert doc.confidence == 1.0


def _discharge() -> Doc:
    labs = [
        Result("718-7", "Hemoglobin", "9.1", "g/dL", time="20261001"),
        Result("718-7", "Hemoglobin", "10.4", "g/dL", time="20261003"),  # the newer one counts
        Result("751-8", "Neutrophils", "1.6", "10*3/uL"),
        Result("777-3", "Platelets", "88", "10*9/L"),
        Result("14682-9", "Creatinine [Moles/volume]", "97", "umol/L"),
        Result("1975-2", "Bilirubin.total", "0.7", "mg/dL"),
        Result("1742-6", "ALT", "31", "U/L"),
        Result("1920-8", "AST", "27", "[IU]/L"),
        Result("75622-1", "HIV 1+2 Ab+Ag", "", xsi="CD", code="131194007", text="Non-Reactive"),
        Result("5196-1", "HBsAg", "", xsi="ST", text="Negative"),
        Result("16128-1", "HCV Ab", "", xsi="ST", text="see note", interpretation="NEG"),
        Result("89247-1", "ECOG", "", xsi="CD", code="LA9623-5", text="Restricted"),
        Result("6690-2", "Leukocytes", "5.1", "10*9/L"),  # not a field: left out
    ]
    return Doc(
        sections=[
            Section(
                "8648-8", "Hospital Course", "<paragraph>Admitted for R-CHOP cycle 3.</paragraph>"
            ),
            Section(
                "11535-2",
                "Discharge Diagnosis",
                "<list><item>Diffuse large B-cell lymphoma</item><item>Hypertension</item></list>",
                problem_entry("Essential hypertension", "59621000")
                + problem_entry("Diffuse large B-cell lymphoma", "1162925001"),
            ),
            Section(
                "30954-2",
                "Results",
                "<table><tr><th>Test</th><th>Value</th></tr><tr><td>Hemoglobin</td><td>10.4 g/dL</td></tr></table>",
                result_entry(labs),
            ),
            Section(
                "10183-2",
                "Discharge Medications",
                "<list><item>Allopurinol 300 mg daily</item></list>",
            ),
        ]
    )


def test_a_discharge_summary_stays_one_document_with_its_coded_values() -> None:
    ft, docs = _read("discharge.xml", ccda(_discharge()))
    (doc,) = docs
    assert doc.doc_type == DocType.DISCHARGE_SUMMARY
    assert doc.document_date == dt.date(2026, 10, 5)
    assert doc.patient.name == "Rosa Delgado-Ibarra"
    assert doc.patient.mrn == "MRN-5530071"
    assert doc.institution == "Lakeside University Hospital"
    f = doc.fields
    assert f.hemoglobin_g_dL == 10.4
    assert f.anc_per_uL == 1600 and f.platelets_per_uL == 88000
    assert f.creatinine_mg_dL == pytest.approx(1.097, abs=0.01)  # 97 umol/L
    assert (f.bilirubin_mg_dL, f.alt_U_L, f.ast_U_L) == (0.7, 31, 27)
    assert (f.hiv, f.hbsag, f.hcv_ab) == ("negative", "negative", "negative")
    assert f.ecog == 1
    assert f.diagnosis == "Diffuse large B-cell lymphoma"
    assert len(ft.pages) == 4 and ft.pages[0].text.startswith("Discharge Summary")


def test_a_ccd_splits_its_results_and_medications_but_a_prefixed_r1_document_reads_the_same() -> (
    None
):
    doc = _discharge()
    doc.code, doc.code_name, doc.title = "34133-9", "Summary of episode note", "Health Summary"
    doc.template, doc.namespace_prefix = "2.16.840.1.113883.10.20.1", "cda:"
    _, docs = _read("summary.xml", ccda(doc))
    types = [d.doc_type for d in docs]
    assert types == [DocType.OTHER, DocType.LAB_RESULTS, DocType.MEDICATION_LIST]
    labs = docs[1]
    assert labs.document_date == dt.date(2026, 10, 3)
    assert labs.fields.platelets_per_uL == 88000 and labs.fields.hiv == "negative"
    # Page ranges follow the documents, one page per section.
    assert [d.pages for d in docs] == [(1, 2), (3, 3), (4, 4)]


def test_a_document_code_not_in_the_tables_is_typed_from_its_text() -> None:
    doc = Doc(
        code="X-LOCAL-7",
        code_name="Radiology",
        title="CT CHEST WITH CONTRAST",
        template="2.999",
        sections=[
            Section(
                "18782-3",
                "Findings",
                "<paragraph>CT chest with contrast. Comparison: none.</paragraph>"
                "<paragraph>IMPRESSION: No pulmonary embolism. Mediastinal lymphadenopathy "
                "is decreased from the prior examination.</paragraph>",
            )
        ],
    )
    _, docs = _read("ct.xml", ccda(doc))
    (d,) = docs
    assert d.doc_type == DocType.IMAGING_REPORT
    assert d.fields.modality == "CT" and d.document_date == dt.date(2026, 10, 5)


def test_an_imaging_report_by_its_code_takes_modality_from_its_narrative() -> None:
    doc = Doc(
        code="18748-4",
        code_name="Diagnostic imaging study",
        title="PET/CT Skull Base to Mid-Thigh",
        template="2.16.840.1.113883.10.20.22.1.5",
        sections=[
            Section(
                "18782-3",
                "Findings",
                "<paragraph>FDG PET-CT from skull base to mid-thigh.</paragraph>",
            )
        ],
    )
    (d,) = _read("pet.xml", ccda(doc))[1]
    assert d.doc_type == DocType.IMAGING_REPORT and d.fields.modality == "PET-CT"


def test_an_unstructured_ccda_gives_the_text_it_carries() -> None:
    text = "Progress note\nECOG performance status 0. Doing well after cycle 2."
    body = base64.b64encode(text.encode()).decode()
    doc = ccda(Doc(code="11506-3", code_name="Progress note", title="Progress Note"))
    doc = doc.replace(
        b"<component><structuredBody></structuredBody></component>",
        f'<component><nonXMLBody><text mediaType="text/plain" representation="B64">{body}</text></nonXMLBody></component>'.encode(),
    )
    ft, docs = _read("note.xml", doc)
    (d,) = docs
    assert d.doc_type == DocType.CLINIC_NOTE and d.fields.ecog == 0
    assert "cycle 2" in ft.pages[0].text


def test_a_ccda_is_sniffed_as_such_and_plain_xml_is_not() -> None:
    assert sniff(ccda(Doc())) == Kind.CCDA
    assert sniff(b'<?xml version="1.0"?><note>ClinicalDocument</note>') == Kind.TEXT


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        # Billion laughs: an internal entity expanded a billion times.
        (
            b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
            b'<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&lol2;</title></ClinicalDocument>',
            "unsupported",
        ),
        # An external entity pointing at a local file (XXE).
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b'<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>',
            "unsupported",
        ),
        (b'<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><title>cut', "corrupt"),
    ],
)
def test_hostile_or_broken_xml_is_refused_by_name_and_reads_nothing(
    payload: bytes, code: str
) -> None:
    ft, docs = _read("portal.xml", payload)
    assert ft.status == "error" and ft.error is not None
    assert ft.error.code == code and ft.error.message.startswith("portal.xml: ")
    assert "root:" not in ft.model_dump_json() and docs == []


def test_the_code_tables_are_checked_at_load(tmp_path: Path) -> None:
    good = (Path(__file__).resolve().parents[2] / "extractors" / "ccda_codes.yaml").read_text()
    bad = tmp_path / "codes.yaml"
    bad.write_text(good.replace("hemoglobin_g_dL:", "haemoglobin:", 1))
    with pytest.raises(ValueError, match="haemoglobin"):
        load_tables(bad)
    bad.write_text(good.replace("{type: discharge_summary}", "{type: dischage_summary}", 1))
    with pytest.raises(ValueError, match="dischage_summary"):
        load_tables(bad)


def test_an_unstructured_ccda_pointing_at_its_file_still_gives_its_header() -> None:
    doc = ccda(
        Doc(
            code="11490-0", code_name="Discharge summarization note", title="Discharge Summary (UD)"
        )
    )
    doc = doc.replace(
        b"<component><structuredBody></structuredBody></component>",
        b'<component><nonXMLBody><text><reference value="UD_sample.pdf"/></text></nonXMLBody></component>',
    )
    ft, docs = _read("ud.xml", doc)
    (d,) = docs
    assert d.doc_type == DocType.DISCHARGE_SUMMARY and d.document_date == dt.date(2026, 10, 5)
    assert d.patient.name == "Rosa Delgado-Ibarra"
    assert "UD_sample.pdf" in ft.pages[0].text


def test_an_imaging_reports_dicom_catalog_names_its_modality() -> None:
    catalog = """<entry><act classCode="ACT" moodCode="EVN"><code code="113014" codeSystem="1.2.840.10008.2.16.4"/>
      <entryRelationship typeCode="COMP"><act classCode="ACT" moodCode="EVN">
      <code code="113015" codeSystem="1.2.840.10008.2.16.4" displayName="Series"><qualifier>
      <name code="121139" codeSystem="1.2.840.10008.2.16.4" displayName="Modality"/>
      <value code="MR" codeSystem="1.2.840.10008.2.16.4" displayName="Magnetic Resonance"/>
      </qualifier></code></act></entryRelationship></act></entry>"""
    doc = Doc(
        code="18748-4",
        code_name="Diagnostic imaging study",
        title="Head study",
        template="2.16.840.1.113883.10.20.22.1.5",
        sections=[
            Section("121181", "DICOM Object Catalog", "", catalog),
            Section(
                "121070", "Findings", "<paragraph>No enhancing lesion of the brain.</paragraph>"
            ),
        ],
    )
    (d,) = _read("head.xml", ccda(doc))[1]
    assert d.doc_type == DocType.IMAGING_REPORT and d.fields.modality == "MRI"
