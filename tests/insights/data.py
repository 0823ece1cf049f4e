"""Test data for the insights figures: staff with sign-ins and visits in given states, written
directly (these are facts about the past, not actions under test)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from tests import factories
from videocontact.accounts.models import Process, Role, Unit, User
from videocontact.insights.models import LoginEvent
from videocontact.visits.models import (
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)


def at(day: str, hour: int = 10) -> datetime:
    """A moment in the server's time zone, e.g. at("2026-03-02")."""
    return timezone.make_aware(datetime.fromisoformat(day).replace(hour=hour))


def staff(unit: Unit, *, joined: datetime, logins: list[datetime] = (), **kw: Any) -> User:  # type: ignore[assignment]
    user = factories.make_user(unit=unit, role=Role.CASEWORKER, **kw)
    User.objects.filter(pk=user.pk).update(date_joined=joined)
    for moment in logins:
        LoginEvent.objects.create(user=user, at=moment)
    user.refresh_from_db()
    return user


def visit(
    process: Process,
    caseworker: User,
    *,
    when: datetime,
    outcome: str = "held",
    minutes: float = 30,
    resident_language: str = "nl",
    extra_staff: list[User] = (),  # type: ignore[assignment]
) -> Visit:
    """outcome: held, no_show, declined, cancelled, planned."""
    v, _ = factories.make_visit(
        process=process, caseworker=caseworker, resident_language=resident_language
    )
    resident = factories.resident_of(v)
    fields: dict[str, Any] = {"scheduled_at": when, "created_at": when - timedelta(days=3)}
    if outcome in ("held", "no_show"):
        fields |= {"started_at": when, "ended_at": when + timedelta(minutes=minutes)}
        fields["status"] = VisitStatus.ENDED
        for user in [caseworker, *extra_staff]:
            Participant.objects.update_or_create(
                visit=v,
                user=user,
                defaults={
                    "role": ParticipantRole.CASEWORKER
                    if user == caseworker
                    else ParticipantRole.COLLEAGUE,
                    "display_name": user.first_name,
                    "state": ParticipantState.LEFT,
                    "admitted_at": when,
                },
            )
    if outcome == "held":
        Participant.objects.filter(pk=resident.pk).update(
            state=ParticipantState.LEFT, consented_at=when, admitted_at=when + timedelta(minutes=1)
        )
    elif outcome == "declined":
        Participant.objects.filter(pk=resident.pk).update(state=ParticipantState.DECLINED)
        fields["status"] = VisitStatus.CANCELLED
        fields["ended_at"] = when
    elif outcome == "cancelled":
        fields["status"] = VisitStatus.CANCELLED
        fields["ended_at"] = when - timedelta(days=1)
    Visit.objects.filter(pk=v.pk).update(**fields)
    v.refresh_from_db()
    return v
