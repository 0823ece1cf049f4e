"""Parsing the Range header (RFC 9110 §14): one range served, everything odd sends the file."""

from __future__ import annotations

import io

import pytest

from videocontact.guidance.ranges import (
    AsyncRangeStream,
    ByteRange,
    RangeStream,
    Unsatisfiable,
    parse_range,
)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=100-199", ByteRange(100, 199)),
        ("bytes=500-", ByteRange(500, 999)),
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=-5000", ByteRange(0, 999)),  # a suffix longer than the file: all of it
        ("bytes=900-5000", ByteRange(900, 999)),  # the end is clipped
        ("bytes=999-999", ByteRange(999, 999)),
        ("BYTES = 0-0", ByteRange(0, 0)),
        (" bytes=0-9 ", ByteRange(0, 9)),
    ],
)
def test_one_range(header: str, expected: ByteRange) -> None:
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize(
    "header",
    [
        None,
        "",
        "bytes",
        "bytes=",
        "bytes=-",
        "bytes=abc",
        "bytes=1-2-3",
        "bytes=5-2",  # last before first: an invalid range-spec
        "items=0-10",  # a unit we do not know
        "bytes=0-1,5-6",  # several ranges: refused by sending the whole file
        "bytes=0-1,",
        "bytes=\uff11-\uff12",  # non-ASCII (fullwidth) digits
    ],
)
def test_ignored_headers_send_the_whole_file(header: str | None) -> None:
    assert parse_range(header, 1000) is None


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=1000-2000", "bytes=-0", "bytes=5000-"])
def test_unsatisfiable(header: str) -> None:
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)


def test_an_empty_file_satisfies_no_range() -> None:
    for header in ("bytes=0-", "bytes=-1"):
        with pytest.raises(Unsatisfiable):
            parse_range(header, 0)


def test_range_stream_yields_exactly_the_range_in_chunks() -> None:
    data = bytes(range(256)) * 1000
    handle = io.BytesIO(data)
    stream = RangeStream(handle, ByteRange(70_000, 200_000))
    chunks = list(stream)
    assert b"".join(chunks) == data[70_000:200_001]
    assert len(chunks) > 1
    stream.close()
    assert handle.closed


async def test_async_range_stream_yields_the_same_bytes() -> None:
    data = bytes(range(256)) * 1000
    stream = AsyncRangeStream(io.BytesIO(data), ByteRange(1, 150_000))
    chunks = [chunk async for chunk in stream]
    assert b"".join(chunks) == data[1:150_001]
    assert len(chunks) > 1


def test_a_stream_closes_its_file_even_when_never_read() -> None:
    handle = io.BytesIO(b"abc")
    RangeStream(handle, ByteRange(0, 2)).close()
    assert handle.closed


def test_a_range_with_thousands_of_digits_is_ignored_not_a_500() -> None:
    from videocontact.guidance.ranges import parse_range

    assert parse_range("bytes=" + "9" * 5000 + "-", 100) is None
