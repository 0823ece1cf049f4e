from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from videocontact.accounts.models import User
from videocontact.accounts.selectors import units_for_user, user_can_manage_unit
from videocontact.visits.models import Participant, Visit

SESSION_KEY = "vc_participants"


def visits_for_staff(user: User) -> QuerySet[Visit]:
    return (
        Visit.objects.filter(process__unit__in=units_for_user(user))
        .select_related("process", "process__unit", "caseworker")
        .order_by("-created_at")
    )


def visit_for_staff(user: User, visit_id: uuid.UUID) -> Visit | None:
    visit = (
        Visit.objects.select_related("process__unit__organisation", "caseworker")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None or not user_can_manage_unit(user, visit.process.unit):
        return None
    return visit


def session_participant_id(session: Any, visit_id: uuid.UUID | str) -> str | None:
    mapping = session.get(SESSION_KEY) or {}
    value = mapping.get(str(visit_id))
    return value if isinstance(value, str) else None


def participant_from_session(session: Any, visit_id: uuid.UUID) -> Participant | None:
    participant_id = session_participant_id(session, visit_id)
    if participant_id is None:
        return None
    return (
        Participant.objects.select_related("visit__process__unit__organisation")
        .filter(pk=participant_id, visit_id=visit_id, user__isnull=True)
        .first()
    )


def participant_in_visit(visit_id: uuid.UUID, participant_id: uuid.UUID) -> Participant | None:
    """A participant of this visit only: ids from another visit find nothing."""
    return Participant.objects.filter(pk=participant_id, visit_id=visit_id).first()
