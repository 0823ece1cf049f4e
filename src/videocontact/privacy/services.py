from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import structlog
from django.db import transaction

from videocontact.privacy.models import AuditEvent, RetentionClock

if TYPE_CHECKING:  # privacy sits below visits: the model is reached through the relation
    from videocontact.visits.models import Visit

log = structlog.get_logger("audit")


def audit(
    *,
    action: str,
    obj: Any,
    actor_user: Any = None,
    actor_participant_id: uuid.UUID | None = None,
    visit_id: uuid.UUID | None = None,
    **data: Any,
) -> AuditEvent:
    """Record one sensitive action. Call inside the service's transaction."""
    event = AuditEvent.objects.create(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        actor_user=actor_user if getattr(actor_user, "is_authenticated", False) else None,
        actor_participant_id=actor_participant_id,
        visit_id=visit_id,
        data=data,
    )
    log.info(action, object=f"{event.object_type}:{event.object_id}", visit=str(visit_id or ""))
    return event


@transaction.atomic
def retention_start(*, visit: Visit, started_at: datetime, reason: str) -> RetentionClock:
    """Start the retention clock of a visit: purge after `started_at + process.retention_days`.

    Idempotent: a clock that already runs is returned unchanged (a second export, a report built
    again or a retried job never extends nor restarts it)."""
    visit_model = RetentionClock._meta.get_field("visit").related_model
    visit_model._default_manager.select_for_update().filter(pk=visit.pk).first()
    clock = RetentionClock.objects.filter(visit=visit).first()
    if clock is not None:
        return clock
    days = visit.process.retention_days
    clock = RetentionClock.objects.create(
        visit=visit,
        started_at=started_at,
        purge_after=started_at + timedelta(days=days),
        reason=reason,
    )
    audit(
        action="retention.started",
        obj=clock,
        visit_id=visit.id,
        reason=reason,
        retention_days=days,
        purge_after=clock.purge_after.isoformat(),
    )
    return clock
