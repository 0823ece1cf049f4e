"""Consent and the way into the call: the waiting room, admit, deny, leave; staff join at once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.privacy.audit import audit
from videocontact.privacy.models import ConsentDecision, ConsentRecord
from videocontact.visits import signals
from videocontact.visits.errors import (
    Denied,
    NotAllowed,
    NotWaiting,
    RoomFull,
)
from videocontact.visits.models import (
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)
from videocontact.visits.occupancy import places_taken
from videocontact.visits.services.common import (
    _lock_visit,
    consent_text_version,
    publish_lobby,
    publish_presence,
    staff_display_name,
)


@transaction.atomic
def consent_record(*, participant: Participant, accepted: bool, language: str) -> None:
    decision = ConsentDecision.ACCEPTED if accepted else ConsentDecision.DECLINED
    text_version = consent_text_version(participant.role)
    ConsentRecord.objects.create(
        participant=participant,
        decision=decision,
        text_version=text_version,
        language=language,
    )
    if not accepted:
        participant.state = ParticipantState.DECLINED
        participant.consented_at = None
    elif participant.state in (ParticipantState.INVITED, ParticipantState.DECLINED):
        # Only a first "yes" moves the participant on: saying yes again (the back button)
        # must not take someone out of the waiting room or the call.
        participant.state = ParticipantState.CONSENTED
        participant.consented_at = timezone.now()
    participant.save(update_fields=["state", "consented_at"])
    audit(
        action=f"consent.{decision}",
        obj=participant,
        actor_participant_id=participant.id,
        visit_id=participant.visit_id,
        text_version=text_version,
        language=language,
    )
    publish_lobby(participant.visit_id)


def _recently_admitted(participant: Participant, now: datetime) -> bool:
    grace = timedelta(seconds=settings.ROOM_RECONNECT_GRACE_SECONDS)
    return (
        participant.state == ParticipantState.ADMITTED
        and participant.last_seen_at is not None
        and participant.last_seen_at >= now - grace
    )


def _admit(visit: Visit, participant: Participant, now: datetime) -> None:
    if places_taken(visit.id, exclude=participant.id) >= settings.VISIT_MAX_PARTICIPANTS:
        raise RoomFull("the call already has the maximum number of participants")
    participant.state = ParticipantState.ADMITTED
    participant.admitted_at = now
    participant.last_seen_at = now
    participant.save(update_fields=["state", "admitted_at", "last_seen_at"])
    if visit.status == VisitStatus.PLANNED:
        visit.status = VisitStatus.ACTIVE
        visit.started_at = now
        visit.save(update_fields=["status", "started_at"])


@transaction.atomic
def participant_enter_room(*, participant: Participant, is_staff: bool) -> str:
    """Called when a participant's socket connects. Returns the resulting state.

    Staff who may manage the visit are admitted at once; an admitted participant who reconnects
    within the grace period keeps their place; everyone else waits to be admitted.
    Raises RoomFull for staff when the call is full.
    """
    now = timezone.now()
    visit = _lock_visit(participant.visit_id)
    participant.refresh_from_db()
    if not visit.is_open:
        raise NotAllowed("the visit has ended")
    if participant.state == ParticipantState.DECLINED:
        raise NotAllowed("the participant declined")
    if participant.removed_at is not None:
        raise NotAllowed("the caseworker removed this participant from the visit")
    if participant.state == ParticipantState.DENIED and not is_staff:
        raise Denied("the caseworker did not let this participant in")
    if is_staff:
        if not _recently_admitted(participant, now):
            _admit(visit, participant, now)
            audit(
                action="participant.joined",
                obj=participant,
                actor_user=participant.user,
                visit_id=visit.id,
            )
    elif not _recently_admitted(participant, now):
        if participant.state in (ParticipantState.INVITED,):
            raise NotAllowed("consent is needed first")
        participant.state = ParticipantState.WAITING
        participant.waiting_since = now
        participant.save(update_fields=["state", "waiting_since"])
    participant.last_seen_at = now
    participant.save(update_fields=["last_seen_at"])
    return participant.state


@transaction.atomic
def participant_admit(*, participant: Participant, by_user: User) -> None:
    now = timezone.now()
    visit = _lock_visit(participant.visit_id)
    participant.refresh_from_db()
    if participant.state != ParticipantState.WAITING:
        raise NotWaiting("this participant is not in the waiting room")
    _admit(visit, participant, now)
    audit(action="participant.admitted", obj=participant, actor_user=by_user, visit_id=visit.id)
    signals.participant_admitted.send(sender=Participant, participant=participant, by_user=by_user)


@transaction.atomic
def participant_deny(*, participant: Participant, by_user: User) -> None:
    participant.refresh_from_db()
    if participant.state != ParticipantState.WAITING:
        raise NotWaiting("this participant is not in the waiting room")
    participant.state = ParticipantState.DENIED
    participant.save(update_fields=["state"])
    audit(
        action="participant.denied",
        obj=participant,
        actor_user=by_user,
        visit_id=participant.visit_id,
    )
    signals.participant_denied.send(sender=Participant, participant=participant, by_user=by_user)


@transaction.atomic
def participant_leave(*, participant: Participant) -> None:
    participant.refresh_from_db()
    participant.state = ParticipantState.LEFT
    participant.last_seen_at = timezone.now()
    participant.save(update_fields=["state", "last_seen_at"])
    audit(
        action="participant.left",
        obj=participant,
        actor_participant_id=participant.id,
        visit_id=participant.visit_id,
    )
    publish_presence(participant.visit_id)


@transaction.atomic
def staff_participant_get_or_create(*, visit: Visit, user: User) -> Participant:
    """The participant row of a staff member who may manage the visit (second caseworker too)."""
    participant = Participant.objects.filter(visit=visit, user=user).first()
    if participant is not None:
        return participant
    role = (
        ParticipantRole.CASEWORKER if visit.caseworker_id == user.pk else ParticipantRole.COLLEAGUE
    )
    participant = Participant.objects.create(
        visit=visit, role=role, user=user, display_name=staff_display_name(user, visit.process)
    )
    audit(action="participant.staff_added", obj=participant, actor_user=user, visit_id=visit.id)
    return participant
