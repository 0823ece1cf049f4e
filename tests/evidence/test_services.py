"""Storing a photo: cleaned, hashed, encrypted, audited; reading it is audited too."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from tests.evidence.test_hygiene import jpeg, jpeg_with_exif
from videocontact.evidence import selectors, services
from videocontact.evidence.hygiene import ImageRefused
from videocontact.evidence.models import Photo
from videocontact.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_dir(settings: Any, tmp_path: Path) -> None:
    settings.EVIDENCE_DIR = tmp_path / "evidence"


def test_store_cleans_hashes_encrypts_and_audits(
    visit: Any, caseworker: Any, resident: Any
) -> None:
    photo = services.photo_store(
        visit=visit, data=jpeg_with_exif(), requested_by=caseworker, captured_by=resident
    )
    plain = services.photo_read(photo=photo, by_user=caseworker, purpose="gallery")
    assert b"PhoneMaker" not in plain
    assert hashlib.sha256(plain).hexdigest() == photo.sha256
    assert (photo.width, photo.height, photo.size) == (64, 48, len(plain))
    actions = list(
        AuditEvent.objects.filter(object_id=str(photo.pk)).values_list("action", flat=True)
    )
    assert actions == ["photo.stored", "photo.read"]


def test_refused_image_stores_nothing(visit: Any, caseworker: Any) -> None:
    with pytest.raises(ImageRefused):
        services.photo_store(
            visit=visit, data=b"not an image", requested_by=caseworker, captured_by=None
        )
    assert not Photo.objects.exists()


def test_selectors_leave_out_discarded_photos(visit: Any, caseworker: Any) -> None:
    kept = services.photo_store(visit=visit, data=jpeg(), requested_by=caseworker, captured_by=None)
    gone = services.photo_store(
        visit=visit, data=jpeg(32, 32), requested_by=caseworker, captured_by=None
    )
    Photo.objects.filter(pk=gone.pk).update(discarded_at=gone.captured_at)
    assert selectors.photos_for_report(visit.id) == [kept]
    assert len(selectors.photos_for_visit(visit.id, include_discarded=True)) == 2
