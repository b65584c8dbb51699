"""Hostile files built byte by byte: bombs, traversal names, lying headers, broken XML.

Each builder returns bytes. They are shared by the named hostile tests and the fuzz suite
(as extra seeds), so every attack shape is both asserted on and mutated.
"""

from __future__ import annotations

import base64
import io
import struct
import zipfile
import zlib
from email.message import EmailMessage
from functools import cache

from fuzz import seeds
from reportlab.lib.pagesizes import A6
from reportlab.pdfgen import canvas

_MiB = 1024 * 1024


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), data, method)
    return buf.getvalue()


@cache
def zip_bomb(unpacked_mib: int = 64) -> bytes:
    """One member of zeros: about 1000:1 compression, far past any sane ratio limit."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        with zf.open("records/labs.pdf", "w", force_zip64=True) as member:
            block = b"\0" * _MiB
            for _ in range(unpacked_mib):
                member.write(block)
        zf.writestr("records/ok.pdf", seeds.text_pdf())
    return buf.getvalue()


@cache
def zip_lying_sizes() -> bytes:
    """The central directory claims a tiny size; the deflate stream inflates to 32 MiB."""
    data = zip_of({"small.pdf": b"\0" * (32 * _MiB)})
    real = struct.pack("<I", 32 * _MiB)
    return data.replace(real, struct.pack("<I", 1000))


def zip_traversal() -> bytes:
    """Member names that try to leave the unpack folder, beside one ordinary member."""
    pdf = seeds.text_pdf()
    return zip_of(
        {
            "../../etc/cron.d/evil.pdf": pdf,
            "/etc/passwd.pdf": pdf,
            "..\\..\\windows\\evil.pdf": pdf,
            "records/../../escape.pdf": pdf,
            "records/ok.pdf": pdf,
        }
    )


def nested_zip(depth: int) -> bytes:
    data = zip_of({"inner.pdf": seeds.text_pdf()})
    for level in range(depth):
        data = zip_of({f"level{level}.zip": data})
    return data


def zip_many_members(count: int) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for i in range(count):
            zf.writestr(f"m/{i:06d}.txt", b"x")
    return buf.getvalue()


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declared(width: int, height: int) -> bytes:
    """A well-formed PNG header declaring huge dimensions, with only a sliver of pixel data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\0" * (width + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def tiff_many_frames(count: int, speck: bool = False) -> bytes:
    """`count` 16x16 1-bit frames, each IFD pointing at one shared strip (built by hand: fast).

    Plain frames are one flat colour; with `speck` each has a single dark dot, so it is not
    blank but holds nothing to read either.
    """
    strip_offset = 8
    # Photometric 0 (WhiteIsZero): 0 bits are white. 16 rows of 2 bytes.
    strip = b"\xff" * 32 if not speck else b"\x00" * 16 + b"\x01" + b"\x00" * 15
    first_ifd = strip_offset + len(strip)
    entries_per_ifd = 8
    ifd_size = 2 + 12 * entries_per_ifd + 4
    out = bytearray(b"II*\0" + struct.pack("<I", first_ifd) + strip)
    for i in range(count):
        next_ifd = first_ifd + (i + 1) * ifd_size if i + 1 < count else 0
        out += struct.pack("<H", entries_per_ifd)
        for tag, typ, value in (
            (256, 3, 16),
            (257, 3, 16),
            (258, 3, 1),
            (259, 3, 1),
            (262, 3, 0),
            (273, 4, strip_offset),
            (278, 3, 16),
            (279, 4, len(strip)),
        ):
            out += struct.pack("<HHI", tag, typ, 1)
            out += struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
        out += struct.pack("<I", next_ifd)
    return bytes(out)


def tiff_declared(width: int, height: int) -> bytes:
    """A little-endian TIFF whose single strip claims width x height 8-bit pixels."""
    entries = [
        (256, 4, 1, width),  # ImageWidth
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 8),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 1),  # Photometric: min-is-black
        (273, 4, 1, 8 + 2 + 12 * 9 + 4),  # StripOffsets: right after the IFD
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, width * height & 0xFFFFFFFF),  # StripByteCounts
    ]
    ifd = struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        packed = struct.pack("<HHI", tag, typ, count)
        packed += struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
        ifd += packed
    ifd += struct.pack("<I", 0)
    return b"II*\0" + struct.pack("<I", 8) + ifd + b"\0" * 4096


def pdf_pages(count: int) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A6, invariant=1)
    for i in range(count):
        c.drawString(20, 380, f"Page {i + 1}")
        c.showPage()
    c.save()
    return buf.getvalue()


def pdf_encrypted() -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A6, encrypt="a-password", invariant=1)
    c.drawString(20, 380, "LABORATORY RESULTS")
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_huge_page(points: float = 14400.0) -> bytes:
    """A 200 x 200 inch page (the PDF maximum): rendering it for OCR at 300 dpi is 3.6 Gpx."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(points, points), invariant=1)
    c.showPage()
    c.save()
    return buf.getvalue()


def pdf_image_bomb(width: int = 60000, height: int = 60000) -> bytes:
    """A page whose only image declares width x height pixels backed by a tiny Flate stream."""
    stream = zlib.compress(b"\0" * 65536, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n"
        % (width, height, len(stream))
        + stream
        + b"\nendstream",
        b"<< /Length 31 >>\nstream\nq 612 0 0 792 0 0 cm /Im0 Do Q\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()


def eml_nested(depth: int) -> bytes:
    """message/rfc822 parts inside each other `depth` times, a PDF at the bottom."""
    inner = EmailMessage()
    inner["Subject"] = "bottom"
    inner.set_content("records attached")
    inner.add_attachment(
        seeds.text_pdf(), maintype="application", subtype="pdf", filename="deep.pdf"
    )
    for level in range(depth):
        outer = EmailMessage()
        outer["Subject"] = f"fwd {level}"
        outer.set_content("forwarded")
        outer.add_attachment(inner)
        inner = outer
    return inner.as_bytes()


def eml_many_parts(count: int) -> bytes:
    msg = EmailMessage()
    msg["Subject"] = "many parts"
    msg.set_content("see attachments")
    for i in range(count):
        msg.add_attachment(
            b"x", maintype="application", subtype="octet-stream", filename=f"p{i}.bin"
        )
    return msg.as_bytes()


def eml_huge_body(mib: int) -> bytes:
    head = b"From: a@example.org\r\nSubject: big\r\nContent-Type: text/plain\r\n\r\n"
    return head + (b"A" * 76 + b"\r\n") * (mib * _MiB // 78)


def eml_unterminated_multipart() -> bytes:
    return (
        b"From: a@example.org\r\nSubject: cut\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="b1"\r\n\r\n'
        b"--b1\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="labs.pdf"\r\n\r\nJVBERi0xLjQK%%%%not-base64'
    )


def _docx_with(part: str, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(seeds.docx_file()))
    members = {name: src.read(name) for name in src.namelist()}
    members[part] = data
    return zip_of(members)


def docx_broken_xml() -> bytes:
    xml = zipfile.ZipFile(io.BytesIO(seeds.docx_file())).read("word/document.xml")
    return _docx_with("word/document.xml", xml[: len(xml) // 2])


def docx_entity_bomb() -> bytes:
    """'Billion laughs' in the main part: a parser that expands entities runs out of memory."""
    lol = (
        b'<?xml version="1.0"?>\n<!DOCTYPE w:document [\n<!ENTITY a "lollollollollollol">\n'
        + b"".join(
            b'<!ENTITY %s "%s">\n' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10)
            for i in range(9)
        )
        + b"]>\n"
        b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        b"<w:body><w:p><w:r><w:t>&j;</w:t></w:r></w:p></w:body></w:document>"
    )
    return _docx_with("word/document.xml", lol)


def docx_not_a_zip() -> bytes:
    return b"PK\x03\x04" + b"\0" * 200


def eml_deep_multipart(depth: int, forwarded_every: int = 0) -> bytes:
    """Multiparts nested `depth` deep; every `forwarded_every`-th level a message/rfc822."""
    head = b"From: a@example.org\r\nSubject: deep\r\nMIME-Version: 1.0\r\n"
    body = b"Content-Type: text/plain\r\n\r\nsee below\r\n"
    for level in range(depth):
        if forwarded_every and level % forwarded_every == forwarded_every - 1:
            body = b"Content-Type: message/rfc822\r\n\r\n" + head + body
            continue
        boundary = b"b%d" % level
        body = (
            b'Content-Type: multipart/mixed; boundary="' + boundary + b'"\r\n\r\n--' + boundary
            + b"\r\n" + body + b"\r\n--" + boundary + b"--\r\n"
        )  # fmt: skip
    return head + body


def jpeg_declared(width: int = 65000, height: int = 65000) -> bytes:
    """The seed JPEG with its frame header (SOF0) claiming width x height pixels."""
    data = bytearray(seeds.jpeg())
    at = data.find(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def zip_future_version() -> bytes:
    """A zip whose central directory says a newer format version is needed to extract."""
    data = bytearray(zip_of({"ok.pdf": seeds.text_pdf()}))
    at = data.find(b"PK\x01\x02")
    data[at + 6 : at + 8] = struct.pack("<H", 99)  # "version needed to extract": 9.9
    return bytes(data)


def zip_empty_member_name() -> bytes:
    """A member whose name is empty, beside an ordinary one."""
    return zip_of({"": seeds.text_pdf(), "ok.pdf": seeds.text_pdf()})


def eml_forwarded_with_8bit_boundary() -> bytes:
    """A forwarded message whose multipart boundary holds a non-ASCII byte (mangled by a relay)."""
    inner = (
        b"Subject: inner\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="\xe9x"\r\n\r\n'
        b"--\xe9x\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--\xe9x--\r\n"
    )
    return (
        b"From: a@example.org\r\nSubject: fwd\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="o"\r\n\r\n'
        b"--o\r\nContent-Type: text/plain\r\n\r\nforwarded below\r\n"
        b"--o\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n"
        b"--o\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n"
        b'Content-Disposition: attachment; filename="ok.pdf"\r\n\r\n'
        + base64.encodebytes(seeds.text_pdf()).replace(b"\n", b"\r\n")
        + b"--o--\r\n"
    )


# --- export formats (C-CDA, XDM, DICOM) --------------------------------------------------


def ccda_entity_bomb() -> bytes:
    """Billion laughs inside a C-CDA: ten levels of ten-fold entity expansion."""
    ents = ['<!ENTITY l0 "lol">'] + [
        f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    return (
        f'<?xml version="1.0"?><!DOCTYPE ClinicalDocument [{"".join(ents)}]>'
        '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&l9;</title></ClinicalDocument>'
    ).encode()


def ccda_external_entity(path: str = "/etc/hostname") -> bytes:
    """An external entity naming a local file (XXE): its contents must never be read."""
    return (
        f'<?xml version="1.0"?><!DOCTYPE ClinicalDocument [<!ENTITY x SYSTEM "file://{path}">]>'
        '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>&x;</title></ClinicalDocument>'
    ).encode()


def ccda_deep(depth: int = 5000) -> bytes:
    """Sections nested far deeper than any document (a parser's recursion or memory)."""
    return (
        '<?xml version="1.0"?><ClinicalDocument xmlns="urn:hl7-org:v3"><component>'
        + "<section>" * depth
        + "</section>" * depth
        + "</component></ClinicalDocument>"
    ).encode()


def xdm_huge_index(mib: int = 12) -> bytes:
    """An XDM zip whose METADATA.XML is far larger than any portal's: the documents still read."""
    index = b'<?xml version="1.0"?><Submit>' + b" " * (mib * _MiB) + b"</Submit>"
    return zip_of(
        {
            "IHE_XDM/SUBSET01/METADATA.XML": index,
            "IHE_XDM/SUBSET01/DOC0001.XML": seeds.exports.ccda(),
        }
    )


def dicomdir_loop() -> bytes:
    """A DICOMDIR whose directory records point back at themselves."""
    from pydicom import dcmread

    ds = dcmread(io.BytesIO(seeds.exports.dicomdir()))
    records = list(ds.DirectoryRecordSequence)
    first, last = records[0], records[-1]
    first.OffsetOfTheNextDirectoryRecord = first.seq_item_tell
    last.OffsetOfReferencedLowerLevelDirectoryEntity = first.seq_item_tell
    buf = io.BytesIO()
    ds.save_as(buf, enforce_file_format=True)
    return buf.getvalue()


def tiff_many_strips(count: int, width: int = 8) -> bytes:
    """One 1-bit frame of `count` rows stored one row per strip: `count` strip offsets and
    byte counts (6 million made a 54 MB file that took 2.4 GB and 30 s to open)."""
    data_off = 8
    offsets_at = data_off + count
    counts_at = offsets_at + 4 * count
    ifd_at = counts_at + 4 * count
    out = bytearray(b"II*\0" + struct.pack("<I", ifd_at))
    out += b"\xff" * count
    out += struct.pack(f"<{count}I", *range(data_off, data_off + count))
    out += struct.pack(f"<{count}I", *([1] * count))
    entries = [
        (256, 3, 1, width),  # ImageWidth
        (257, 4, 1, count),  # ImageLength
        (258, 3, 1, 1),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 0),  # Photometric: white is zero
        (273, 4, count, offsets_at),  # StripOffsets
        (278, 3, 1, 1),  # RowsPerStrip
        (279, 4, count, counts_at),  # StripByteCounts
    ]
    out += struct.pack("<H", len(entries))
    for tag, typ, n, value in entries:
        out += struct.pack("<HHI", tag, typ, n)
        out += struct.pack("<HH", value, 0) if typ == 3 else struct.pack("<I", value)
    out += struct.pack("<I", 0)
    return bytes(out)
