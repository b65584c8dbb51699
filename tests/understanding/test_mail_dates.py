"""An e-mail's own text is a record (a parent's cover note, a clinic's referral e-mail) and it
is dated the way a person dates it: by when it was sent, which only the message's headers
hold. Attachments keep their own dates. Read through the real container walk and reader,
from .eml and Outlook .msg messages built here; the words are ours."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

from extractors.documents import find_documents
from extractors.pages import read_item
from extractors.sources import expand_bytes
from extractors.vocabulary import Document
from tests.reading.builders import text_pdf
from tests.reading.msg_files import Attachment, Message, build

NOTE = (
    "Hi,\n\nThis is Ines, Tomas's sister. His oncologist asked me to send these before his\n"
    "appointment next week. The blood tests are from last Tuesday.\n\n"
    "His date of birth is 11/03/1961.\n\nThanks,\nInes Varga-Lindqvist\n"
)
LAB = [
    "Harrow Bend Regional Laboratory",
    "Patient: VARGA, TOMAS   DOB: 11/03/1961",
    "Collected: 09/29/2026   Reported: 09/30/2026",
    "Hemoglobin 12.4 g/dL",
]


def _eml(date: str | None) -> bytes:
    msg = EmailMessage()
    msg["From"] = "ines@mailbox.example"
    msg["To"] = "intake@cancer-center.example"
    msg["Subject"] = "Tomas's records"
    if date is not None:
        msg["Date"] = date
    msg.set_content(NOTE)
    msg.add_attachment(text_pdf([LAB]), maintype="application", subtype="pdf", filename="labs.pdf")
    return msg.as_bytes()


def _documents(name: str, data: bytes) -> dict[str, Document]:
    out = {}
    for item in expand_bytes(name, data):
        for document in find_documents(read_item(item)):
            out[item.name] = document
    return out


def test_the_body_is_dated_by_the_day_it_was_sent_in_the_senders_own_time() -> None:
    # Sent late in the evening at UTC-7: in UTC it is already the next day.
    docs = _documents("mail.eml", _eml("Wed, 07 Oct 2026 22:40:00 -0700"))
    assert docs["mail.eml/body.txt"].document_date == dt.date(2026, 10, 7)
    # Not the date of birth the note quotes, and the attachment keeps its collection date.
    assert docs["mail.eml/labs.pdf"].document_date == dt.date(2026, 9, 29)


def test_a_message_without_a_readable_date_gives_its_body_none() -> None:
    for header in (None, "sometime last week"):
        docs = _documents("mail.eml", _eml(header))
        assert docs["mail.eml/body.txt"].document_date is None


def test_an_outlook_message_is_dated_by_its_submit_time() -> None:
    sent = dt.datetime(2026, 10, 7, 15, 5, tzinfo=dt.UTC)
    data = build(
        Message(
            subject="Referral",
            body=NOTE,
            sent=sent,
            attachments=[Attachment("labs.pdf", text_pdf([LAB]))],
        )
    )
    docs = _documents("referral.msg", data)
    assert docs["referral.msg/body.txt"].document_date == dt.date(2026, 10, 7)
    assert docs["referral.msg/labs.pdf"].document_date == dt.date(2026, 9, 29)
    unsent = build(Message(subject="Draft", body=NOTE))
    assert _documents("draft.msg", unsent)["draft.msg/body.txt"].document_date is None
