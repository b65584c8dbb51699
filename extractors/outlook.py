"""The parts of an Outlook .msg: its body as text and its attachments, through extract-msg.

How hospital staff save a referral from Outlook. extract-msg (maintained, on olefile) reads
the compound file; this module only walks what it gives, bounded: attachments counted and
sized against the upload's budget by the caller, embedded messages nested at most
MAX_NESTED deep. The container walk (naming, limits, sniffing each part) stays in sources.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import extract_msg
from extract_msg.enums import AttachmentType
from extract_msg.msg_classes import MSGFile

from extractors.errors import FileErrorCode, FileRejected
from extractors.letters import rtf_pages
from extractors.mailparts import sent_at, sent_line
from extractors.mailtext import html_to_text
from extractors.textcodec import decode

# Outlook forwards a message inside a message; past a few levels it is crafted.
MAX_NESTED = 5


@dataclass(frozen=True)
class MsgPart:
    """One thing found in the message: its body text, or an attachment's bytes.

    `data` is None with `reason` set when the attachment could not be taken out."""

    path: tuple[str, ...]  # attachment names from the outer message in (empty for the body)
    data: bytes | None
    is_body: bool = False
    reason: str = ""


def _quiet() -> None:
    # extract-msg logs property values (names, subjects) at INFO/WARNING on odd files.
    for name in ("extract_msg", "RTFDE", "olefile"):
        logging.getLogger(name).setLevel(logging.ERROR)


def open_msg(name: str, data: bytes) -> MSGFile:
    _quiet()
    try:
        return extract_msg.openMsg(data, strict=False, delayAttachments=False)
    except Exception as exc:  # extract-msg and olefile raise many types for damaged files
        raise FileRejected(
            FileErrorCode.CORRUPT,
            f"{name}: Outlook message could not be opened ({type(exc).__name__})",
        ) from exc


def _body(msg: MSGFile) -> str:
    """Plain body, else the HTML one as text, else the RTF one: Outlook may keep only HTML,
    or only compressed RTF (a message written in Outlook's rich-text format)."""
    for attr in ("body", "htmlBody", "rtfBody"):
        try:
            value = getattr(msg, attr, None)
        except Exception:  # a damaged stream, or RTF that wraps no HTML (RTFDE raises)
            value = None
        if isinstance(value, str) and value.strip("\0 \r\n\t"):
            return value.replace("\0", "")
        if isinstance(value, bytes) and value.strip(b"\0 \r\n\t"):
            if attr != "rtfBody":
                return html_to_text(decode(value))
            try:
                return "\n".join(rtf_pages("body", value))
            except FileRejected:
                return ""
    return ""


def _sent(msg: MSGFile) -> dt.datetime | None:
    """When the message was sent: its transport headers' Date, which keeps the sender's own
    offset, else the submit time extract-msg reads (in UTC)."""
    try:
        header = getattr(msg, "header", None)
        stated = sent_at(header) if header is not None else None
        value = stated or getattr(msg, "date", None)
    except Exception:  # a damaged property stream
        return None
    return value if isinstance(value, dt.datetime) else None


def parts(msg: MSGFile, path: tuple[str, ...] = (), depth: int = 0) -> Iterator[MsgPart]:
    """The body first, then each attachment in order; embedded messages are walked too."""
    body = _body(msg)
    if body.strip():
        text = sent_line(_sent(msg)) + body
        yield MsgPart(path=path, data=text.encode("utf-8"), is_body=True)
    try:
        attachments = list(getattr(msg, "attachments", []) or [])
    except Exception:
        yield MsgPart(path=(*path, "attachments"), data=None, reason="attachments are damaged")
        return
    for index, att in enumerate(attachments, start=1):
        try:
            name = str(att.getFilename() or "").replace("\0", "").strip()
        except Exception:
            name = ""
        name = name or f"attachment-{index}"
        here = (*path, name)
        try:
            kind = att.type
            data = att.data
        except Exception:
            yield MsgPart(path=here, data=None, reason="attachment could not be decoded")
            continue
        if kind is AttachmentType.MSG and isinstance(data, MSGFile):
            if depth + 1 > MAX_NESTED:
                yield MsgPart(path=here, data=None, reason="messages nested too deep")
                continue
            yield from parts(data, here, depth + 1)
        elif isinstance(data, bytes):
            yield MsgPart(path=here, data=data)
        elif kind is AttachmentType.WEB:
            yield MsgPart(path=here, data=None, reason="attachment is a link, not a file")
        else:
            yield MsgPart(path=here, data=None, reason="attachment could not be decoded")
