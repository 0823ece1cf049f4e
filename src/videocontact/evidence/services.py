"""Write side of evidence: store a photo (cleaned, hashed, encrypted), caption it, discard it."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.evidence import vault
from videocontact.evidence.hygiene import clean_image
from videocontact.evidence.models import Photo, PhotoRequest
from videocontact.privacy.services import audit
from videocontact.visits.models import Participant, Visit


@transaction.atomic
def photo_store(
    *,
    visit: Visit,
    data: bytes,
    requested_by: User | None,
    captured_by: Participant | None,
    request: PhotoRequest | None = None,
    captured_at: datetime | None = None,
) -> Photo:
    """Validate and clean the image (raises hygiene.ImageRefused), then encrypt and store it."""
    clean = clean_image(data)
    sealed = vault.seal(clean.data, prefix=f"photos/{visit.id}")
    photo = Photo.objects.create(
        visit=visit,
        request=request,
        requested_by=requested_by,
        captured_by=captured_by,
        captured_at=captured_at or timezone.now(),
        content_type=clean.content_type,
        width=clean.width,
        height=clean.height,
        size=sealed.size,
        sha256=sealed.sha256,
        blob_name=sealed.name,
        key_id=sealed.key_id,
    )
    if request is not None:
        request.fulfilled_at = timezone.now()
        request.save(update_fields=["fulfilled_at"])
    audit(
        action="photo.stored",
        obj=photo,
        actor_participant_id=captured_by.id if captured_by else None,
        visit_id=visit.id,
        sha256=photo.sha256,
        width=photo.width,
        height=photo.height,
        requested_by=requested_by.pk if requested_by else None,
    )
    return photo


def photo_read(*, photo: Photo, by_user: User | None, purpose: str) -> bytes:
    """Decrypt a photo. Every read of evidence is audited, with its purpose."""
    data = vault.unseal(photo.blob_name, photo.key_id)
    audit(
        action="photo.read",
        obj=photo,
        actor_user=by_user,
        visit_id=photo.visit_id,
        purpose=purpose,
    )
    return data
