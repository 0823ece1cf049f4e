from __future__ import annotations

import uuid

from videocontact.privacy.models import RetentionClock


def retention_clock_for(visit_id: uuid.UUID) -> RetentionClock | None:
    return RetentionClock.objects.filter(visit_id=visit_id).first()
