"""Encrypted blob storage for evidence (photos, reports): AES-256-GCM, one key id per blob.

A blob is stored as nonce (12 bytes) || ciphertext+tag. The blob's name is the associated data,
so a ciphertext copied under another name does not decrypt. Keys come from settings
(EVIDENCE_KEYS = {key_id: 32-byte key}); new blobs use EVIDENCE_ACTIVE_KEY_ID, old blobs keep the
key id they were written with, so keys can rotate without re-encrypting everything at once.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12


class BlobStore(Protocol):
    def put(self, name: str, data: bytes) -> None: ...
    def get(self, name: str) -> bytes: ...
    def delete(self, name: str) -> None: ...
    def listing(self) -> Iterator[tuple[str, datetime]]: ...  # (name, last modified)


class BlobMissing(Exception):
    pass


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, name: str) -> Path:
        parts = name.split("/")
        if not name or name.startswith("/") or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"bad blob name {name!r}")
        return self.root / name

    def put(self, name: str, data: bytes) -> None:
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        tmp.write_bytes(data)
        os.chmod(tmp, 0o600)
        tmp.replace(path)  # atomic: a reader never sees half a blob

    def get(self, name: str) -> bytes:
        try:
            return self._path(name).read_bytes()
        except FileNotFoundError as exc:
            raise BlobMissing(name) from exc

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def listing(self) -> Iterator[tuple[str, datetime]]:
        if not self.root.exists():
            return
        for path in self.root.rglob("*"):
            if path.is_file() and path.suffix != ".tmp":
                modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
                yield path.relative_to(self.root).as_posix(), modified


class S3BlobStore:
    """Any S3-compatible object store (MinIO, Ceph, AWS) through boto3."""

    def __init__(
        self, *, endpoint: str, bucket: str, access_key: str, secret_key: str, region: str
    ):
        import boto3

        self.bucket = bucket
        self.client = boto3.client(
            "s3",
            endpoint_url=endpoint or None,
            aws_access_key_id=access_key,
            aws_secret_access_key=secret_key,
            region_name=region or "us-east-1",
        )

    def put(self, name: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=name, Body=data)

    def get(self, name: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()
        except self.client.exceptions.NoSuchKey as exc:
            raise BlobMissing(name) from exc

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=name)

    def listing(self) -> Iterator[tuple[str, datetime]]:
        for page in self.client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket):
            for item in page.get("Contents", []):
                yield item["Key"], item["LastModified"]


@cache
def _store_for(kind: str, location: str) -> BlobStore:
    if kind == "local":
        return LocalBlobStore(Path(location))
    if kind == "s3":
        return S3BlobStore(
            endpoint=settings.EVIDENCE_S3_ENDPOINT,
            bucket=settings.EVIDENCE_S3_BUCKET,
            access_key=settings.EVIDENCE_S3_ACCESS_KEY,
            secret_key=settings.EVIDENCE_S3_SECRET_KEY,
            region=settings.EVIDENCE_S3_REGION,
        )
    raise ImproperlyConfigured(f"EVIDENCE_STORAGE must be 'local' or 's3', not {kind!r}")


def store() -> BlobStore:
    return _store_for(settings.EVIDENCE_STORAGE, str(settings.EVIDENCE_DIR))


def _key(key_id: str) -> bytes:
    try:
        key = settings.EVIDENCE_KEYS[key_id]
    except KeyError as exc:
        raise ImproperlyConfigured(f"no evidence key with id {key_id!r} is configured") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"evidence key {key_id!r} must be 32 bytes")
    return key


@dataclass(frozen=True)
class SealedBlob:
    name: str
    key_id: str
    sha256: str  # of the plaintext
    size: int  # of the plaintext


def new_blob_name(prefix: str) -> str:
    return f"{prefix}/{secrets.token_hex(2)}/{secrets.token_hex(16)}"


def seal(data: bytes, *, prefix: str) -> SealedBlob:
    """Encrypt and store `data` under a fresh random name."""
    key_id = settings.EVIDENCE_ACTIVE_KEY_ID
    name = new_blob_name(prefix)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(_key(key_id)).encrypt(nonce, data, name.encode())
    store().put(name, nonce + ciphertext)
    return SealedBlob(
        name=name, key_id=key_id, sha256=hashlib.sha256(data).hexdigest(), size=len(data)
    )


def unseal(name: str, key_id: str) -> bytes:
    """Read and decrypt a blob. Raises cryptography's InvalidTag when it was tampered with."""
    raw = store().get(name)
    return AESGCM(_key(key_id)).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], name.encode())


def destroy(name: str) -> None:
    store().delete(name)
