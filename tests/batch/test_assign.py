"""Filing loose uploads by patient identity, item by item."""

from __future__ import annotations

import datetime as dt

from extractors.vocabulary import DocType, Document, FileText, PageMethod, PageText, Patient
from intake.batch.assign import assign, assign_items

CASES = {
    "oneill": Patient(name="Margaret O'Neill", dob=dt.date(1961, 3, 14), mrn="SBM-4410237"),
    "okafor": Patient(name="Chidi Okafor", dob=dt.date(1975, 6, 1), mrn="SBM-7730012"),
    "nobody": Patient(),
}


def _doc(file: str, patient: Patient) -> Document:
    return Document(
        file=file,
        pages=(1, 1),
        doc_type=DocType.LAB_RESULTS,
        confidence=0.9,
        needs_review=False,
        patient=patient,
    )


def _text(file: str) -> FileText:
    page = PageText(number=1, method=PageMethod.TEXT_LAYER, text="x")
    return FileText(file=file, status="ok", pages=[page])


def test_one_match_files_it_and_conflicts_do_not() -> None:
    ocr_noisy = Patient(name="O'NEILL, MARGARET", dob=dt.date(1961, 3, 14))
    assert assign([_doc("a.pdf", ocr_noisy)], CASES).case == "oneill"
    other = Patient(name="Zed Quimby", dob=dt.date(1970, 1, 1))
    assert assign([_doc("b.pdf", other)], CASES).reason == "matches no case's patient"
    mixed = [
        _doc("c.pdf", ocr_noisy),
        _doc("c.pdf", Patient(name="Margaret O'Neill", dob=dt.date(1990, 1, 1))),
    ]
    assert assign(mixed, CASES).case is None  # one page contradicts: leave it to a person
    assert assign([_doc("d.pdf", Patient())], CASES).case is None


def test_email_attachments_are_filed_one_by_one() -> None:
    texts = [_text("m.eml/body.txt"), _text("m.eml/echo.pdf"), _text("m.eml/hcg.pdf")]
    docs = [
        _doc("m.eml/echo.pdf", Patient(name="Margaret O'Neill", mrn="SBM-4410237")),
        _doc("m.eml/hcg.pdf", Patient(name="Chidi Okafor", dob=dt.date(1975, 6, 1))),
    ]
    got = {ft.file: a.case for ft, _, a in assign_items(texts, docs, CASES)}
    assert got == {"m.eml/body.txt": None, "m.eml/echo.pdf": "oneill", "m.eml/hcg.pdf": "okafor"}
    # A cover note goes with its attachments when they all belong to one case.
    got = {ft.file: a.case for ft, _, a in assign_items(texts[:2], docs[:1], CASES)}
    assert got == {"m.eml/body.txt": "oneill", "m.eml/echo.pdf": "oneill"}
