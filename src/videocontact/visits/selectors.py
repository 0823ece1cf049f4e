from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from videocontact.accounts.models import User
from videocontact.accounts.selectors import VISIT_ROLES, units_for_user, user_can_manage_unit
from videocontact.visits.models import (
    GUEST_ROLES,
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)

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


def visit_by_id(visit_id: uuid.UUID | str) -> Visit | None:
    return Visit.objects.select_related("process__unit__organisation").filter(pk=visit_id).first()


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


def guests_for_visit(visit: Visit) -> QuerySet[Participant]:
    """Interpreters, family members and second caseworkers who have not been removed."""
    return visit.participants.filter(role__in=GUEST_ROLES, removed_at__isnull=True).order_by(
        "created_at"
    )


def expected_count(visit: Visit) -> int:
    """Everyone who may still come into the call: not removed, not declined, not refused."""
    return (
        visit.participants.filter(removed_at__isnull=True)
        .exclude(state__in=[ParticipantState.DECLINED, ParticipantState.DENIED])
        .count()
    )


def colleague_choices(visit: Visit) -> QuerySet[User]:
    """Staff who may run visits of the visit's unit, except those already taking part."""
    taking_part = visit.participants.filter(
        user__isnull=False, removed_at__isnull=True
    ).values_list("user_id", flat=True)
    return (
        User.objects.filter(
            is_active=True,
            memberships__unit=visit.process.unit,
            memberships__role__in=VISIT_ROLES,
        )
        .exclude(pk__in=taking_part)
        .exclude(pk=visit.caseworker_id)
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


def visits_as_colleague(user: User) -> QuerySet[Visit]:
    """Open visits of the user's units to which a caseworker added them as second caseworker."""
    return (
        visits_for_staff(user)
        .filter(
            status__in=[VisitStatus.PLANNED, VisitStatus.ACTIVE],
            participants__user=user,
            participants__role=ParticipantRole.COLLEAGUE,
            participants__removed_at__isnull=True,
        )
        .distinct()
    )
