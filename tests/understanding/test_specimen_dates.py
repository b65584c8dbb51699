"""Date roles: every date a record prints keeps what it dates, and a specimen-based report
(pathology, molecular, HLA, labs) is dated by when its sample was taken, the patient's state
an eligibility window is about, while its report date stays on the document. Pages rendered
as text PDFs and read by real tesseract; the wording is ours."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from typer.testing import CliRunner

from extractors.date_roles import document_date, document_dates, report_date
from extractors.documents import find_documents
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import DateRole, DocType, Document
from tests.reading.builders import image_bytes, page_image, text_pdf
from ui.cli.main import app

# A marrow biopsy: taken on the 4th, received the same day, signed out on the 9th; a print
# stamp, the birth date and an earlier biopsy's date are on the page too.
MARROW = [
    "Harrowgate University Hospital - Hematopathology",
    "BONE MARROW PATHOLOGY REPORT",
    "Patient: QUARTERMAINE, Odile   DOB: 07/19/1966   MRN: HU-7730124",
    "Collected: 11/04/2026 09:10   Received: 11/04/2026 13:40",
    "Signed out: 11/09/2026 16:02",
    "Specimen: Right posterior iliac crest aspirate and core biopsy.",
    "Prior biopsy 03/02/2025 showed 40% plasma cells.",
    "DIAGNOSIS: Plasma cell myeloma, 22% clonal plasma cells.",
    "Report printed 11/12/2026 08:30",
]


def _read(name: str, data: bytes) -> Document:
    (item,) = list(expand_bytes(name, data))
    return find_documents(read_item(item))[0]


def _roles(doc: Document) -> dict[DateRole, set[dt.date]]:
    out: dict[DateRole, set[dt.date]] = {}
    for d in doc.dates:
        out.setdefault(d.role, set()).add(d.date)
    return out


def test_a_pathology_report_is_dated_by_its_specimen_and_keeps_its_report_date() -> None:
    for doc in (
        _read("marrow.pdf", text_pdf([MARROW])),
        _read("marrow.png", image_bytes(page_image(MARROW, size=30, width=1900), "PNG")),
    ):
        assert doc.doc_type == DocType.PATHOLOGY_REPORT
        assert doc.document_date == dt.date(2026, 11, 4)
        roles = _roles(doc)
        assert roles[DateRole.COLLECTION] == {dt.date(2026, 11, 4)}
        assert roles[DateRole.REPORT] == {dt.date(2026, 11, 9)}
        assert roles[DateRole.BIRTH] == {dt.date(1966, 7, 19)}
        assert roles[DateRole.PRINTED] == {dt.date(2026, 11, 12)}
        assert roles[DateRole.PRIOR_EVENT] == {dt.date(2025, 3, 2)}
        assert report_date(doc.dates) == dt.date(2026, 11, 9)


def test_the_same_dates_on_a_study_give_its_report_not_the_specimen() -> None:
    # A specimen date means nothing for a CT: the study and its report date it.
    text = "CT CHEST\nExam date: 10/05/2026\nReported: 10/06/2026\nNo nodules."
    assert document_date(text, "imaging_report")[0] == dt.date(2026, 10, 5)
    text = "CT CHEST\nReported: 10/06/2026\nNo nodules."
    assert document_date(text, "imaging_report")[0] == dt.date(2026, 10, 6)


def test_a_procedure_or_receipt_dates_a_specimen_when_no_collection_is_printed() -> None:
    flow = (
        "Bone Marrow Flow Cytometry\nProcedure: 02/14/2026 10:05\nFinal: 02/18/2026 11:30\n"
        "CD19 positive blasts 0.3%."
    )
    assert document_date(flow, "pathology_report")[0] == dt.date(2026, 2, 14)
    uk = (
        "Cellular Pathology\nDOB: 19/03/1950\nReceived: 26/01/2026\tReported: 02/02/2026\n"
        "Lymph node core biopsy: diffuse large B-cell lymphoma."
    )
    assert document_date(uk, "pathology_report")[0] == dt.date(2026, 1, 26)
    # A "received" stamp after the report is the copy's arrival, not the specimen's.
    stamped = "Histology\nReported: 10 Feb 2026\nMelanoma, Breslow 1.2 mm.\nRECEIVED 20 FEB 2026"
    assert document_date(stamped, "pathology_report")[0] == dt.date(2026, 2, 10)


def test_an_archived_block_sent_for_a_new_test_is_dated_by_its_report() -> None:
    # The block was cut from a biopsy years ago; its arrival at the reference lab is not
    # when the tissue was taken.
    ihc = (
        "Reference Immunohistochemistry\nReceived: 03/09/2026   Report date: 03/16/2026\n"
        "Specimen: FFPE block B2 from a 2023 excision, with 8 unstained slides.\n"
        "PD-L1 (22C3) TPS 60%."
    )
    assert document_date(ihc, "molecular_report")[0] == dt.date(2026, 3, 16)
    status = "Send-out status notice\nSpecimen: paraffin block A3\nReceived: 03/09/2026\nPending."
    assert document_date(status, "molecular_report")[0] == dt.date(2026, 3, 9)


def test_chinese_and_molecular_specimen_dates() -> None:
    zh = "病理诊断报告单\n送检日期：2026年4月2日  报告日期：2026年4月7日\n打印日期：2026年4月8日"
    value, _, dates = document_dates(zh, "pathology_report")
    assert value == dt.date(2026, 4, 2)
    assert report_date(dates) == dt.date(2026, 4, 7)
    assert {d.date for d in dates if d.role == DateRole.PRINTED} == {dt.date(2026, 4, 8)}
    hla = "HLA typing (NGS)\nSample collected: 08/03/2026\nReported: 08/12/2026\nHLA-A A*02:01"
    assert document_date(hla, "hla_typing")[0] == dt.date(2026, 8, 3)


def test_a_medication_list_is_dated_by_its_review_or_its_print() -> None:
    # Start dates in the table are the medicines', not the list's.
    reviewed = [
        "Current medications - Rennick Street Haematology",
        "Patient: ABERNETHY-SOLE, Maren   DOB 11/08/1961",
        "Medication   Dose   Frequency   Started",
        "Apixaban   5 mg   Twice daily   02/09/2026",
        "Aciclovir   400 mg   Twice daily   17/09/2026",
        "6 items   Last reviewed 21/10/2026 by Dr P Oduya",
    ]
    for doc in (
        _read("meds.pdf", text_pdf([reviewed])),
        _read("meds.png", image_bytes(page_image(reviewed, size=30, width=1700), "PNG")),
    ):
        assert doc.doc_type == DocType.MEDICATION_LIST
        assert doc.document_date == dt.date(2026, 10, 21)
        assert dt.date(2026, 10, 21) in _roles(doc)[DateRole.REVIEWED]
    printed = (
        "Repeat medication list\nDate of birth: 8 November 1961\tPrinted: 4 November 2026\n"
        "Medication\tDirections\tLast issued\tReview\n"
        "Apixaban 5mg tablets\tOne twice a day\t02-Oct-2026\t02-Apr-2027"
    )
    assert document_date(printed, "medication_list")[0] == dt.date(2026, 11, 4)


def test_classify_shows_the_report_date_beside_the_specimen_date(tmp_path: Path) -> None:
    (tmp_path / "marrow.pdf").write_bytes(text_pdf([MARROW]))
    env = {"RECORDREADY_HOME": str(tmp_path / "home"), "COLUMNS": "200"}
    runner = CliRunner()
    table = runner.invoke(app, ["classify", str(tmp_path / "marrow.pdf")], env=env)
    assert table.exit_code == 0, table.output
    assert "2026-11-04 (reported 2026-11-09)" in table.stdout
    as_json = runner.invoke(app, ["classify", "--json", str(tmp_path / "marrow.pdf")], env=env)
    (doc,) = [json.loads(line) for line in as_json.stdout.splitlines()]
    assert doc["document_date"] == "2026-11-04"
    assert {"role": "report", "date": "2026-11-09", "ambiguous": False} in doc["dates"]
