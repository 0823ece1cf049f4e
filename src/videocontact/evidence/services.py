"""Write side of evidence: ask for a photo, store it (cleaned, hashed, encrypted), caption it,
discard it. Every access to evidence is audited; room frames go out after commit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from cryptography.exceptions import InvalidTag
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.evidence import vault
from videocontact.evidence.errors import EvidenceError
from videocontact.evidence.hygiene import CleanImage, ImageRefused, clean_image
from videocontact.evidence.idcheck import id_check_enabled, idcopy_watermarked
from videocontact.evidence.models import Photo, PhotoKind, PhotoRequest
from videocontact.evidence.payloads import photo_payload
from videocontact.privacy.approvals import StorageNotApproved, storage_allowed
from videocontact.privacy.audit import audit
from videocontact.privacy.models import StorageKind
from videocontact.rooms import events
from videocontact.rooms.models import RoomConnection
from videocontact.visits.models import Participant, ParticipantRole, ParticipantState, Visit

log = structlog.get_logger("evidence")

CAPTION_MAX = 300
# hygiene.ImageRefused codes → HTTP status of the upload
IMAGE_REFUSED_STATUS = {"too_large": 413, "bad_type": 415, "too_many_pixels": 422, "corrupt": 422}


def _require_photos_approved(visit: Visit) -> None:
    if not storage_allowed(visit.process_id, StorageKind.PHOTOS):
        raise EvidenceError(
            StorageNotApproved.code, StorageNotApproved(StorageKind.PHOTOS).message, status=403
        )


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
    """Validate and clean the image (raises hygiene.ImageRefused), then encrypt and store it.
    Refused (StorageNotApproved) while the privacy officer has not approved photos."""
    _require_photos_approved(visit)
    clean = clean_image(data)
    if request is not None and request.kind == PhotoKind.ID_DOCUMENT:
        clean = idcopy_watermarked(clean, visit)  # no ID copy is kept without its watermark
    sealed = vault.seal(clean.data, prefix=f"photos/{visit.id}")
    try:
        photo = _photo_row(visit, request, requested_by, captured_by, captured_at, clean, sealed)
    except BaseException:
        vault.destroy(sealed.name)  # no row, no blob
        raise
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


def _photo_row(
    visit: Visit,
    request: PhotoRequest | None,
    requested_by: User | None,
    captured_by: Participant | None,
    captured_at: datetime | None,
    clean: CleanImage,
    sealed: vault.SealedBlob,
) -> Photo:
    with transaction.atomic():
        return Photo.objects.create(
            visit=visit,
            request=request,
            requested_by=requested_by,
            captured_by=captured_by,
            captured_at=captured_at or timezone.now(),
            question_id=request.question_id if request is not None else "",
            kind=request.kind if request is not None else PhotoKind.PHOTO,
            content_type=clean.content_type,
            width=clean.width,
            height=clean.height,
            size=sealed.size,
            sha256=sealed.sha256,
            blob_name=sealed.name,
            key_id=sealed.key_id,
        )


def photo_read(*, photo: Photo, by_user: User | None, purpose: str) -> bytes:
    """Decrypt a photo. Every read of evidence is audited, with its purpose."""
    if photo.is_discarded:
        raise EvidenceError("discarded", "this photo was discarded", status=404)
    try:
        data = vault.unseal(photo.blob_name, photo.key_id)
    except vault.BlobMissing as exc:
        raise EvidenceError("missing", "the stored photo is gone", status=404) from exc
    except InvalidTag as exc:
        # The ciphertext does not match its tag: changed on disk. Loud in the log, no 500.
        log.error("evidence.tampered", photo=str(photo.pk), visit=str(photo.visit_id))
        raise EvidenceError("unreadable", "the stored photo failed its integrity check") from exc
    audit(
        action="photo.read",
        obj=photo,
        actor_user=by_user,
        visit_id=photo.visit_id,
        purpose=purpose,
    )
    return data


def _request_expired(request: PhotoRequest, now: datetime) -> bool:
    return now - request.created_at > timedelta(seconds=settings.PHOTO_REQUEST_TTL_SECONDS)


@transaction.atomic
def photo_request_create(
    *,
    visit_id: uuid.UUID,
    by_user: User,
    target_id: uuid.UUID,
    from_peer: str,
    question_id: str = "",
    kind: str = PhotoKind.PHOTO,
) -> PhotoRequest:
    """The caseworker presses "take photo" for the resident. Relays a `take-photo` command with
    the request id to the resident's peer after commit; staff see `photo-requested`."""
    visit = Visit.objects.select_for_update().select_related("process").filter(pk=visit_id).first()
    if visit is None or not visit.is_open:
        raise EvidenceError("visit_closed", "the visit is not open", status=409)
    if not visit.process.stores_photos:
        raise EvidenceError("photos_not_allowed", "this process does not allow photos", status=403)
    _require_photos_approved(visit)
    if kind == PhotoKind.ID_DOCUMENT and not id_check_enabled(visit):
        raise EvidenceError("module_off", "the identity document check is off", status=403)
    target = Participant.objects.filter(pk=target_id, visit_id=visit.id).first()
    if target is None or target.role != ParticipantRole.RESIDENT:
        raise EvidenceError("not_resident", "photos can only be taken by the resident's camera")
    if (
        target.state != ParticipantState.ADMITTED
        or not RoomConnection.objects.filter(participant=target).exists()
    ):
        raise EvidenceError("not_in_call", "the resident is not in the call", status=409)
    now = timezone.now()
    open_requests = PhotoRequest.objects.filter(
        visit=visit,
        fulfilled_at__isnull=True,
        failed_reason="",
        created_at__gt=now - timedelta(seconds=settings.PHOTO_REQUEST_TTL_SECONDS),
    ).count()
    if open_requests >= settings.PHOTO_MAX_OPEN_REQUESTS:
        raise EvidenceError(
            "too_many_requests", "wait until the photos asked for have arrived", status=429
        )
    if Photo.objects.filter(visit=visit).count() >= settings.PHOTO_MAX_PER_VISIT:
        raise EvidenceError(
            "photo_limit", f"at most {settings.PHOTO_MAX_PER_VISIT} photos per visit", status=429
        )
    request = PhotoRequest.objects.create(
        visit=visit, requested_by=by_user, target=target, question_id=question_id, kind=kind
    )
    details: dict[str, Any] = {"target_participant": str(target.id)}
    if kind != PhotoKind.PHOTO:
        details["kind"] = kind
    audit(action="photo.requested", obj=request, actor_user=by_user, visit_id=visit.id, **details)
    command = {
        "type": "command",
        "from": from_peer,
        "id": str(request.id),
        "name": "take-photo",
        "request": str(request.id),
    }
    events.publish_on_commit(events.participant_group(target.id), events.frame_event(command))
    events.publish_on_commit(
        events.staff_group(visit.id),
        events.frame_event(
            {
                "type": "photo-requested",
                "request": str(request.id),
                "participantId": str(target.id),
                "question": question_id or None,
            }
        ),
    )
    return request


@transaction.atomic
def photo_request_fail(*, request_id: uuid.UUID, participant: Participant, code: str) -> bool:
    """The resident's page reports that it could not deliver the photo (camera off, upload
    refused or lost after its retries). The request closes, so it no longer counts as open.
    Returns False when there is no open request of that id aimed at this participant."""
    request = (
        PhotoRequest.objects.select_for_update()
        .filter(pk=request_id, target=participant, fulfilled_at__isnull=True, failed_reason="")
        .first()
    )
    if request is None:
        return False
    request.failed_reason = code[:80] or "failed"
    request.save(update_fields=["failed_reason"])
    audit(
        action="photo.failed",
        obj=request,
        actor_participant_id=participant.id,
        visit_id=request.visit_id,
        reason=request.failed_reason,
    )
    return True


@dataclass(frozen=True)
class Upload:
    photo: Photo
    created: bool  # False: a retried upload of a request that already has its photo


@transaction.atomic
def photo_upload(
    *, visit_id: uuid.UUID, participant: Participant, request_id: uuid.UUID, data: bytes
) -> Upload:
    """The resident's page sends the photo it took for an open request aimed at it. Once only:
    a retry of the same request returns the photo stored the first time."""
    request = (
        PhotoRequest.objects.select_for_update()
        .select_related("visit")
        .filter(pk=request_id, visit_id=visit_id)
        .first()
    )
    if request is None:
        raise EvidenceError("unknown_request", "no such photo request in this visit", status=404)
    if request.target_id != participant.id:
        raise EvidenceError("foreign_request", "this photo request is not for you", status=403)
    if request.fulfilled_at is not None:
        photo = Photo.objects.filter(request=request).first()
        if photo is not None and not photo.is_discarded:
            return Upload(photo=photo, created=False)
        raise EvidenceError("request_used", "this photo request has been used", status=409)
    if request.failed_reason:
        raise EvidenceError("request_closed", "this photo request was closed", status=409)
    if _request_expired(request, timezone.now()):
        raise EvidenceError("request_expired", "this photo request has expired", status=410)
    if not request.visit.is_open:
        raise EvidenceError("visit_closed", "the visit is not open", status=409)
    if Photo.objects.filter(visit_id=visit_id).count() >= settings.PHOTO_MAX_PER_VISIT:
        raise EvidenceError(
            "photo_limit", f"at most {settings.PHOTO_MAX_PER_VISIT} photos per visit", status=429
        )
    try:
        photo = photo_store(  # atomic itself: a savepoint here
            visit=request.visit,
            data=data,
            requested_by=request.requested_by,
            captured_by=participant,
            request=request,
        )
    except ImageRefused as exc:
        raise EvidenceError(
            exc.code, exc.message, status=IMAGE_REFUSED_STATUS.get(exc.code, 400)
        ) from exc
    except IntegrityError:
        # A parallel upload of the same request won (where the row lock does not serialise,
        # as on SQLite): the request has its photo, which this retry gets too.
        existing = Photo.objects.filter(request_id=request.id, discarded_at__isnull=True).first()
        if existing is None:
            raise
        return Upload(photo=existing, created=False)
    events.publish_on_commit(
        events.staff_group(visit_id),
        lambda: events.frame_event(
            {"type": "photo-added", "photo": photo_payload(Photo.objects.get(pk=photo.pk))}
        ),
    )
    return Upload(photo=photo, created=True)


@transaction.atomic
def photo_caption(*, photo: Photo, by_user: User, caption: str) -> Photo:
    caption = " ".join(caption.split())
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in caption):
        raise EvidenceError("invalid", "a caption may not contain control characters")
    if len(caption) > CAPTION_MAX:
        raise EvidenceError("caption_too_long", f"a caption may have {CAPTION_MAX} characters")
    photo = Photo.objects.select_for_update().get(pk=photo.pk)
    if photo.is_discarded:
        raise EvidenceError("discarded", "this photo was discarded", status=404)
    if caption == photo.caption:
        return photo
    photo.caption = caption
    photo.save(update_fields=["caption"])
    audit(
        action="photo.captioned",
        obj=photo,
        actor_user=by_user,
        visit_id=photo.visit_id,
        length=len(caption),
    )
    events.publish_on_commit(
        events.staff_group(photo.visit_id),
        lambda: events.frame_event(
            {"type": "photo-updated", "photo": photo_payload(Photo.objects.get(pk=photo.pk))}
        ),
    )
    return photo


# Apps above evidence that keep a photo (reports: a built report holds it) register a check
# `holds(photo) -> bool`; a held photo cannot be discarded.
PhotoHolder = Callable[[Photo], bool]
_holders: list[PhotoHolder] = []


def register_photo_holder(holds: PhotoHolder) -> None:
    if holds not in _holders:
        _holders.append(holds)


def photo_held(photo: Photo) -> bool:
    """Whether an app above keeps this photo (a built report holds it)."""
    return any(holds(photo) for holds in _holders)


@transaction.atomic
def photo_discard(*, photo: Photo, by_user: User) -> Photo:
    """The photo leaves the gallery and the report. Its row stays for the audit trail; the
    encrypted blob is destroyed after commit (privacy: a discarded photo is not kept)."""
    photo = Photo.objects.select_for_update().select_related("visit").get(pk=photo.pk)
    if photo.is_discarded:
        return photo
    if not photo.visit.is_open or photo_held(photo):
        # A sealed report (and perhaps the case file) holds this photo already: discarding it
        # here would leave it there while the trail said it was gone.
        raise EvidenceError(
            "in_report", "this photo is part of a report already and stays", status=409
        )
    photo.discarded_at = timezone.now()
    photo.discarded_by = by_user
    photo.save(update_fields=["discarded_at", "discarded_by"])
    audit(
        action="photo.discarded",
        obj=photo,
        actor_user=by_user,
        visit_id=photo.visit_id,
        sha256=photo.sha256,
        blob_destroyed=True,
    )
    blob_name = photo.blob_name
    transaction.on_commit(lambda: vault.destroy(blob_name))
    events.publish_on_commit(
        events.staff_group(photo.visit_id),
        events.frame_event({"type": "photo-discarded", "id": str(photo.id)}),
    )
    return photo
