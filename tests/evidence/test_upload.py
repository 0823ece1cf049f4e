"""POST /v/<visit>/photos: the resident's page uploads the photo the caseworker asked for. Every
abuse gets a clear 4xx JSON error and stores nothing (no row, no blob)."""

from __future__ import annotations

import io
import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from PIL import Image

from tests import factories
from tests.evidence.conftest import stored_files
from tests.evidence.test_hygiene import jpeg, jpeg_with_exif, png
from videocontact.accounts.models import Process, User
from videocontact.evidence import services
from videocontact.evidence.models import Photo, PhotoRequest
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState, Visit

pytestmark = pytest.mark.django_db


def url(visit_id: Any) -> str:
    return f"/v/{visit_id}/photos"


def client_for(participant: Participant, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    client.cookies["vc_session"] = factories.participant_session(participant)
    return client


def upload(
    client: Client,
    visit_id: Any,
    request_id: Any,
    data: bytes,
    content_type: str = "image/jpeg",
    **extra: Any,
) -> Any:
    headers = {"X-Photo-Request": str(request_id)} if request_id is not None else {}
    return client.post(
        url(visit_id), data=data, content_type=content_type, headers=headers, **extra
    )


def refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]


@pytest.fixture
def resident_client(resident_in_call: Participant) -> Client:
    return client_for(resident_in_call)


@pytest.fixture
def nothing_stored(evidence_dir: Path) -> Any:
    yield
    assert not Photo.objects.exists()
    assert stored_files(evidence_dir) == []


# The good path --------------------------------------------------------------------------------


def test_upload_stores_once_and_a_retry_returns_the_same_photo(
    resident_client: Client, visit: Visit, photo_request: PhotoRequest, evidence_dir: Path
) -> None:
    first = upload(resident_client, visit.id, photo_request.id, jpeg_with_exif())
    assert first.status_code == 201, first.content
    body = first.json()
    photo = Photo.objects.get()
    assert body == {
        "id": str(photo.id),
        "sha256": photo.sha256,
        "width": 64,
        "height": 48,
        "created": True,
    }
    assert first["Cache-Control"] == "no-store"
    photo_request.refresh_from_db()
    assert photo_request.fulfilled_at is not None
    assert photo.request_id == photo_request.id
    assert photo.captured_by_id == photo_request.target_id
    assert photo.requested_by_id == photo_request.requested_by_id

    again = upload(resident_client, visit.id, photo_request.id, jpeg_with_exif())
    assert again.status_code == 200
    assert again.json() == {**body, "created": False}
    assert Photo.objects.count() == 1
    assert len(stored_files(evidence_dir)) == 1


def test_a_photo_larger_than_data_upload_max_memory_size_is_accepted(
    resident_client: Client, visit: Visit, photo_request: PhotoRequest, settings: Any
) -> None:
    """DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) guards request.body; the view never reads that."""
    noise = Image.frombytes("RGB", (1000, 1000), os.urandom(3_000_000))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    data = buffer.getvalue()
    assert len(data) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    response = upload(resident_client, visit.id, photo_request.id, data, "image/png")
    assert response.status_code == 201, response.content
    assert response.json()["width"] == 1000


def test_a_12_megapixel_photo_fits_every_limit(
    resident_client: Client, visit: Visit, photo_request: PhotoRequest, settings: Any
) -> None:
    """A phone's full sensor (4032x3024) as the page encodes it (JPEG, quality 0.92). Pure
    noise is the worst case for JPEG: real photos are smaller. It must pass the byte limit
    (also checked by the ASGI guard from Content-Length), the pixel and side limits."""
    width, height = 4032, 3024
    noise = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "JPEG", quality=92)
    data = buffer.getvalue()
    assert len(data) <= settings.PHOTO_MAX_BYTES
    assert width * height <= settings.PHOTO_MAX_PIXELS
    assert max(width, height) <= settings.PHOTO_MAX_SIDE
    response = upload(resident_client, visit.id, photo_request.id, data)
    assert response.status_code == 201, response.content
    assert (response.json()["width"], response.json()["height"]) == (width, height)


def test_csrf_token_is_required(
    resident_in_call: Participant, visit: Visit, photo_request: PhotoRequest, nothing_stored: Any
) -> None:
    client = client_for(resident_in_call, enforce_csrf_checks=True)
    response = upload(client, visit.id, photo_request.id, jpeg())
    assert response.status_code == 403


def test_csrf_token_from_the_call_page_works(
    resident_in_call: Participant, visit: Visit, photo_request: PhotoRequest
) -> None:
    from videocontact.visits import services as visit_services

    client = client_for(resident_in_call, enforce_csrf_checks=True)
    visit_services.consent_record(participant=resident_in_call, accepted=True, language="nl")
    Participant.objects.filter(pk=resident_in_call.pk).update(state=ParticipantState.ADMITTED)
    page = client.get(f"/v/{visit.id}/call")
    assert page.status_code == 200
    config = page.context["photo_config"]
    response = upload(
        client, visit.id, photo_request.id, jpeg(), HTTP_X_CSRFTOKEN=config["csrfToken"]
    )
    assert response.status_code == 201, response.content
    assert config["uploadUrl"] == url(visit.id)


# Who may upload -------------------------------------------------------------------------------


def test_no_session(visit: Visit, photo_request: PhotoRequest, nothing_stored: Any) -> None:
    refused(upload(Client(), visit.id, photo_request.id, jpeg()), 403, "no_session")


def test_session_of_another_visit(
    visit: Visit,
    photo_request: PhotoRequest,
    process: Process,
    caseworker: User,
    nothing_stored: Any,
) -> None:
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    client = client_for(factories.resident_of(other))
    refused(upload(client, visit.id, photo_request.id, jpeg()), 403, "no_session")


def test_request_of_another_visit_is_unknown(
    visit: Visit,
    photo_request: PhotoRequest,
    process: Process,
    caseworker: User,
    nothing_stored: Any,
) -> None:
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    resident = factories.resident_of(other)
    resident.state = ParticipantState.ADMITTED
    resident.save(update_fields=["state"])
    client = client_for(resident)
    refused(upload(client, other.id, photo_request.id, jpeg()), 404, "unknown_request")


def test_gate_refuses_a_removed_or_unconsented_participant(
    visit: Visit,
    photo_request: PhotoRequest,
    process: Process,
    caseworker: User,
    nothing_stored: Any,
) -> None:
    """The upload asks the resident access gate: no consent, or removed, is no upload."""
    other, _ = factories.make_visit(process=process, caseworker=caseworker)
    unconsented = client_for(factories.resident_of(other))
    refused(upload(unconsented, other.id, photo_request.id, jpeg()), 403, "forbidden")
    resident = factories.resident_of(visit)
    client = client_for(resident)
    Participant.objects.filter(pk=resident.pk).update(removed_at=timezone.now())
    refused(upload(client, visit.id, photo_request.id, jpeg()), 403, "forbidden")


def test_request_for_someone_else(
    visit: Visit, photo_request: PhotoRequest, nothing_stored: Any
) -> None:
    helper = factories.make_participant(
        visit=visit, role=ParticipantRole.FAMILY, state=ParticipantState.ADMITTED
    )
    refused(upload(client_for(helper), visit.id, photo_request.id, jpeg()), 403, "foreign_request")


# Which request --------------------------------------------------------------------------------


@pytest.mark.parametrize("header", [None, "", "not-a-uuid"])
def test_missing_or_bad_request_id(
    resident_client: Client, visit: Visit, header: str | None, nothing_stored: Any
) -> None:
    refused(upload(resident_client, visit.id, header, jpeg()), 400, "unknown_request")


def test_unknown_request_id(
    resident_client: Client, visit: Visit, photo_request: PhotoRequest, nothing_stored: Any
) -> None:
    import uuid

    refused(upload(resident_client, visit.id, uuid.uuid4(), jpeg()), 404, "unknown_request")


def test_expired_request(
    resident_client: Client,
    visit: Visit,
    photo_request: PhotoRequest,
    settings: Any,
    nothing_stored: Any,
) -> None:
    PhotoRequest.objects.filter(pk=photo_request.pk).update(
        created_at=timezone.now() - timedelta(seconds=settings.PHOTO_REQUEST_TTL_SECONDS + 1)
    )
    refused(upload(resident_client, visit.id, photo_request.id, jpeg()), 410, "request_expired")


def test_used_request_whose_photo_was_discarded(
    resident_client: Client,
    visit: Visit,
    photo_request: PhotoRequest,
    caseworker: User,
    evidence_dir: Path,
) -> None:
    assert upload(resident_client, visit.id, photo_request.id, jpeg()).status_code == 201
    services.photo_discard(photo=Photo.objects.get(), by_user=caseworker)
    refused(upload(resident_client, visit.id, photo_request.id, jpeg()), 409, "request_used")
    assert Photo.objects.count() == 1  # the discarded row, for the audit trail


def test_closed_visit(
    resident_client: Client, visit: Visit, photo_request: PhotoRequest, nothing_stored: Any
) -> None:
    Visit.objects.filter(pk=visit.pk).update(status="ended", ended_at=timezone.now())
    response = upload(resident_client, visit.id, photo_request.id, jpeg())
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "visit_closed"


# What is sent ---------------------------------------------------------------------------------

SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>'


def gif() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (0, 0, 255)).save(buffer, "GIF")
    return buffer.getvalue()


GIF = gif()


def bomb() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    header = struct.pack(">IIBBBBB", 30_000, 30_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 100_000))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        (jpeg(), "text/plain", 415, "bad_type"),
        (jpeg(), "multipart/form-data; boundary=x", 415, "bad_type"),
        (SVG, "image/svg+xml", 415, "bad_type"),
        (SVG, "image/jpeg", 415, "bad_type"),
        (GIF, "image/gif", 415, "bad_type"),
        (GIF, "image/jpeg", 415, "bad_type"),
        (b"hello, this is not an image", "image/jpeg", 415, "bad_type"),
        (png(), "image/jpeg", 201, ""),  # the type is read from the content
        (jpeg(640, 480)[:-2000], "image/jpeg", 422, "corrupt"),  # truncated
        (jpeg()[:300], "image/jpeg", 422, "corrupt"),
        (bomb(), "image/png", 422, "too_many_pixels"),
        (b"", "image/jpeg", 411, "length_required"),  # the test client sends no length
    ],
    ids=[
        "text-plain",
        "multipart",
        "svg",
        "svg-as-jpeg",
        "gif",
        "gif-as-jpeg",
        "not-an-image",
        "png-declared-jpeg",
        "truncated-jpeg",
        "jpeg-header-only",
        "decompression-bomb",
        "empty",
    ],
)
def test_content_is_checked(
    resident_client: Client,
    visit: Visit,
    photo_request: PhotoRequest,
    evidence_dir: Path,
    data: bytes,
    content_type: str,
    status: int,
    code: str,
) -> None:
    response = upload(resident_client, visit.id, photo_request.id, data, content_type)
    if status == 201:
        assert response.status_code == 201, response.content
        return
    refused(response, status, code)
    assert not Photo.objects.exists()
    assert stored_files(evidence_dir) == []
    photo_request.refresh_from_db()
    assert photo_request.fulfilled_at is None  # the resident's page may try again


def test_too_many_bytes(
    resident_client: Client,
    visit: Visit,
    photo_request: PhotoRequest,
    settings: Any,
    nothing_stored: Any,
) -> None:
    data = jpeg(400, 300)
    settings.PHOTO_MAX_BYTES = len(data) - 1
    refused(upload(resident_client, visit.id, photo_request.id, data), 413, "too_large")


def test_huge_body_is_refused_from_its_content_length_without_reading_it(
    resident_client: Client, visit: Visit, photo_request: PhotoRequest, nothing_stored: Any
) -> None:
    """The announced length is checked first: the (fake) stream behind it is never read. Reading
    it would fail, since it holds far fewer bytes than announced."""
    response = upload(
        resident_client, visit.id, photo_request.id, b"x" * 10, CONTENT_LENGTH=str(10**11)
    )
    refused(response, 413, "too_large")


def test_body_longer_than_announced_is_cut_at_the_limit(
    resident_client: Client,
    visit: Visit,
    photo_request: PhotoRequest,
    settings: Any,
    nothing_stored: Any,
) -> None:
    settings.PHOTO_MAX_BYTES = 1000
    response = upload(
        resident_client, visit.id, photo_request.id, jpeg(200, 200), CONTENT_LENGTH="900"
    )
    assert response.status_code in (415, 422)  # 900 bytes of a JPEG: not a whole image


# Limits ---------------------------------------------------------------------------------------


def test_number_of_photos_per_visit_is_limited(
    resident_client: Client,
    visit: Visit,
    caseworker: User,
    resident_in_call: Participant,
    settings: Any,
    evidence_dir: Path,
) -> None:
    settings.PHOTO_MAX_PER_VISIT = 2
    requests = [
        services.photo_request_create(
            visit_id=visit.id, by_user=caseworker, target_id=resident_in_call.id, from_peer="p"
        )
        for _ in range(3)
    ]
    for request in requests[:2]:
        assert upload(resident_client, visit.id, request.id, jpeg()).status_code == 201
    refused(upload(resident_client, visit.id, requests[2].id, jpeg()), 429, "photo_limit")
    assert Photo.objects.count() == 2
    assert len(stored_files(evidence_dir)) == 2


def test_a_request_cannot_be_used_twice_at_the_same_time_to_store_two_photos(
    resident_client: Client, visit: Visit, photo_request: PhotoRequest
) -> None:
    """The second upload (another image) finds the request fulfilled: same photo, no second."""
    assert upload(resident_client, visit.id, photo_request.id, jpeg()).status_code == 201
    second = upload(resident_client, visit.id, photo_request.id, jpeg(32, 32))
    assert second.status_code == 200
    assert second.json()["width"] == 64
    assert Photo.objects.count() == 1


def test_a_parallel_upload_that_lost_the_race_gets_the_winners_photo(
    resident_client: Client,
    visit: Visit,
    photo_request: PhotoRequest,
    resident_in_call: Participant,
    evidence_dir: Path,
) -> None:
    """The state a parallel upload sees when the other one committed after it read the request:
    the photo row exists, the request it locked still looked open."""
    winner = services.photo_store(
        visit=visit, data=jpeg(), requested_by=None, captured_by=resident_in_call
    )
    Photo.objects.filter(pk=winner.pk).update(request=photo_request)
    response = upload(resident_client, visit.id, photo_request.id, jpeg(32, 32))
    assert response.status_code == 200, response.content
    assert response.json()["id"] == str(winner.id)
    assert Photo.objects.count() == 1
    assert len(stored_files(evidence_dir)) == 1  # the loser's blob was destroyed


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_only_post(resident_client: Client, visit: Visit, method: str) -> None:
    assert getattr(resident_client, method)(url(visit.id)).status_code == 405
