"""Turn uploads into readable items: walk folders, sniff content, unpack containers.

`expand(path)` and `expand_bytes(name, data)` yield one `SourceItem` per document-bearing
file: a PDF, an image, a DOCX, a text body. Containers (zip, eml) are unpacked into
members named `outer.zip/inner.pdf`; a member that cannot be used becomes an item with
`error` set, so one bad file never hides the others. Outlook .msg files are containers too
(body and attachments, through extractors/outlook.py).
"""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from extractors.dicom_studies import disc_images
from extractors.errors import FileErrorCode
from extractors.limits import DEFAULT_LIMITS, Limits
from extractors.mailboxes import expand_eml, expand_msg
from extractors.mailparts import unique_name
from extractors.names import clean_name
from extractors.pdf_embedded import expand_pdf
from extractors.sniff import ZIP_ERRORS, Kind, sniff
from extractors.source_items import Budget
from extractors.source_items import SourceItem as SourceItem
from extractors.source_items import rejected as rejected
from extractors.vocabulary import CodedRecord
from extractors.xdm import is_boilerplate, read_index

# Folder clutter that is never a record.
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}
_CHUNK = 1024 * 1024


def expand(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[SourceItem]:
    """Every item under `path` (a file, or a folder walked recursively in sorted order).

    Raises FileNotFoundError when `path` does not exist: that is a caller's mistake,
    not a bad upload.
    """
    path = Path(path)
    if not path.exists():
        raise FileNotFoundError(str(path))
    if path.is_dir():
        for child in _walk(path):
            yield from _expand_file(child, limits)
    else:
        yield from _expand_file(path, limits)


def _walk(folder: Path) -> list[Path]:
    files: list[Path] = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for n in names:
            if not n.startswith(".") and n.lower() not in _JUNK_NAMES:
                files.append(Path(root) / n)
    return sorted(files, key=lambda p: p.as_posix())


def _expand_file(path: Path, limits: Limits) -> Iterator[SourceItem]:
    name = str(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            yield rejected(
                name,
                Kind.UNKNOWN,
                FileErrorCode.TOO_LARGE,
                f"file is {size // (1024 * 1024)} MiB, over the {limits.max_file_bytes // (1024 * 1024)} MiB limit",
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield rejected(
            name,
            Kind.UNKNOWN,
            FileErrorCode.CORRUPT,
            f"could not be read ({exc.strerror or type(exc).__name__})",
        )
        return
    yield from expand_bytes(name, data, limits)


def expand_bytes(name: str, data: bytes, limits: Limits = DEFAULT_LIMITS) -> Iterator[SourceItem]:
    """Items of one upload already in memory (the app and the case store use this)."""
    budget = Budget(
        bytes_left=limits.max_total_bytes, members_left=limits.max_members, limits=limits
    )
    yield from _expand(name, data, 0, budget)


def _expand(
    name: str, data: bytes, depth: int, budget: Budget, record: CodedRecord | None = None
) -> Iterator[SourceItem]:
    limits = budget.limits
    if len(data) > limits.max_file_bytes:
        yield rejected(name, Kind.UNKNOWN, FileErrorCode.TOO_LARGE, "file is over the size limit")
        return
    kind = sniff(data)
    if kind is Kind.EMPTY:
        yield rejected(name, kind, FileErrorCode.EMPTY, "file is empty")
    elif kind is Kind.UNKNOWN:
        yield rejected(
            name,
            kind,
            FileErrorCode.UNSUPPORTED,
            "not a format RecordReady reads (PDF, image, Word, OpenDocument, RTF, e-mail, zip, "
            "C-CDA, DICOM or text)",
        )
    elif kind in (Kind.ZIP, Kind.EML, Kind.MSG):
        if depth + 1 > limits.max_depth:
            yield rejected(
                name,
                kind,
                FileErrorCode.TOO_LARGE,
                f"containers nested deeper than {limits.max_depth} levels",
            )
        elif kind is Kind.ZIP:
            yield from _expand_zip(name, data, depth + 1, budget)
        elif kind is Kind.MSG:
            yield from expand_msg(name, data, depth + 1, budget, _expand)
        else:
            yield from expand_eml(name, data, depth + 1, budget, _expand)
    elif kind is Kind.TEXT and len(data) > limits.max_text_bytes:
        yield rejected(
            name, kind, FileErrorCode.TOO_LARGE, "text is over the size limit for one document"
        )
    elif kind is Kind.CCDA and len(data) > limits.max_xml_bytes:
        yield rejected(name, kind, FileErrorCode.TOO_LARGE, "C-CDA is over the size limit")
    elif kind is Kind.PDF:
        yield from expand_pdf(name, data, depth, budget, _expand, record)
    else:
        yield SourceItem(name=name, data=data, kind=str(kind), record=record)


# --- zip -------------------------------------------------------------------------------


def _safe_member_name(raw: str) -> str | None:
    """The member's path inside the archive, or None when it tries to leave it."""
    cleaned = raw.replace("\\", "/")
    p = PurePosixPath(cleaned)
    if cleaned.startswith("/") or ".." in p.parts or (p.parts and p.parts[0].endswith(":")):
        return None
    return p.as_posix() if p.parts else ""


def _expand_zip(name: str, data: bytes, depth: int, budget: Budget) -> Iterator[SourceItem]:
    limits = budget.limits
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except ZIP_ERRORS:
        yield rejected(name, Kind.ZIP, FileErrorCode.CORRUPT, "zip archive is damaged or truncated")
        return
    # `is_dir()` indexes the name's last character: an empty name is a file with no name.
    files = [
        i for i in infos if not (i.filename and i.is_dir()) and not _is_junk_member(i.filename)
    ]
    # A portal's IHE XDM export: its index names and dates the documents; its own files
    # (the index, a readme, the stylesheet) are not records.
    index = read_index(zf, files, lambda info: _read_member(zf, info, budget))
    files = [i for i in files if not is_boilerplate(i.filename, index is not None)]
    # A disc's DICOMDIR lists its studies: the image files it indexes are not read one by one
    # (a CT holds thousands), so a whole disc fits the member limit.
    listed = disc_images(files, lambda info: _read_member(zf, info, budget))
    files = [i for i in files if i.filename.replace("\\", "/").upper() not in listed]
    if not files:
        yield rejected(name, Kind.ZIP, FileErrorCode.EMPTY, "zip archive holds no files")
        return
    if len(files) > budget.members_left:
        yield rejected(
            name,
            Kind.ZIP,
            FileErrorCode.TOO_LARGE,
            f"zip archive holds {len(files)} files, over the limit of {limits.max_members}",
        )
        return
    budget.members_left -= len(files)
    blocked: set[str] = set()
    with zf:
        for info in files:
            inner = _safe_member_name(info.filename)
            if inner is None:
                base = PurePosixPath(info.filename.replace("\\", "/")).name or "member"
                shown = f"{name}/{unique_name(base, blocked)}"
                yield rejected(
                    shown,
                    Kind.UNKNOWN,
                    FileErrorCode.UNSUPPORTED,
                    "member path points outside the archive; skipped",
                )
                continue
            member = f"{name}/{clean_name(inner)}"
            if not inner:
                yield rejected(
                    f"{name}/(no name)",
                    Kind.UNKNOWN,
                    FileErrorCode.CORRUPT,
                    "zip member has no name",
                )
                continue
            if info.flag_bits & 0x1:
                yield rejected(
                    member,
                    Kind.UNKNOWN,
                    FileErrorCode.ENCRYPTED,
                    "zip member is password-protected",
                )
                continue
            try:
                payload = _read_member(zf, info, budget)
            except _LimitExceeded as exc:
                yield rejected(member, Kind.UNKNOWN, FileErrorCode.TOO_LARGE, str(exc))
                if budget.bytes_left <= 0:
                    return
                continue
            except ZIP_ERRORS:
                yield rejected(member, Kind.UNKNOWN, FileErrorCode.CORRUPT, "zip member is damaged")
                continue
            hint = index.get(inner) if index else None
            yield from _expand(member, payload, depth, budget, hint)


def _is_junk_member(filename: str) -> bool:
    parts = filename.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or parts[-1].lower() in _JUNK_NAMES or parts[-1].startswith("._")


class _LimitExceeded(Exception):
    pass


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> bytes:
    """Inflate one member in chunks, stopping at the first broken limit.

    The sizes in the central directory are written by whoever made the archive, so
    they are checked but never trusted: the inflated byte count is what counts.
    """
    limits = budget.limits
    cap = min(limits.max_file_bytes, budget.bytes_left)
    ratio_floor = max(info.compress_size, 1)
    out = bytearray()
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            out += chunk
            if len(out) > cap:
                budget.bytes_left -= len(out)
                raise _LimitExceeded("unpacked size is over the archive limit")
            # Small members may compress well legitimately; judge the ratio past 1 MiB.
            if len(out) > _CHUNK and len(out) / ratio_floor > limits.max_ratio:
                budget.bytes_left -= len(out)
                raise _LimitExceeded(
                    f"compression ratio is over {limits.max_ratio:.0f}:1 (zip bomb)"
                )
    budget.bytes_left -= len(out)
    return bytes(out)
