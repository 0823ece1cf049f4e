from __future__ import annotations

import uuid

from videocontact.evidence.models import Photo


def photos_for_visit(visit_id: uuid.UUID, *, include_discarded: bool = False) -> list[Photo]:
    query = Photo.objects.filter(visit_id=visit_id)
    if not include_discarded:
        query = query.filter(discarded_at__isnull=True)
    return list(query.order_by("captured_at", "received_at"))


def photos_for_report(visit_id: uuid.UUID) -> list[Photo]:
    """The photos that belong in the report: every photo not discarded, in capture order."""
    return photos_for_visit(visit_id)
