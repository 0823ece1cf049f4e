"""EVIDENCE_STORAGE=s3: the vault against a real S3 server on loopback (moto's ThreadedMotoServer,
in this process, on 127.0.0.1). What lands in the bucket is ciphertext; discarding removes it."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto.server import ThreadedMotoServer

from tests.evidence.test_hygiene import jpeg_with_exif
from tests.net import free_port
from videocontact.accounts.models import User
from videocontact.evidence import services, vault
from videocontact.evidence.models import PhotoRequest
from videocontact.visits.models import Participant, Visit

BUCKET = "evidence-test"
KEYS = {"aws_access_key_id": "test-access", "aws_secret_access_key": "test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")  # never look for cloud metadata
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **KEYS)
    client.create_bucket(Bucket=BUCKET)
    settings.EVIDENCE_STORAGE = "s3"
    settings.EVIDENCE_S3_ENDPOINT = s3_endpoint
    settings.EVIDENCE_S3_BUCKET = BUCKET
    settings.EVIDENCE_S3_ACCESS_KEY = KEYS["aws_access_key_id"]
    settings.EVIDENCE_S3_SECRET_KEY = KEYS["aws_secret_access_key"]
    settings.EVIDENCE_S3_REGION = "us-east-1"
    vault._store_for.cache_clear()
    yield client
    vault._store_for.cache_clear()
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def objects(client: Any) -> dict[str, bytes]:
    listing = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {
        item["Key"]: client.get_object(Bucket=BUCKET, Key=item["Key"])["Body"].read()
        for item in listing
    }


def test_seal_unseal_destroy_on_s3(bucket: Any) -> None:
    assert isinstance(vault.store(), vault.S3BlobStore)
    sealed = vault.seal(b"secret evidence", prefix="photos/x")
    stored = objects(bucket)
    assert list(stored) == [sealed.name]
    assert b"secret evidence" not in stored[sealed.name]
    assert vault.unseal(sealed.name, sealed.key_id) == b"secret evidence"
    vault.destroy(sealed.name)
    assert objects(bucket) == {}
    with pytest.raises(vault.BlobMissing):
        vault.unseal(sealed.name, sealed.key_id)


@pytest.mark.django_db
def test_uploaded_photo_is_stored_encrypted_in_the_bucket_and_discard_removes_it(
    bucket: Any,
    visit: Visit,
    caseworker: User,
    resident_in_call: Participant,
    photo_request: PhotoRequest,
    django_capture_on_commit_callbacks: Any,
) -> None:
    photo = services.photo_upload(
        visit_id=visit.id,
        participant=resident_in_call,
        request_id=photo_request.id,
        data=jpeg_with_exif(),
    ).photo
    [(name, ciphertext)] = objects(bucket).items()
    assert name == photo.blob_name and name.startswith(f"photos/{visit.id}/")
    assert not ciphertext.startswith(b"\xff\xd8")  # not a JPEG: encrypted at rest
    plain = services.photo_read(photo=photo, by_user=caseworker, purpose="test")
    assert hashlib.sha256(plain).hexdigest() == photo.sha256
    assert b"PhoneMaker" not in plain
    with django_capture_on_commit_callbacks(execute=True):
        services.photo_discard(photo=photo, by_user=caseworker)
    assert objects(bucket) == {}


def test_orphaned_blobs_are_swept_on_s3(bucket: Any, visit: Visit) -> None:
    """The purge's sweep lists the bucket: blobs no row names go (after a day), keys stay."""
    from datetime import timedelta

    from django.utils import timezone

    from videocontact.evidence.retention import sweep_orphans

    orphan = vault.seal(b"orphan", prefix=f"photos/{visit.id}")
    secret = vault.seal(b"a secret", prefix="secrets/dossier")
    assert sweep_orphans(timezone.now()) == 0  # too young to be an orphan
    assert sweep_orphans(timezone.now() + timedelta(days=2)) == 1
    assert list(objects(bucket)) == [secret.name]
    assert orphan.name not in objects(bucket)
