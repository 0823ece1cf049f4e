"""Encrypted blob storage: AES-GCM at rest, key ids per blob, tamper detection, rotation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from cryptography.exceptions import InvalidTag

from videocontact.evidence import vault


@pytest.fixture(autouse=True)
def _own_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"
    settings.EVIDENCE_STORAGE = "local"


def test_round_trip_and_nothing_readable_on_disk(settings: Any) -> None:
    data = b"\xff\xd8\xff secret photo bytes " * 100
    sealed = vault.seal(data, prefix="photos/x")
    raw = (settings.EVIDENCE_DIR / sealed.name).read_bytes()
    assert b"secret photo bytes" not in raw
    assert len(raw) == len(data) + vault.NONCE_BYTES + 16
    assert vault.unseal(sealed.name, sealed.key_id) == data
    assert sealed.size == len(data) and len(sealed.sha256) == 64


def test_tampered_blob_is_refused(settings: Any) -> None:
    sealed = vault.seal(b"evidence", prefix="photos/x")
    path = settings.EVIDENCE_DIR / sealed.name
    raw = bytearray(path.read_bytes())
    raw[-1] ^= 1
    path.write_bytes(bytes(raw))
    with pytest.raises(InvalidTag):
        vault.unseal(sealed.name, sealed.key_id)


def test_blob_copied_under_another_name_is_refused(settings: Any) -> None:
    one = vault.seal(b"photo one", prefix="photos/x")
    two = vault.seal(b"photo two", prefix="photos/x")
    (settings.EVIDENCE_DIR / two.name).write_bytes((settings.EVIDENCE_DIR / one.name).read_bytes())
    with pytest.raises(InvalidTag):
        vault.unseal(two.name, two.key_id)


def test_key_rotation_keeps_old_blobs_readable(settings: Any) -> None:
    settings.EVIDENCE_KEYS = {"2025": os.urandom(32), "2026": os.urandom(32)}
    settings.EVIDENCE_ACTIVE_KEY_ID = "2025"
    old = vault.seal(b"old", prefix="p")
    settings.EVIDENCE_ACTIVE_KEY_ID = "2026"
    new = vault.seal(b"new", prefix="p")
    assert (old.key_id, new.key_id) == ("2025", "2026")
    assert vault.unseal(old.name, old.key_id) == b"old"
    assert vault.unseal(new.name, new.key_id) == b"new"


def test_destroy_removes_the_file(settings: Any) -> None:
    sealed = vault.seal(b"x", prefix="p")
    vault.destroy(sealed.name)
    with pytest.raises(vault.BlobMissing):
        vault.unseal(sealed.name, sealed.key_id)


@pytest.mark.parametrize("name", ["../etc/passwd", "/abs", "a//b", "a/./b", ""])
def test_local_store_refuses_names_outside_its_root(tmp_path: Path, name: str) -> None:
    with pytest.raises(ValueError):
        vault.LocalBlobStore(tmp_path).put(name, b"x")
