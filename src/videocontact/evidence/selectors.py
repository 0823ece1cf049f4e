from __future__ import annotations

import uuid
from collections.abc import Callable

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
