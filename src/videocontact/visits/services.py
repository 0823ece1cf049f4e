"""Write side of visits: create, invite, redeem, consent, admit, deny, leave, end."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import Process, User
from videocontact.accounts.selectors import user_can_manage_unit
from videocontact.privacy.models import ConsentDecision, ConsentRecord
from videocontact.privacy.services import audit
from videocontact.visits import signals
from videocontact.visits.errors import (
    Denied,
    GuestError,
    InvitationError,
    NotAllowed,
    NotWaiting,
    RoomFull,
)
from videocontact.visits.models import (
    GUEST_ROLES,
    Invitation,
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
    VisitStatus,
)
from videocontact.visits.occupancy import places_taken
from videocontact.visits.tokens import hash_token, looks_like_token, new_token

CONSENT_TEXT_VERSION = "2026-11-v1"
# Guests consent to taking part, not to the processing of the resident's data: their own text.
GUEST_CONSENT_TEXT_VERSIONS = {
    ParticipantRole.INTERPRETER: "2026-12-interpreter-v1",
    ParticipantRole.FAMILY: "2026-12-family-v1",
}
# At most this many guests (interpreters, family members, colleagues) per visit, beyond the
# caseworker and the resident: enough for a stand-in interpreter, not an open list.
MAX_GUESTS = 4


def consent_text_version(role: str) -> str:
    return GUEST_CONSENT_TEXT_VERSIONS.get(role, CONSENT_TEXT_VERSION)  # type: ignore[call-overload]


@dataclass(frozen=True)
class IssuedInvitation:
    invitation: Invitation
    token: str  # shown once; never stored


def _validity_window(scheduled_at: datetime | None, now: datetime) -> tuple[datetime, datetime]:
    if scheduled_at is None:
        return now, now + timedelta(minutes=settings.INVITATION_IMMEDIATE_VALID_MINUTES)
    opens = scheduled_at - timedelta(minutes=settings.INVITATION_VALID_BEFORE_MINUTES)
    closes = scheduled_at + timedelta(minutes=settings.INVITATION_VALID_AFTER_MINUTES)
    return opens, closes


def staff_display_name(user: User, process: Process) -> str:
    return user.display_name_for_residents(process.unit.organisation, process.staff_label)


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


@transaction.atomic
def invitation_issue(
    *, participant: Participant, by_user: User | None, revoke_others: bool = True
) -> IssuedInvitation:
    """A new link for a participant; earlier unrevoked links of theirs are revoked, unless
    `revoke_others` is False (each e-mail or SMS carries a link of its own)."""
    now = timezone.now()
    if revoke_others:
        participant_links_revoke(participant=participant, by_user=by_user, reason="replaced")
    token = new_token()
    valid_from, valid_until = _validity_window(participant.visit.scheduled_at, now)
    invitation = Invitation.objects.create(
        participant=participant,
        token_hash=hash_token(token),
        valid_from=valid_from,
        valid_until=valid_until,
    )
    audit(
        action="invitation.issued",
        obj=invitation,
        actor_user=by_user,
        visit_id=participant.visit_id,
        valid_until=valid_until.isoformat(),
    )
    return IssuedInvitation(invitation=invitation, token=token)


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by_user: User | None, reason: str = "") -> None:
    """The one way a link stops working (always audited). `reason`: replaced, not_delivered, …"""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit(
            action="invitation.revoked",
            obj=invitation,
            actor_user=by_user,
            visit_id=invitation.participant.visit_id,
            **({"reason": reason} if reason else {}),  # type: ignore[arg-type]
        )


@transaction.atomic
def invitation_revoke_by_id(*, invitation_id: int, reason: str) -> None:
    """Revoke a link the system made (e.g. the link in a message that was never delivered)."""
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is not None:
        invitation_revoke(invitation=invitation, by_user=None, reason=reason)


@transaction.atomic
def participant_links_revoke(
    *, participant: Participant, by_user: User | None, reason: str = ""
) -> int:
    """Revoke every working link of one participant (each e-mail or SMS may carry its own)."""
    revoked = 0
    for invitation in participant.invitations.filter(revoked_at__isnull=True):
        invitation_revoke(invitation=invitation, by_user=by_user, reason=reason)
        revoked += 1
    return revoked


@transaction.atomic
def invitation_redeem(*, token: str, now: datetime | None = None) -> Participant:
    now = now or timezone.now()
    if not looks_like_token(token):
        raise InvitationError("unknown")
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("participant__visit")
        .filter(token_hash=hash_token(token))
        .first()
    )
    if invitation is None:
        raise InvitationError("unknown")
    visit = invitation.participant.visit
    if invitation.revoked_at is not None:
        raise InvitationError("revoked", visit=visit)
    if not visit.is_open:
        raise InvitationError("closed", visit=visit)
    if now < invitation.valid_from:
        raise InvitationError("not_yet_valid", opens_at=invitation.valid_from, visit=visit)
    if now > invitation.valid_until:
        raise InvitationError("expired", visit=visit)
    invitation.use_count += 1
    invitation.first_used_at = invitation.first_used_at or now
    invitation.save(update_fields=["use_count", "first_used_at"])
    audit(
        action="invitation.redeemed",
        obj=invitation,
        actor_participant_id=invitation.participant_id,
        visit_id=visit.id,
    )
    return invitation.participant


def publish_lobby(visit_id: uuid.UUID) -> None:
    """The waiting-room panel may have changed (the room tells the browsers after commit)."""
    signals.lobby_changed.send(sender=Visit, visit_id=visit_id)


def publish_presence(visit_id: uuid.UUID) -> None:
    """Who is in the call may have changed (the room tells the browsers after commit)."""
    signals.presence_changed.send(sender=Visit, visit_id=visit_id)


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


def _lock_visit(visit_id: uuid.UUID) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit_id)


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


# Guests -------------------------------------------------------------------------------------


def _open_visit_for_guests(visit: Visit) -> Visit:
    visit = _lock_visit(visit.id)
    if not visit.is_open:
        raise GuestError("closed", "the visit has ended")
    guests = visit.participants.filter(role__in=GUEST_ROLES, removed_at__isnull=True).count()
    if guests >= MAX_GUESTS:
        raise GuestError("too_many", f"a visit has at most {MAX_GUESTS} guests")
    return visit


@transaction.atomic
def guest_add(
    *,
    visit: Visit,
    by_user: User,
    role: str,
    display_name: str,
    language: str = "",
    interface_language: str = "",
) -> tuple[Participant, IssuedInvitation]:
    """An interpreter or a family member/helper with their own link (shown once)."""
    if role not in (ParticipantRole.INTERPRETER, ParticipantRole.FAMILY):
        raise GuestError("role", "guests with a link are interpreters or family members")
    name = display_name.strip()
    if not name:
        raise GuestError("name", "a guest needs a name")
    if language and language not in dict(settings.LANGUAGES):
        raise GuestError("language", "unknown language")
    if interface_language and interface_language not in settings.RESIDENT_UI_LANGUAGES:
        raise GuestError("language", "no screens in that language")
    visit = _open_visit_for_guests(visit)
    participant = Participant.objects.create(
        visit=visit,
        role=role,
        display_name=name[:160],
        language=language,
        interface_language=interface_language,
    )
    audit(
        action="participant.guest_added",
        obj=participant,
        actor_user=by_user,
        visit_id=visit.id,
        role=role,
    )
    issued = invitation_issue(participant=participant, by_user=by_user)
    publish_lobby(visit.id)
    return participant, issued


@transaction.atomic
def colleague_add(*, visit: Visit, by_user: User, colleague: User) -> Participant:
    """A second caseworker of the visit's unit; they join from their own dashboard."""
    if colleague.pk == visit.caseworker_id:
        raise GuestError("colleague", "the caseworker of the visit takes part already")
    if not user_can_manage_unit(colleague, visit.process.unit):
        raise GuestError("colleague", "the colleague does not work in the unit of this visit")
    existing = Participant.objects.filter(visit=visit, user=colleague).first()
    if existing is not None and existing.removed_at is None:
        if existing.role != ParticipantRole.COLLEAGUE:
            raise GuestError("colleague", "this person takes part already")
        return existing  # added before (or joined on their own): nothing changes
    visit = _open_visit_for_guests(visit)
    if existing is not None:
        existing.removed_at = None
        existing.role = ParticipantRole.COLLEAGUE
        existing.state = ParticipantState.INVITED
        existing.save(update_fields=["removed_at", "role", "state"])
        participant = existing
    else:
        participant = Participant.objects.create(
            visit=visit,
            role=ParticipantRole.COLLEAGUE,
            user=colleague,
            display_name=staff_display_name(colleague, visit.process),
        )
    audit(
        action="participant.colleague_added",
        obj=participant,
        actor_user=by_user,
        visit_id=visit.id,
        role=ParticipantRole.COLLEAGUE,
    )
    return participant


@transaction.atomic
def guest_remove(*, participant: Participant, by_user: User) -> None:
    """Take a guest off the visit: their links are revoked and, if in the call, they leave."""
    visit = _lock_visit(participant.visit_id)
    participant.refresh_from_db()
    if participant.role not in GUEST_ROLES:
        raise GuestError("role", "only guests can be removed")
    if participant.removed_at is not None:
        return
    now = timezone.now()
    participant_links_revoke(participant=participant, by_user=by_user)
    was = participant.state
    participant.removed_at = now
    if was in (ParticipantState.WAITING, ParticipantState.ADMITTED):
        participant.state = ParticipantState.LEFT
        participant.last_seen_at = now
    participant.save(update_fields=["removed_at", "state", "last_seen_at"])
    audit(
        action="participant.removed",
        obj=participant,
        actor_user=by_user,
        visit_id=visit.id,
        role=participant.role,
        state=was,
    )
    signals.participant_removed.send(sender=Participant, participant=participant, by_user=by_user)
