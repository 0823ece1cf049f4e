"""The ASGI guard in front of Django: an upload whose Content-Length is too large (or missing) is
refused before any of its body is read. Django's ASGI handler would otherwise read (spool) the
whole body before the view runs, whatever DATA_UPLOAD_MAX_MEMORY_SIZE says."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from asgiref.testing import ApplicationCommunicator

from videocontact.asgi import application


def scope(path: str, headers: list[tuple[bytes, bytes]]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"localhost"), *headers],
        "client": ("127.0.0.1", 1234),
        "server": ("127.0.0.1", 80),
    }


async def response_of(
    headers: list[tuple[bytes, bytes]], path: str | None = None, body: bytes | None = None
) -> Any:
    """The response; without `body` no body is ever sent, so the answer must come without it."""
    path = path or f"/v/{uuid.uuid4()}/photos"
    communicator = ApplicationCommunicator(application, scope(path, headers))
    if body is not None:
        await communicator.send_input({"type": "http.request", "body": body})
    start = await communicator.receive_output(timeout=5)
    body = await communicator.receive_output(timeout=5)
    await communicator.wait(timeout=5)
    return start, body


@pytest.mark.parametrize(
    ("headers", "status", "code"),
    [
        (
            [(b"content-length", str(10**12).encode()), (b"content-type", b"image/jpeg")],
            413,
            "too_large",
        ),
        ([(b"content-type", b"image/jpeg")], 411, "length_required"),
        ([(b"content-length", b"lots")], 411, "length_required"),
    ],
)
async def test_refused_before_the_body_is_read(
    headers: list[tuple[bytes, bytes]], status: int, code: str
) -> None:
    start, body = await response_of(headers)  # no body sent at all
    assert start["type"] == "http.response.start"
    assert start["status"] == status
    assert json.loads(body["body"])["error"]["code"] == code


@pytest.mark.django_db(transaction=True)
async def test_other_paths_and_small_uploads_reach_django(settings: Any) -> None:
    start, _ = await response_of(
        [(b"content-length", b"0")], path=f"/v/{uuid.uuid4()}/photos/extra", body=b""
    )
    assert start["status"] == 404
    # An upload of allowed size goes on to Django (which refuses it: no CSRF token, no session).
    start, _ = await response_of([(b"content-length", b"4")], body=b"abcd")
    assert start["status"] == 403


@pytest.mark.django_db(transaction=True)
async def test_a_12_megapixel_jpeg_passes_the_guard(settings: Any) -> None:
    """12 000 000 bytes (a noisy 12 MP JPEG at quality 0.92 is about 11.8 MB) reach Django."""
    size = 12_000_000
    assert size <= settings.PHOTO_MAX_BYTES
    start, _ = await response_of(
        [(b"content-length", str(size).encode()), (b"content-type", b"image/jpeg")],
        body=b"\xff" * size,
    )
    assert start["status"] == 403  # past the guard: Django refuses it (no session, no CSRF)
