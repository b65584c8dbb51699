"""Outlook .msg files for the tests, written with extract-msg's own OLE writer.

No .msg writer is installable here (Outlook writes them), so the message is laid out as
MS-OXMSG describes it (property streams, __substg1.0_ values, attachment storages) and
saved by extract_msg.ole_writer.OleWriter, the compound-file writer the library uses to
export messages. The words are invented.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass, field

import compressed_rtf
from extract_msg.ole_writer import OleWriter

PT_LONG, PT_UNICODE, PT_BINARY, PT_OBJECT = 0x0003, 0x001F, 0x0102, 0x000D
PT_SYSTIME = 0x0040
_FILETIME_EPOCH = dt.datetime(1601, 1, 1, tzinfo=dt.UTC)
ATTACH_BY_VALUE, ATTACH_EMBEDDED_MSG = 1, 5


@dataclass
class Attachment:
    filename: str
    data: bytes = b""
    embedded: Message | None = None


@dataclass
class Message:
    subject: str
    body: str | None = None
    html: str | None = None
    rtf: bytes | None = None  # stored compressed (PR_RTF_COMPRESSED), as Outlook does
    sender: str = "records@example.org"
    sent: dt.datetime | None = None  # PR_CLIENT_SUBMIT_TIME, set on a sent message
    attachments: list[Attachment] = field(default_factory=list)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _prop(tag_id: int, ptype: int, value: bytes | int) -> bytes:
    """One 16-byte entry of a __properties_version1.0 stream (readable, writable flags)."""
    tag = (tag_id << 16) | ptype
    if isinstance(value, int):
        return struct.pack("<IIQ", tag, 6, value)
    return struct.pack("<IIII", tag, 6, len(value), 0)


class _Writer:
    def __init__(self) -> None:
        self.ole = OleWriter()

    def strings(self, base: str, props: list[bytes], values: dict[tuple[int, int], bytes]) -> None:
        for (tag_id, ptype), raw in values.items():
            self.ole.addEntry(f"{base}__substg1.0_{tag_id:04X}{ptype:04X}", raw)
            props.append(_prop(tag_id, ptype, raw))

    def message(self, msg: Message, base: str, top: bool) -> None:
        props: list[bytes] = []
        values = {
            (0x001A, PT_UNICODE): _utf16("IPM.Note"),
            (0x0037, PT_UNICODE): _utf16(msg.subject),
            (0x0C1F, PT_UNICODE): _utf16(msg.sender),
        }
        if msg.body is not None:
            values[(0x1000, PT_UNICODE)] = _utf16(msg.body)
        if msg.html is not None:
            values[(0x1013, PT_BINARY)] = msg.html.encode("utf-8")
        if msg.rtf is not None:
            values[(0x1009, PT_BINARY)] = compressed_rtf.compress(msg.rtf, compressed=True)
        self.strings(base, props, values)
        if msg.sent is not None:
            # A sent message: not flagged unsent, with its submit time as a FILETIME.
            ticks = (msg.sent - _FILETIME_EPOCH) // dt.timedelta(microseconds=1) * 10
            props.append(_prop(0x0E07, PT_LONG, 1))
            props.append(_prop(0x0039, PT_SYSTIME, ticks))
        for n, att in enumerate(msg.attachments):
            self.attachment(att, f"{base}__attach_version1.0_#{n:08X}/")
        count = len(msg.attachments)
        # Top level: 8 reserved, next recipient id, next attachment id, counts, 8 reserved;
        # an embedded message drops the last 8.
        header = struct.pack("<8xIIII", 0, count, 0, count) + (b"\0" * 8 if top else b"")
        self.ole.addEntry(f"{base}__properties_version1.0", header + b"".join(props))

    def attachment(self, att: Attachment, base: str) -> None:
        self.ole.addEntry(base.rstrip("/"), storage=True)
        props: list[bytes] = []
        values = {
            (0x3707, PT_UNICODE): _utf16(att.filename),
            (0x3704, PT_UNICODE): _utf16(att.filename[:12]),
        }
        if att.embedded is None:
            values[(0x3701, PT_BINARY)] = att.data
            method = ATTACH_BY_VALUE
        else:
            method = ATTACH_EMBEDDED_MSG
        self.strings(base, props, values)
        props.append(_prop(0x3705, PT_LONG, method))
        if att.embedded is not None:
            inner = f"{base}__substg1.0_3701000D/"
            self.ole.addEntry(inner.rstrip("/"), storage=True)
            props.append(_prop(0x3701, PT_OBJECT, b"\0" * 0))
            self.message(att.embedded, inner, top=False)
        self.ole.addEntry(f"{base}__properties_version1.0", b"\0" * 8 + b"".join(props))


def build(msg: Message) -> bytes:
    writer = _Writer()
    # The named-property map every .msg carries (empty: these messages use none).
    writer.ole.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):
        writer.ole.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    writer.message(msg, "", top=True)
    buf = io.BytesIO()
    writer.ole.write(buf)
    return buf.getvalue()
