"""Guests: an interpreter, a family member or helper, a second caseworker; added and removed."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.accounts.selectors import user_can_manage_unit
from videocontact.privacy.audit import audit
from videocontact.visits import signals
from videocontact.visits.errors import (
    GuestError,
)
from videocontact.visits.models import (
    GUEST_ROLES,
    Participant,
    ParticipantRole,
    ParticipantState,
    Visit,
)
from videocontact.visits.services.common import (
    IssuedInvitation,
    _lock_visit,
    publish_lobby,
    staff_display_name,
)
from videocontact.visits.services.invitations import invitation_issue, participant_links_revoke

# At most this many guests (interpreters, family members, colleagues) per visit, beyond the
# caseworker and the resident: enough for a stand-in interpreter, not an open list.
MAX_GUESTS = 4


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
