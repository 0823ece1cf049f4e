"""The audit trail's one entry point: `audit()` records a sensitive action in the hash chain.

A leaf of the privacy app (it needs only the models and the chain), so every module of every
app may call it, including the rest of privacy (approvals, modules, purge, services)."""

from __future__ import annotations

import uuid
from typing import Any

import structlog
from django.utils import timezone

from videocontact.privacy import chain
from videocontact.privacy.models import AuditEvent

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
    event = chain.append(
        AuditEvent(
            at=timezone.now(),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            actor_user=actor_user if getattr(actor_user, "is_authenticated", False) else None,
            actor_participant_id=actor_participant_id,
            visit_id=visit_id,
            data=data,
        )
    )
    log.info(action, object=f"{event.object_type}:{event.object_id}", visit=str(visit_id or ""))
    return event
