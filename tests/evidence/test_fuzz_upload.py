"""Property-based fuzzing (hypothesis) of the photo upload: whatever the body, type and header,
the answer is a photo (201/200) or a clear JSON 4xx — never a 5xx."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.evidence.test_hygiene import jpeg, png
from tests.evidence.test_upload import client_for, url
from videocontact.evidence.models import PhotoRequest
from videocontact.visits.models import Participant, Visit

pytestmark = pytest.mark.django_db

GOOD_JPEG = jpeg()
GOOD_PNG = png()


@st.composite
def body(draw: Any) -> bytes:
    base = draw(st.sampled_from([GOOD_JPEG, GOOD_PNG, b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b""]))
    how = draw(st.sampled_from(["as is", "cut", "flip", "append", "random"]))
    if how == "cut" and base:
        return base[: draw(st.integers(0, len(base)))]
    if how == "flip" and base:
        at = draw(st.integers(0, len(base) - 1))
        return base[:at] + bytes([base[at] ^ draw(st.integers(1, 255))]) + base[at + 1 :]
    if how == "append":
        return base + draw(st.binary(max_size=200))
    if how == "random":
        return draw(st.binary(max_size=400))
    return base


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)
@given(
    data=body(),
    content_type=st.sampled_from(
        [
            "image/jpeg",
            "image/png",
            "image/gif",
            "text/plain",
            "",
            "image/jpeg; charset=utf-8",
            "application/octet-stream",
        ]
    ),
    header=st.sampled_from(["request", "other", "junk", "none"]),
)
def test_fuzzed_uploads_never_fail_with_a_server_error(
    visit: Visit,
    photo_request: PhotoRequest,
    resident_in_call: Participant,
    data: bytes,
    content_type: str,
    header: str,
) -> None:
    client: Client = client_for(resident_in_call)
    headers = {
        "request": {"X-Photo-Request": str(photo_request.id)},
        "other": {"X-Photo-Request": str(uuid.uuid4())},
        "junk": {"X-Photo-Request": "../../etc/passwd\x00"},
        "none": {},
    }[header]
    response = client.post(url(visit.id), data=data, content_type=content_type, headers=headers)
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/json"
        assert response.json()["error"]["code"]
