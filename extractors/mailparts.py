"""The parts of an e-mail a reader needs: its body as text and its attachments, bounded.

Kept apart from the container walk in sources.py, which decides what each attachment is.
"""

from __future__ import annotations

import binascii
import datetime as dt
import re
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage, Message
from email.utils import parsedate_to_datetime
from pathlib import PurePosixPath

from extractors.mailtext import html_to_text
from extractors.names import clean_name
from extractors.sniff import Kind, sniff
from extractors.textcodec import decode

# Real mail nests a few levels (forwarded mail inside mail); a crafted one nests thousands.
MAX_MIME_DEPTH = 50


def body_text(msg: Message) -> str:
    if not isinstance(msg, EmailMessage):
        return ""
    try:
        part = msg.get_body(preferencelist=("plain", "html"))
    except Exception:
        return ""
    if part is None or part.is_attachment():
        return ""
    # The declared charset when the bytes fit it, else the detected one: bodies from Windows
    # clients are often 8-bit with no charset, or declare one they are not in.
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        return ""
    if not isinstance(payload, bytes):
        return ""
    text = decode(payload, part.get_content_charset())
    return html_to_text(text) if part.get_content_subtype() == "html" else text


def sent_line(sent: dt.datetime | None) -> str:
    """The line a mail client prints above a message: when it was sent, in the sender's
    own day (the header's offset), written unambiguously.

    A body is a record of its own (a parent's cover note, a clinic's referral e-mail) and its
    date is the message's, which only the headers hold; without it the body has no date.
    """
    return f"Date: {sent.date().isoformat()}\n\n" if sent is not None else ""


def sent_at(msg: Message) -> dt.datetime | None:
    """The message's Date header, or None when it is missing or unreadable."""
    raw = msg.get("Date")
    if not raw:
        return None
    try:
        return parsedate_to_datetime(str(raw))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class TooDeep(Exception):
    pass


def attachments(msg: Message) -> Iterator[Message]:
    """Leaf parts that are files (not the chosen body), and forwarded messages whole.

    Raises TooDeep past MAX_MIME_DEPTH nested multiparts (no mail client nests so deep;
    Python's email package recurses per level when such parts are turned back into bytes)."""
    body = None
    if isinstance(msg, EmailMessage):
        try:
            body = msg.get_body(preferencelist=("plain", "html"))
        except Exception:
            body = None
    stack: list[tuple[Message, int]] = [(msg, 0)]
    while stack:
        part, depth = stack.pop(0)
        if depth > MAX_MIME_DEPTH:
            raise TooDeep
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            yield part
            continue
        if part.is_multipart():
            payload = part.get_payload()
            if isinstance(payload, list):
                # A multipart's payload holds only sub-messages; the filter narrows the type.
                stack[0:0] = [(p, depth + 1) for p in payload if isinstance(p, Message)]
            continue
        if part is body:
            continue
        if part is msg and part.get_content_maintype() == "text" and not part.get_filename():
            continue  # a single-part text message is its body (even one that failed to decode)
        disposition = (part.get_content_disposition() or "").lower()
        if (
            part.get_filename()
            or disposition == "attachment"
            or part.get_content_maintype() not in ("text", "multipart")
        ):
            yield part


def attachment_bytes(part: Message) -> bytes | None:
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        if isinstance(inner, list) and inner:
            inner = inner[0]
        if isinstance(inner, Message):
            try:
                return inner.as_bytes(policy=policy.default)
            except Exception:  # mangled headers and absurd nesting break the generator
                return None
        return None
    if str(part.get("Content-Transfer-Encoding", "")).strip().lower() == "base64":
        # The email package decodes broken base64 leniently (or hands back the raw text);
        # a damaged attachment must be reported, not read as junk.
        raw = part.get_payload(decode=False)
        if not isinstance(raw, str):
            return None
        compact = "".join(raw.split())
        try:
            return binascii.a2b_base64(compact, strict_mode=True)
        except (binascii.Error, ValueError):
            return _lenient(compact)
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        return None
    return payload if isinstance(payload, bytes) else None


_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")


def _lenient(compact: str) -> bytes | None:
    """Base64 some mailers write slightly wrong (padding left off or doubled, a stray
    character): kept only when what it decodes to is a file we recognise by its magic
    number, so damage is still reported and never read as junk."""
    kept = _NOT_BASE64.sub("", compact)
    padded = kept + "=" * (-len(kept) % 4)
    try:
        data = binascii.a2b_base64(padded)
    except (binascii.Error, ValueError):
        return None
    return data if sniff(data) not in (Kind.UNKNOWN, Kind.EMPTY, Kind.TEXT) else None


def unique_name(base: str, used: set[str]) -> str:
    candidate, n = base, 2
    while candidate in used:
        stem, dot, ext = base.rpartition(".")
        candidate = f"{stem}-{n}.{ext}" if dot and stem else f"{base}-{n}"
        n += 1
    used.add(candidate)
    return candidate


def attachment_name(part: Message, index: int, used: set[str]) -> str:
    raw = part.get_filename() or ""
    base = clean_name(PurePosixPath(raw.replace("\\", "/")).name.strip()) if raw else ""
    if not base or base in (".", ".."):
        base = (
            "forwarded.eml"
            if part.get_content_type() == "message/rfc822"
            else f"attachment-{index}"
        )
    return unique_name(base, used)
