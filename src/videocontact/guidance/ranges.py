"""HTTP range requests (RFC 9110 §14) for help videos: phones seek by asking for byte ranges.

Django's FileResponse always sends the whole file; this answers one byte range with 206."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO

RANGE_SPEC = re.compile(r"^([0-9]*)-([0-9]*)$", re.ASCII)
CHUNK = 64 * 1024


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class Unsatisfiable(Exception):
    """No range of the request overlaps the file: answer 416 with `Content-Range: bytes */size`."""


def parse_range(header: str | None, size: int) -> ByteRange | None:
    """The one byte range to send, or None to send the whole file with 200.

    A missing or malformed header, another unit, or several ranges: None (the RFC lets a server
    ignore Range; a full 200 is always correct). A well-formed range that starts beyond the end
    (or a zero-length suffix): Unsatisfiable."""
    if not header:
        return None
    unit, sep, ranges = header.strip().partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    specs = [spec.strip() for spec in ranges.split(",")]
    if len(specs) != 1:
        return None  # several ranges: refused by sending the whole representation
    match = RANGE_SPEC.match(specs[0])
    if match is None or match.group(0) == "-":
        return None
    first, last = match.groups()
    if first == "":  # suffix: the last N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise Unsatisfiable
        return ByteRange(max(0, size - suffix), size - 1)
    start = int(first)
    end = int(last) if last != "" else size - 1
    if last != "" and end < start:
        return None  # invalid range-spec: ignore the header
    if start >= size:
        raise Unsatisfiable
    return ByteRange(start, min(end, size - 1))


def read_range(fileobj: IO[bytes], byte_range: ByteRange) -> Iterator[bytes]:
    """The bytes of the range, in chunks; closes the file at the end."""
    try:
        fileobj.seek(byte_range.start)
        remaining = byte_range.length
        while remaining > 0:
            chunk = fileobj.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
    finally:
        fileobj.close()
