from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.urls import reverse

from videocontact.accounts.models import User
from videocontact.evidence.models import Photo, PhotoKind
from videocontact.visits.selectors import visit_for_staff


def photos_for_visit(visit_id: uuid.UUID, *, include_discarded: bool = False) -> list[Photo]:
    query = Photo.objects.filter(visit_id=visit_id)
    if not include_discarded:
        query = query.filter(discarded_at__isnull=True)
    return list(query.order_by("captured_at", "received_at"))


def photos_for_report(visit_id: uuid.UUID) -> list[Photo]:
    """The photos that belong in the report (and the case file): every photo not discarded, in
    capture order; a copy of an identity document only once it has been masked (an unmasked
    copy shows the citizen service number and stays out of everything that leaves the app)."""
    return [
        photo
        for photo in photos_for_visit(visit_id)
        if photo.kind != PhotoKind.ID_DOCUMENT or photo.masked_at is not None
    ]


def photo_for_staff(user: User, visit_id: uuid.UUID, photo_id: uuid.UUID) -> Photo | None:
    """A photo of a visit this staff member may manage, not discarded; None otherwise."""
    if visit_for_staff(user, visit_id) is None:
        return None
    return Photo.objects.filter(pk=photo_id, visit_id=visit_id, discarded_at__isnull=True).first()


# The label of the questionnaire question a photo answers ("Laat de vochtige plek zien"). The
# questionnaire is another feature app, so a higher layer registers `labels(visit_id)` →
# {question id: label} (the portal wires in the questionnaires' selector).
QuestionLabels = Callable[[uuid.UUID], dict[str, str]]
_question_labels: list[QuestionLabels] = []


def register_question_labels(labels: QuestionLabels) -> None:
    if labels not in _question_labels:
        _question_labels.append(labels)


def question_labels(visit_id: uuid.UUID) -> dict[str, str]:
    found: dict[str, str] = {}
    for labels in _question_labels:
        found.update(labels(visit_id))
    return found


def photo_frame(photo: Photo, labels: dict[str, str] | None = None) -> dict[str, Any]:
    """A photo as the caseworker's gallery shows it (room frames and the JSON list). `labels`:
    the visit's question labels, when the caller already has them (a list of photos)."""
    kwargs = {"visit_id": photo.visit_id, "photo_id": photo.id}
    if photo.question_id and labels is None:
        labels = question_labels(photo.visit_id)
    frame: dict[str, Any] = {
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
        frame["kind"] = photo.kind
        frame["masked"] = photo.masked_at is not None
        frame["maskUrl"] = reverse("evidence:photo_mask", kwargs=kwargs)
    return frame
