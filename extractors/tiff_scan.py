"""How many strips or tiles each frame of a TIFF declares, read from its directory entries.

Pillow turns every strip of a frame into a Python tuple before it decodes one pixel, and
libtiff then reads them one by one: a 54 MB TIFF of 6 million one-row strips took 2.4 GB
and 30 s. The counts are in each directory's entry headers, so they are read here without
loading the offset arrays at all, and a frame with too many is refused before Pillow opens it.
"""

from __future__ import annotations

import struct

# StripOffsets, StripByteCounts, TileOffsets, TileByteCounts.
_PIECE_TAGS = frozenset({273, 279, 324, 325})


def most_pieces(data: bytes, max_frames: int) -> int:
    """The largest strip or tile count of any of the first `max_frames` frames; 0 when the
    bytes are not a TIFF this can walk (Pillow then judges them as it always did)."""
    order = {b"II": "<", b"MM": ">"}.get(data[:2])
    if order is None or len(data) < 16:
        return 0
    version = struct.unpack_from(order + "H", data, 2)[0]
    if version == 42:
        return _walk(data, order, struct.unpack_from(order + "I", data, 4)[0], max_frames, False)
    if version == 43:
        return _walk(data, order, struct.unpack_from(order + "Q", data, 8)[0], max_frames, True)
    return 0


def _walk(data: bytes, order: str, offset: int, max_frames: int, big: bool) -> int:
    count_fmt, entry_fmt, entry_size = ("Q", "HHQ", 20) if big else ("H", "HHI", 12)
    next_fmt = "Q" if big else "I"
    most, seen = 0, set()
    for _ in range(max_frames):
        if offset == 0 or offset in seen or offset + 8 > len(data):
            break
        seen.add(offset)
        try:
            (entries,) = struct.unpack_from(order + count_fmt, data, offset)
            start = offset + struct.calcsize(count_fmt)
            for i in range(min(entries, 4096)):
                tag, _typ, count = struct.unpack_from(
                    order + entry_fmt, data, start + i * entry_size
                )
                if tag in _PIECE_TAGS:
                    most = max(most, count)
            (offset,) = struct.unpack_from(order + next_fmt, data, start + entries * entry_size)
        except struct.error:
            break
    return most
