"""HTTP range requests (RFC 9110 §14) for help videos: phones seek by asking for byte ranges.

Django's FileResponse always sends the whole file; this answers one byte range with 206."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import IO

# At most 19 digits each (any real file size fits): int() of a 5000-digit string raises.
RANGE_SPEC = re.compile(r"^([0-9]{0,19})-([0-9]{0,19})$", re.ASCII)
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


class RangeStream:
    """The bytes of one range, in chunks. Django closes the response, and so the file, even when
    the client goes away before reading anything."""

    def __init__(self, fileobj: IO[bytes], byte_range: ByteRange) -> None:
        self.fileobj = fileobj
        self.byte_range = byte_range

    def __iter__(self) -> Iterator[bytes]:
        self.fileobj.seek(self.byte_range.start)
        remaining = self.byte_range.length
        while remaining > 0:
            chunk = self.fileobj.read(min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk

    def close(self) -> None:
        self.fileobj.close()


class AsyncRangeStream(RangeStream):
    """The same for the ASGI server: each read runs in a worker thread and the response goes out
    chunk by chunk (Django would read a synchronous iterator into memory first)."""

    def __iter__(self) -> Iterator[bytes]:
        raise TypeError("use async iteration")

    async def __aiter__(self) -> AsyncIterator[bytes]:
        await asyncio.to_thread(self.fileobj.seek, self.byte_range.start)
        remaining = self.byte_range.length
        while remaining > 0:
            chunk = await asyncio.to_thread(self.fileobj.read, min(CHUNK, remaining))
            if not chunk:
                break
            remaining -= len(chunk)
            yield chunk
