"""Byte mutations for fuzzing readers, as hypothesis strategies (so failures shrink).

Generic mutations (truncate, flip, overwrite, insert, delete, duplicate, splice) find
parser slips; format-aware ones (numbers in PDF/EML syntax, PNG chunk fields with a fixed
CRC, ZIP header fields, TIFF IFD fields) reach past the first checksum or magic check to
the code that trusts declared sizes, counts and offsets.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Sequence

from hypothesis import strategies as st

# Values that break size arithmetic: zero, sign flips, word boundaries, absurd sizes.
INTERESTING = (0, 1, -1, 7, 255, 256, 65535, 65536, 2**31 - 1, 2**31, 2**32 - 1, 10**9, 10**12)

Draw = Callable[[st.SearchStrategy], object]
Mutation = Callable[[Draw, bytes, Sequence[bytes]], bytes]


def _pos(draw: Draw, data: bytes, end: bool = False) -> int:
    top = len(data) if end else max(len(data) - 1, 0)
    return draw(st.integers(0, top))  # type: ignore[return-value]


def truncate(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    return data[: _pos(draw, data, end=True)]


def flip_bits(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    if not data:
        return data
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 16))):  # type: ignore[arg-type]
        i = _pos(draw, data)
        out[i] ^= 1 << draw(st.integers(0, 7))  # type: ignore[operator]
    return bytes(out)


def overwrite(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    chunk = draw(st.binary(min_size=1, max_size=64))
    i = _pos(draw, data)
    return data[:i] + chunk + data[i + len(chunk) :]  # type: ignore[operator,arg-type]


def insert(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    chunk = draw(st.binary(min_size=1, max_size=256))
    i = _pos(draw, data, end=True)
    return data[:i] + chunk + data[i:]  # type: ignore[operator]


def delete(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    i = _pos(draw, data)
    n = draw(st.integers(1, 512))
    return data[:i] + data[i + n :]  # type: ignore[operator]


def duplicate(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    i = _pos(draw, data)
    n = draw(st.integers(1, 2048))
    times = draw(st.integers(1, 8))
    chunk = data[i : i + n]  # type: ignore[operator]
    return data[:i] + chunk * times + data[i:]  # type: ignore[operator]


def splice(draw: Draw, data: bytes, others: Sequence[bytes]) -> bytes:
    if not others:
        return data
    other = draw(st.sampled_from(list(others)))
    cut = _pos(draw, data, end=True)
    other_cut = _pos(draw, other, end=True)  # type: ignore[arg-type]
    return data[:cut] + other[other_cut:]  # type: ignore[index]


_NUMBER = re.compile(rb"-?\d+")


def numbers(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    """Replace an ASCII number (PDF /Length, /Count, xref offsets; EML sizes) by a bad one."""
    found = list(_NUMBER.finditer(data))
    if not found:
        return data
    m = draw(st.sampled_from(found))
    value = draw(st.sampled_from(INTERESTING) | st.integers(-(10**6), 10**6))
    return data[: m.start()] + str(value).encode() + data[m.end() :]  # type: ignore[union-attr]


_PDF_KEYS = (b"xref", b"startxref", b"endstream", b"endobj", b"trailer", b"/Root", b"/Pages",
             b"/Kids", b"/Filter", b"/FlateDecode", b"%%EOF", b"obj", b"R")  # fmt: skip


def pdf_keywords(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    """Damage the structure a PDF parser navigates by: xref, trailer, stream ends."""
    key = draw(st.sampled_from(_PDF_KEYS))
    hits = [m.start() for m in re.finditer(re.escape(key), data)]  # type: ignore[arg-type]
    if not hits:
        return data
    at = draw(st.sampled_from(hits))
    replacement = draw(st.sampled_from([b"", b"xxxx", key * 2, b"/Kids [1 0 R 1 0 R]", b"(("]))
    return data[:at] + replacement + data[at + len(key) :]  # type: ignore[operator,arg-type]


def _png_chunks(data: bytes) -> list[tuple[int, bytes, bytes]] | None:
    if not data.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    chunks, i = [], 8
    while i + 8 <= len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        kind = data[i + 4 : i + 8]
        chunks.append((i, kind, data[i + 8 : i + 8 + length]))
        i += 12 + length
    return chunks


def png_fields(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    """Rewrite IHDR width/height/depth, then fix the CRC so the decoder believes it."""
    chunks = _png_chunks(data)
    if not chunks or chunks[0][1] != b"IHDR" or len(chunks[0][2]) != 13:
        return data
    at, _, body = chunks[0]
    width, height, depth, colour = struct.unpack(">IIBB", body[:10])
    which = draw(st.sampled_from(["width", "height", "both", "depth"]))
    big = st.sampled_from([0, 1, 65535, 10**5, 2**31 - 1, 2**32 - 1])
    if which in ("width", "both"):
        width = draw(big)
    if which in ("height", "both"):
        height = draw(big)
    if which == "depth":
        depth = draw(st.sampled_from([0, 3, 16, 255]))
    new = struct.pack(">IIBB", width, height, depth, colour) + body[10:]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + new))
    return data[: at + 8] + new + crc + data[at + 8 + 13 + 4 :]


_ZIP_SIGS = (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06")


def zip_fields(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    """Overwrite a size, count, offset or method field right after a ZIP record signature."""
    hits = [m.start() for sig in _ZIP_SIGS for m in re.finditer(re.escape(sig), data)]
    if not hits:
        return data
    at = draw(st.sampled_from(sorted(hits)))
    offset = draw(st.integers(4, 44))
    width = draw(st.sampled_from([2, 4]))
    value = draw(st.sampled_from(INTERESTING)) & (2 ** (8 * width) - 1)  # type: ignore[operator]
    field = value.to_bytes(width, "little")
    i = at + offset
    return data[:i] + field + data[i + width :]


def zip_names(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    """Rename a member (in place, same length where possible) to a traversal or odd name."""
    names = [m for m in re.finditer(rb"records/[\w.]+|letter\.docx|word/document\.xml", data)]
    if not names:
        return data
    m = draw(st.sampled_from(names))
    bad = draw(st.sampled_from([b"../../", b"/etc/", b"C:\\", b"\x00", b"..\\", b"\xff\xfe"]))
    old = m.group()  # type: ignore[union-attr]
    new = (bad + old)[: len(old)]
    return data.replace(old, new)


def tiff_fields(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    """Overwrite an IFD entry's count or value (sizes, offsets, strip counts)."""
    if data[:4] not in (b"II*\0", b"MM\0*"):
        return data
    order = "<" if data[:2] == b"II" else ">"
    (ifd,) = struct.unpack(order + "I", data[4:8])
    if ifd + 2 > len(data):
        return data
    (count,) = struct.unpack(order + "H", data[ifd : ifd + 2])
    if count == 0:
        return data
    entry = ifd + 2 + 12 * draw(st.integers(0, count - 1))  # type: ignore[operator]
    part = draw(st.sampled_from([4, 8]))  # count field or value/offset field
    value = draw(st.sampled_from(INTERESTING)) & 0xFFFFFFFF  # type: ignore[operator]
    i = entry + part  # type: ignore[operator]
    if i + 4 > len(data):
        return data
    return data[:i] + struct.pack(order + "I", value) + data[i + 4 :]


_EML_HEADER = re.compile(
    rb"(?im)^(content-type|content-transfer-encoding|content-disposition|mime-version|subject)"
    rb":[^\r\n]*"
)
_EML_VALUES = (
    b'Content-Type: multipart/mixed; boundary=""',
    b"Content-Type: multipart/mixed",
    b'Content-Type: text/plain; charset="x-unknown-8bit"',
    b'Content-Type: text/html; charset="utf-7"',
    b"Content-Type: message/rfc822",
    b'Content-Type: multipart/alternative; boundary="==="',
    b"Content-Transfer-Encoding: base64",
    b"Content-Transfer-Encoding: quoted-printable",
    b"Content-Transfer-Encoding: x-uuencode",
    b"Content-Disposition: attachment; filename*=utf-8''%FF%FE..%2F..%2Fetc.pdf",
    b'Content-Disposition: attachment; filename="=?utf-8?b?Li4vLi4vZXZpbC5wZGY=?="',
    b"Subject: =?unknown-charset?q?=FF=FE?=",
    b"MIME-Version: 999",
)


def eml_headers(draw: Draw, data: bytes, _: Sequence[bytes]) -> bytes:
    """Swap a MIME header for a hostile one: empty boundaries, odd charsets, path names."""
    found = list(_EML_HEADER.finditer(data))
    if not found:
        return data
    m = draw(st.sampled_from(found))
    new = draw(st.sampled_from(_EML_VALUES))
    return data[: m.start()] + new + data[m.end() :]  # type: ignore[union-attr,operator]


def zip_member(draw: Draw, data: bytes, others: Sequence[bytes]) -> bytes:
    """Mutate one member of a well-formed zip (or docx) and re-pack it with good CRCs, so
    the damage reaches the member's reader instead of stopping at the archive checksum."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = [(info.filename, zf.read(info)) for info in zf.infolist()]
    except Exception:  # noqa: BLE001 - not (or no longer) a readable zip: nothing to do here
        return data
    if not members:
        return data
    k = draw(st.integers(0, len(members) - 1))  # type: ignore[assignment]
    op: Mutation = draw(st.sampled_from(GENERIC))  # type: ignore[assignment]
    name, body = members[k]  # type: ignore[index]
    members[k] = (name, op(draw, body, others))  # type: ignore[index]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for member_name, member_body in members:
            zf.writestr(member_name, member_body)
    return buf.getvalue()


GENERIC: tuple[Mutation, ...] = (truncate, flip_bits, overwrite, insert, delete, duplicate, splice)
AWARE: tuple[Mutation, ...] = (
    numbers,
    pdf_keywords,
    png_fields,
    zip_fields,
    zip_names,
    tiff_fields,
    zip_member,
)


@st.composite
def mutated(draw: Draw, seed: bytes, others: Sequence[bytes] = ()) -> bytes:
    """`seed` with one to four mutations applied, each generic or format-aware."""
    data = seed
    for _ in range(draw(st.integers(1, 4))):  # type: ignore[arg-type]
        op: Mutation = draw(st.sampled_from(GENERIC + AWARE))  # type: ignore[assignment]
        data = op(draw, data, others)
    return data
