"""E-mail containers: an .eml (MIME) or an Outlook .msg, unpacked into body and attachments.

Each attachment is counted and sized against the upload's budget and handed back to the
walk in sources.py (`inner`), which sniffs it and unpacks it further if it is a container.
"""

from __future__ import annotations

from collections.abc import Iterator
from email import policy
from email.parser import BytesParser

from extractors.errors import FileErrorCode, FileRejected
from extractors.mailparts import (
    MAX_MIME_DEPTH,
    TooDeep,
    attachment_bytes,
    attachment_name,
    attachments,
    body_text,
    sent_at,
    sent_line,
    unique_name,
)
from extractors.names import clean_name
from extractors.outlook import open_msg
from extractors.outlook import parts as msg_parts
from extractors.sniff import Kind
from extractors.source_items import Budget, Inner, SourceItem, rejected
from extractors.textcodec import narrow


def expand_eml(
    name: str, data: bytes, depth: int, budget: Budget, inner: Inner
) -> Iterator[SourceItem]:
    try:
        # An e-mail saved as "Unicode" text is UTF-16; the parser reads bytes as ASCII.
        msg = BytesParser(policy=policy.default).parsebytes(narrow(data))
    except Exception:  # the stdlib parser is lenient; anything it raises means a broken file
        yield rejected(name, Kind.EML, FileErrorCode.CORRUPT, "email could not be parsed")
        return
    produced = False
    body = body_text(msg)
    if body.strip():
        produced = True
        encoded = (sent_line(sent_at(msg)) + body).encode("utf-8")
        if len(encoded) > budget.limits.max_text_bytes:
            yield rejected(
                f"{name}/body.txt",
                Kind.TEXT,
                FileErrorCode.TOO_LARGE,
                "email text is over the size limit",
            )
        else:
            yield SourceItem(name=f"{name}/body.txt", data=encoded, kind=str(Kind.TEXT))
    used: set[str] = set()
    try:
        parts = list(attachments(msg))
    except TooDeep:
        yield rejected(
            name,
            Kind.EML,
            FileErrorCode.TOO_LARGE,
            f"email parts nested deeper than {MAX_MIME_DEPTH} levels",
        )
        return
    for index, part in enumerate(parts, start=1):
        if budget.members_left <= 0:
            yield rejected(
                name,
                Kind.EML,
                FileErrorCode.TOO_LARGE,
                f"email holds more than {budget.limits.max_members} attachments",
            )
            return
        budget.members_left -= 1
        produced = True
        member = f"{name}/{attachment_name(part, index, used)}"
        payload = attachment_bytes(part)
        if payload is None:
            yield rejected(
                member, Kind.UNKNOWN, FileErrorCode.CORRUPT, "attachment could not be decoded"
            )
            continue
        if len(payload) > budget.bytes_left:
            yield rejected(
                member, Kind.UNKNOWN, FileErrorCode.TOO_LARGE, "attachment is over the size limit"
            )
            return
        budget.bytes_left -= len(payload)
        yield from inner(member, payload, depth, budget)
    if not produced:
        yield rejected(name, Kind.EML, FileErrorCode.EMPTY, "email has no text and no attachments")


# --- Outlook .msg ------------------------------------------------------------------------


def expand_msg(
    name: str, data: bytes, depth: int, budget: Budget, inner: Inner
) -> Iterator[SourceItem]:
    limits = budget.limits
    try:
        msg = open_msg(name, data)
    except FileRejected as exc:
        yield rejected(name, Kind.MSG, exc.code, exc.message.removeprefix(f"{name}: "))
        return
    produced = False
    used: set[str] = set()
    with msg:
        for part in msg_parts(msg):
            produced = True
            where = "/".join(clean_name(p) for p in part.path)
            member = f"{name}/{where + '/' if where else ''}"
            if part.is_body:
                member = unique_name(f"{member}body.txt", used)
                if part.data is not None and len(part.data) > limits.max_text_bytes:
                    yield rejected(
                        member,
                        Kind.TEXT,
                        FileErrorCode.TOO_LARGE,
                        "message text is over the size limit",
                    )
                else:
                    yield SourceItem(name=member, data=part.data, kind=str(Kind.TEXT))
                continue
            member = unique_name(member.rstrip("/"), used)
            if budget.members_left <= 0:
                yield rejected(
                    name,
                    Kind.MSG,
                    FileErrorCode.TOO_LARGE,
                    f"message holds more than {limits.max_members} attachments",
                )
                return
            budget.members_left -= 1
            if part.data is None:
                yield rejected(member, Kind.UNKNOWN, FileErrorCode.CORRUPT, part.reason)
                continue
            if len(part.data) > budget.bytes_left:
                yield rejected(
                    member,
                    Kind.UNKNOWN,
                    FileErrorCode.TOO_LARGE,
                    "attachment is over the size limit",
                )
                return
            budget.bytes_left -= len(part.data)
            yield from inner(member, part.data, depth, budget)
    if not produced:
        yield rejected(
            name, Kind.MSG, FileErrorCode.EMPTY, "message has no text and no attachments"
        )
