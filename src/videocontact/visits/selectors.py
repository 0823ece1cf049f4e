from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.accounts.selectors import VISIT_ROLES, units_for_user, user_can_manage_unit
from videocontact.visits.models import (
    GUEST_ROLES,
    Invitation,
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


# The caseworker's day ---------------------------------------------------------------------------


def _with_day_facts(visits: QuerySet[Visit]) -> QuerySet[Visit]:
    """Per visit, without a query per row: whether the resident's link works and was opened,
    and whether someone is waiting or in the call (residents and guests, not staff)."""
    resident_links = Invitation.objects.filter(
        participant__visit=OuterRef("pk"), participant__role=ParticipantRole.RESIDENT
    )
    guests_in = Participant.objects.filter(
        visit=OuterRef("pk"), user__isnull=True, removed_at__isnull=True
    )
    return visits.annotate(
        link_opened=Exists(resident_links.filter(use_count__gt=0)),
        link_active=Exists(
            resident_links.filter(revoked_at__isnull=True, valid_until__gt=timezone.now())
        ),
        someone_waiting=Exists(guests_in.filter(state=ParticipantState.WAITING)),
        someone_in_call=Exists(guests_in.filter(state=ParticipantState.ADMITTED)),
    )


def visits_search(user: User, query: str) -> QuerySet[Visit]:
    """The user's units' visits whose resident name or case number contains the query."""
    query = query.strip()[:100]
    return _with_day_facts(
        visits_for_staff(user).filter(
            Q(resident_name__icontains=query) | Q(case_reference__icontains=query)
        )
    ).order_by(F("scheduled_at").desc(nulls_first=True), "-created_at")


def my_visits_today(user: User) -> QuerySet[Visit]:
    """Today's visits the user runs or joins as second caseworker, by time; open visits without
    a time ("now") first."""
    today = timezone.localdate()
    as_colleague = Participant.objects.filter(
        user=user, role=ParticipantRole.COLLEAGUE, removed_at__isnull=True
    ).values("visit_id")
    mine = visits_for_staff(user).filter(Q(caseworker=user) | Q(pk__in=as_colleague))
    return _with_day_facts(
        mine.filter(
            Q(scheduled_at__date=today)
            | Q(scheduled_at__isnull=True, status__in=[VisitStatus.PLANNED, VisitStatus.ACTIVE])
        )
    ).order_by(F("scheduled_at").asc(nulls_first=True), "created_at")


def unit_visits_upcoming(user: User, exclude: QuerySet[Visit] | None = None) -> QuerySet[Visit]:
    """Open visits of the user's units from today on (and open ones left from earlier days)."""
    visits = visits_for_staff(user).filter(status__in=[VisitStatus.PLANNED, VisitStatus.ACTIVE])
    if exclude is not None:
        visits = visits.exclude(pk__in=exclude.values("pk"))
    return _with_day_facts(visits).order_by(F("scheduled_at").asc(nulls_first=True), "created_at")


def unit_visits_recent(user: User, days: int = 14) -> QuerySet[Visit]:
    """Ended or cancelled visits of the user's units of the last `days` days, newest first."""
    since = timezone.now() - timedelta(days=days)
    return _with_day_facts(
        visits_for_staff(user).filter(
            status__in=[VisitStatus.ENDED, VisitStatus.CANCELLED], created_at__gte=since
        )
    ).order_by(F("scheduled_at").desc(nulls_last=True), "-created_at")
