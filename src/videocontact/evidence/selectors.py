from __future__ import annotations

import uuid

from videocontact.accounts.models import User
from videocontact.evidence.models import Photo
from videocontact.visits.selectors import visit_for_staff


def photos_for_visit(visit_id: uuid.UUID, *, include_discarded: bool = False) -> list[Photo]:
    query = Photo.objects.filter(visit_id=visit_id)
    if not include_discarded:
        query = query.filter(discarded_at__isnull=True)
    return list(query.order_by("captured_at", "received_at"))


def photos_for_report(visit_id: uuid.UUID) -> list[Photo]:
    """The photos that belong in the report: every photo not discarded, in capture order."""
    return photos_for_visit(visit_id)


def photo_for_staff(user: User, visit_id: uuid.UUID, photo_id: uuid.UUID) -> Photo | None:
    """A photo of a visit this staff member may manage, not discarded; None otherwise."""
    if visit_for_staff(user, visit_id) is None:
        return None
    return Photo.objects.filter(pk=photo_id, visit_id=visit_id, discarded_at__isnull=True).first()
