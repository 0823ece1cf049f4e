"""The visit's own personal data past its term, and visits that were never ended."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db import transaction
from django.db.models import Max, Q

from videocontact.privacy.purge import abandoned_before, register_closer, register_purger
from videocontact.visits.models import Participant, Visit, VisitStatus
from videocontact.visits.services import visit_end

PURGED_NAME = "—"


@transaction.atomic
def purge_visit_personal_data(visit_id: uuid.UUID) -> dict[str, int]:
    """The row stays (statistics, the audit trail refer to it); the names go."""
    visits = Visit.objects.filter(pk=visit_id).exclude(resident_name=PURGED_NAME)
    count = visits.update(resident_name=PURGED_NAME, case_reference="")
    names = Participant.objects.filter(visit_id=visit_id, user__isnull=True).update(
        display_name=PURGED_NAME, device_hash=""
    )
    return {"visits": count, "participants": names}


def close_abandoned(now: datetime) -> int:
    """A visit still in progress that nobody has been seen in since VISIT_AUTO_END_HOURS (the
    caseworker closed the tab) is ended, so its report is made and filed as usual."""
    cutoff = abandoned_before(now)
    stale = (
        Visit.objects.filter(status=VisitStatus.ACTIVE)
        .annotate(last_seen=Max("participants__last_seen_at"))
        .filter(Q(last_seen__lt=cutoff) | Q(last_seen__isnull=True, started_at__lt=cutoff))
    )
    closed = 0
    for visit in stale:
        visit_end(visit=visit, by_user=None)  # type: ignore[arg-type]
        closed += 1
    return closed


register_purger("visits", purge_visit_personal_data, order=90)
register_closer(close_abandoned)
