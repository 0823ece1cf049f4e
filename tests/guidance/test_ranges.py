"""Parsing the Range header (RFC 9110 §14): one range served, everything odd sends the file."""

from __future__ import annotations

import io

import pytest

from videocontact.guidance.ranges import ByteRange, Unsatisfiable, parse_range, read_range


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


def test_read_range_yields_exactly_the_range_in_chunks() -> None:
    data = bytes(range(256)) * 1000
    handle = io.BytesIO(data)
    chunks = list(read_range(handle, ByteRange(70_000, 200_000)))
    assert b"".join(chunks) == data[70_000:200_001]
    assert len(chunks) > 1
    assert handle.closed
