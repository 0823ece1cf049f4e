"""A photo as the caseworker's gallery shows it: in the "photo-added" and "photo-updated" room
frames (docs/protocol.md) and in the gallery's JSON list."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from videocontact.evidence.models import Photo, PhotoKind
from videocontact.evidence.selectors import question_labels


def photo_payload(photo: Photo, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """A photo as the caseworker's gallery shows it (room frames and the JSON list). `labels`:
    the visit's question labels, when the caller already has them (a list of photos)."""
    kwargs = {"visit_id": photo.visit_id, "photo_id": photo.id}
    if photo.question_id and labels is None:
        labels = question_labels(photo.visit_id)
    payload: dict[str, Any] = {
        "id": str(photo.id),
        "request": str(photo.request_id) if photo.request_id else None,
        "sha256": photo.sha256,
        "width": photo.width,
        "height": photo.height,
        "size": photo.size,
        "contentType": photo.content_type,
        "capturedAt": photo.captured_at.isoformat(),
        "caption": photo.caption,
        "question": photo.question_id or None,
        "questionLabel": (labels or {}).get(photo.question_id) if photo.question_id else None,
        "url": reverse("evidence:photo_image", kwargs=kwargs),
        "captionUrl": reverse("evidence:photo_caption", kwargs=kwargs),
        "discardUrl": reverse("evidence:photo_discard", kwargs=kwargs),
    }
    if photo.kind == PhotoKind.ID_DOCUMENT:
        payload["kind"] = photo.kind
        payload["masked"] = photo.masked_at is not None
        payload["maskUrl"] = reverse("evidence:photo_mask", kwargs=kwargs)
    return payload
