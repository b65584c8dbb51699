"""A faxed packet: a cover sheet, then a two-page clinic note, every page under the fax
machine's header line ('... 14:05 FROM ... P. 2/3'). The transmission's page count and date
are not the note's; the cover is a document of its own. Read by real tesseract from a
multi-frame TIFF, as a fax arrives; the wording is ours."""

from __future__ import annotations

import datetime as dt
import io

from extractors.date_roles import document_date
from extractors.documents import find_documents
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.split import split_pages
from extractors.vocabulary import DocType
from tests.reading.builders import page_image

HEADER = "03/12/2026 14:05 FROM: ALDERBROOK HEM CLINIC 555-0107 P. {n}/3"
COVER = [
    HEADER.format(n=1),
    "ALDERBROOK HEMATOLOGY CLINIC",
    "FAX COVER SHEET",
    "To: Cell Therapy Intake Office",
    "From: Priya Nandakumar, RN",
    "Pages: 3 including cover",
    "Re: records as requested",
]
NOTE_1 = [
    HEADER.format(n=2),
    "Alderbrook Hematology Clinic - Clinic Note",
    "Patient: Selwyn Ashdown-Reyes   DOB: 06/21/1958",
    "Visit date: 03/10/2026   Provider: M. Iverson, MD",
    "HISTORY: Relapsed myeloma, here to discuss cellular therapy.",
    "He reports mild back pain and is fully active.",
]
NOTE_2 = [
    HEADER.format(n=3),
    "Ashdown-Reyes, Selwyn | Clinic note 03/10/2026 | page 2",
    "PLAN: Refer for CAR-T evaluation. Repeat labs in one week.",
    "Electronically signed M. Iverson, MD",
]


def _tiff(pages: list[list[str]]) -> bytes:
    frames = [page_image(lines, size=30, width=1700) for lines in pages]
    buf = io.BytesIO()
    frames[0].save(buf, format="TIFF", save_all=True, append_images=frames[1:])
    return buf.getvalue()


def test_a_fax_cover_then_a_two_page_note_read_by_tesseract() -> None:
    (item,) = list(expand_bytes("fax.tif", _tiff([COVER, NOTE_1, NOTE_2])))
    documents = find_documents(read_item(item))
    assert [d.pages for d in documents] == [(1, 1), (2, 3)]
    note = documents[1]
    assert note.doc_type == DocType.CLINIC_NOTE
    assert note.document_date == dt.date(2026, 3, 10)  # the visit, not the transmission


def test_transmission_page_counts_do_not_join_or_split_documents() -> None:
    pages = ["\n".join(COVER), "\n".join(NOTE_1), "\n".join(NOTE_2)]
    assert split_pages(list(enumerate(pages, start=1))) == [(1, 1), (2, 3)]


def test_the_fax_header_date_is_not_the_records_date() -> None:
    text = "\n".join(NOTE_1).replace("Visit date: 03/10/2026", "Seen 03/10/2026")
    assert document_date(text, "clinic_note")[0] == dt.date(2026, 3, 10)
    # A cover sheet with nothing but the header is dated by the transmission.
    assert document_date(HEADER.format(n=1) + "\nFAX COVER SHEET", "administrative")[0] == (
        dt.date(2026, 3, 12)
    )


def test_a_second_labs_report_with_its_own_header_and_date_is_its_own_document() -> None:
    first = (
        "Kestrel Valley Laboratories - Results Report\nPatient: MARWOOD, ELSPETH  MRN: KV-5521907\n"
        "DOB: 02/14/1959   Collected: 04/06/2026\nHemoglobin 11.2 g/dL\nPlatelets 188 K/uL"
    )
    second = (
        "Kestrel Valley Medical Center - Serology\nName: Marwood, Elspeth  MRN: KV-5521907\n"
        "DOB: 02/14/1959   Collected: 03/30/2026\nHBsAg Non-reactive\nHCV antibody Non-reactive"
    )
    assert split_pages([(1, first), (2, second)]) == [(1, 1), (2, 2)]
    # The same banner on page 2 of one report, same date, stays with it.
    again = second.replace("03/30/2026", "04/06/2026").replace("Medical Center - Serology", "")
    assert split_pages([(1, first), (2, again)]) == [(1, 2)]
