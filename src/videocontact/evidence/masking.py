"""Masking an ID copy (the identity document check, idcheck.py): the caseworker paints areas
over the citizen service number and the passport photo. The masked image replaces the stored
one and the previous blob is destroyed: the unmasked original is not kept. Audited like all
evidence."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.evidence import idcopy, vault
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.idcheck import id_check_enabled
from videocontact.evidence.models import Photo, PhotoKind
from videocontact.evidence.payloads import photo_payload
from videocontact.evidence.services import photo_held, photo_read
from videocontact.privacy.audit import audit
from videocontact.rooms import events


@transaction.atomic
def photo_mask(*, photo: Photo, by_user: User, areas: Any) -> Photo:
    """Paint the areas over (image pixels, [[x, y, w, h], ...]) and keep only the result."""
    photo = (
        Photo.objects.select_for_update().select_related("visit__process__unit").get(pk=photo.pk)
    )
    if photo.kind != PhotoKind.ID_DOCUMENT:
        raise EvidenceError("not_an_id_copy", "only a copy of an identity document is masked")
    if photo.is_discarded:
        raise EvidenceError("discarded", "this photo was discarded", status=404)
    if photo_held(photo):  # an unmasked copy is in no report (selectors.photos_for_report)
        raise EvidenceError("in_report", "this photo is part of a report already", status=409)
    if not id_check_enabled(photo.visit):
        raise EvidenceError("module_off", "the identity document check is off", status=403)
    try:
        rects = idcopy.parse_rects(areas, photo.width, photo.height)
    except idcopy.MaskRefused as exc:
        raise EvidenceError(exc.code, str(exc)) from exc
    original = photo_read(photo=photo, by_user=by_user, purpose="mask")
    masked = idcopy.burn_masks(original, rects)
    sealed = vault.seal(masked, prefix=f"photos/{photo.visit_id}")
    try:
        old_blob, old_sha = photo.blob_name, photo.sha256
        photo.blob_name, photo.key_id = sealed.name, sealed.key_id
        photo.sha256, photo.size = sealed.sha256, sealed.size
        photo.content_type = "image/jpeg"
        photo.masked_at, photo.masked_by = timezone.now(), by_user
        photo.save()
        audit(
            action="photo.masked",
            obj=photo,
            actor_user=by_user,
            visit_id=photo.visit_id,
            areas=len(rects),
            previous_sha256=old_sha,
            sha256=photo.sha256,
            previous_blob_destroyed=True,
        )
    except BaseException:
        vault.destroy(sealed.name)
        raise
    transaction.on_commit(lambda: vault.destroy(old_blob))  # the unmasked image is not kept
    events.publish_on_commit(
        events.staff_group(photo.visit_id),
        lambda: events.frame_event(
            {"type": "photo-updated", "photo": photo_payload(Photo.objects.get(pk=photo.pk))}
        ),
    )
    return photo
