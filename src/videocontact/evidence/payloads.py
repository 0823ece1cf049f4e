"""A photo as the caseworker's gallery shows it: in the "photo-added" and "photo-updated" room
frames (docs/protocol.md) and in the gallery's JSON list."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from videocontact.evidence.models import Photo


def photo_payload(photo: Photo) -> dict[str, Any]:
    """A photo as the caseworker's gallery shows it (room frames and the JSON list)."""
    kwargs = {"visit_id": photo.visit_id, "photo_id": photo.id}
    return {
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
        "url": reverse("evidence:photo_image", kwargs=kwargs),
        "captionUrl": reverse("evidence:photo_caption", kwargs=kwargs),
        "discardUrl": reverse("evidence:photo_discard", kwargs=kwargs),
    }
