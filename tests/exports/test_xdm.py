"""Portal zips: the IHE XDM layout read through its index, and plain zips of C-CDA files."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

from typer.testing import CliRunner

from extractors.documents import find_documents
from extractors.limits import Limits
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import DocType, Document
from tests.exports.builders import Doc, Result, Section, ccda, result_entry, xdm_zip
from tests.reading.builders import text_pdf, zip_of
from ui.cli.main import app

_PDF_LINES = [
    "ECHOCARDIOGRAM",
    "Left ventricular ejection fraction is 58%.",
    "Normal left ventricular size and wall motion.",
]


def _portal_zip() -> bytes:
    summary = Doc(
        code="34133-9",
        code_name="Summary of episode note",
        title="Health Summary",
        template="2.16.840.1.113883.10.20.22.1.2",
        sections=[
            Section(
                "30954-2",
                "Results",
                "<paragraph>CBC</paragraph>",
                result_entry(
                    [
                        Result("751-8", "Neutrophils", "2.4", "10*3/uL", time="20261101"),
                        Result("777-3", "Platelets", "210", "10*3/uL", time="20261101"),
                    ]
                ),
            ),
            Section("11450-4", "Problems", "<paragraph>Follicular lymphoma</paragraph>"),
        ],
    )
    return xdm_zip(
        {"DOC0001.XML": ccda(summary), "DOC0002.PDF": text_pdf([_PDF_LINES])},
        [
            {
                "uri": "DOC0001.XML",
                "title": "Health Summary",
                "time": "20261105",
                "type": "34133-9",
            },
            {
                "uri": "DOC0002.PDF",
                "title": "Echocardiogram report",
                "time": "20261020093000",
                "type": "34552-0",
                "mime": "application/pdf",
                "institution": "Lakeside Heart Center",
            },
        ],
    )


def _documents(name: str, data: bytes, limits: Limits | None = None) -> list[Document]:
    items = list(expand_bytes(name, data, limits or Limits()))
    return [d for item in items for d in find_documents(read_item(item))]


def test_an_xdm_zip_reads_its_documents_and_not_its_packaging() -> None:
    items = list(expand_bytes("portal.zip", _portal_zip()))
    # The index, the readme, the index page and the stylesheet are not records.
    assert [i.name for i in items] == [
        "portal.zip/IHE_XDM/SUBSET01/DOC0001.XML",
        "portal.zip/IHE_XDM/SUBSET01/DOC0002.PDF",
    ]
    assert [i.kind for i in items] == ["ccda", "pdf"]


def test_the_xdm_index_dates_and_types_a_pdf_whose_text_does_not() -> None:
    docs = _documents("portal.zip", _portal_zip())
    by_type = {d.doc_type: d for d in docs}
    labs = by_type[DocType.LAB_RESULTS]
    assert labs.document_date == dt.date(2026, 11, 1) and labs.fields.anc_per_uL == 2400
    echo = by_type[DocType.CARDIAC_FUNCTION]
    assert echo.file == "portal.zip/IHE_XDM/SUBSET01/DOC0002.PDF"
    assert echo.document_date == dt.date(2026, 10, 20)  # from creationTime: the PDF has no date
    assert echo.fields.lvef_percent == 58
    assert echo.institution == "Lakeside Heart Center"
    assert echo.patient.name == "Rosa Delgado-Ibarra" and echo.patient.dob == dt.date(1958, 6, 22)


def test_a_broken_index_costs_the_hints_and_never_the_documents() -> None:
    src = zipfile.ZipFile(__import__("io").BytesIO(_portal_zip()))
    members = {n: src.read(n) for n in src.namelist()}
    members["IHE_XDM/SUBSET01/METADATA.XML"] = b"<?xml version='1.0'?><lcm:Submit"
    docs = _documents("portal.zip", zip_of(members))
    assert {d.file.rsplit("/", 1)[-1] for d in docs} >= {"DOC0001.XML", "DOC0002.PDF"}


def test_a_plain_zip_of_ccda_files_keeps_the_container_limits() -> None:
    data = zip_of({f"note{i}.xml": ccda(Doc(title=f"Discharge Summary {i}")) for i in range(3)})
    assert len(_documents("records.zip", data)) == 3
    (refused,) = list(expand_bytes("records.zip", data, Limits(max_members=2)))
    assert refused.error is not None and refused.error.code == "too_large"


def test_check_reads_a_portal_zip_into_a_checklist(tmp_path: Path) -> None:
    case = tmp_path / "case"
    case.mkdir()
    (case / "portal.zip").write_bytes(_portal_zip())
    out = CliRunner().invoke(
        app,
        ["check", str(case), "--program", "cart-lbcl", "--as-of", "2026-11-10", "--format", "json"],
        env={"RECORDREADY_HOME": str(tmp_path / "home")},
    )
    assert out.exit_code in (0, 1), out.output
    report = json.loads(out.stdout)
    items = {i["id"]: i for i in report["items"]}
    assert items["cardiac"]["status"] == "met"
    assert items["cbc"]["status"] == "met"
    assert report["patient"]["name"] == "Rosa Delgado-Ibarra"
