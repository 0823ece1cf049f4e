"""A visit's life: created, moved, cancelled, ended (each announced as a domain event)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import Process, User
from videocontact.privacy.audit import audit
from videocontact.visits import signals
from videocontact.visits.errors import (
    NotAllowed,
)
from videocontact.visits.models import (
    Invitation,
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)
from videocontact.visits.services.common import (
    IssuedInvitation,
    _lock_visit,
    _validity_window,
    staff_display_name,
)
from videocontact.visits.services.invitations import invitation_issue


@transaction.atomic
def visit_create(
    *,
    process: Process,
    caseworker: User,
    resident_name: str,
    resident_language: str = "nl",
    scheduled_at: datetime | None = None,
    case_reference: str = "",
) -> tuple[Visit, IssuedInvitation]:
    visit = Visit.objects.create(
        process=process,
        caseworker=caseworker,
        resident_name=resident_name.strip(),
        resident_language=resident_language,
        scheduled_at=scheduled_at,
        case_reference=case_reference.strip(),
    )
    Participant.objects.create(
        visit=visit,
        role=ParticipantRole.CASEWORKER,
        user=caseworker,
        display_name=staff_display_name(caseworker, process),
    )
    resident = Participant.objects.create(
        visit=visit, role=ParticipantRole.RESIDENT, display_name=visit.resident_name
    )
    audit(action="visit.created", obj=visit, actor_user=caseworker, visit_id=visit.id)
    issued = invitation_issue(participant=resident, by_user=caseworker)
    return visit, issued


def _close(visit: Visit, status: str, by_user: User | None) -> Visit | None:
    """Lock and close an open visit (everyone in the call or waiting has left); None if it was
    closed already."""
    visit = _lock_visit(visit.id)
    if not visit.is_open:
        return None
    now = timezone.now()
    visit.status = status
    visit.ended_at = now
    visit.save(update_fields=["status", "ended_at"])
    visit.participants.filter(
        state__in=[ParticipantState.ADMITTED, ParticipantState.WAITING]
    ).update(state=ParticipantState.LEFT, last_seen_at=now)
    audit(action=f"visit.{status}", obj=visit, actor_user=by_user, visit_id=visit.id)
    return visit


@transaction.atomic
def visit_end(*, visit: Visit, by_user: User) -> None:
    closed = _close(visit, VisitStatus.ENDED, by_user)
    if closed is None:
        return
    visit = closed
    # reports schedules the report (one per visit end), rooms sends everybody `ended`.
    signals.visit_ended.send(sender=Visit, visit=visit, by_user=by_user)


@transaction.atomic
def visit_reschedule(*, visit: Visit, scheduled_at: datetime, by_user: User) -> Visit:
    """Move a planned visit: the links' validity window moves with it; notifications cancels
    the old reminders, plans new ones and sends the new time (through `visit_rescheduled`)."""
    visit = _lock_visit(visit.id)
    if visit.status != VisitStatus.PLANNED:
        raise NotAllowed("only a planned visit can be moved")
    now = timezone.now()
    old = visit.scheduled_at
    if old == scheduled_at:
        return visit
    visit.scheduled_at = scheduled_at
    visit.save(update_fields=["scheduled_at"])
    valid_from, valid_until = _validity_window(scheduled_at, now)
    Invitation.objects.filter(participant__visit=visit, revoked_at__isnull=True).update(
        valid_from=valid_from, valid_until=valid_until
    )
    audit(
        action="visit.rescheduled",
        obj=visit,
        actor_user=by_user,
        visit_id=visit.id,
        old=old.isoformat() if old else None,
        new=scheduled_at.isoformat(),
    )
    signals.visit_rescheduled.send(sender=Visit, visit=visit, old_scheduled_at=old, by_user=by_user)
    return visit


@transaction.atomic
def visit_cancel(*, visit: Visit, by_user: User) -> Visit:
    """Cancel a visit that has not ended: links stop working, notices go out."""
    closed = _close(visit, VisitStatus.CANCELLED, by_user)
    if closed is None:
        return _lock_visit(visit.id)
    visit = closed
    signals.visit_cancelled.send(sender=Visit, visit=visit, by_user=by_user)
    return visit
