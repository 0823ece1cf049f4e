"""Links: issued (only a hash is stored), revoked (always audited), redeemed."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.privacy.audit import audit
from videocontact.visits.errors import (
    InvitationError,
)
from videocontact.visits.models import (
    Invitation,
    Participant,
)
from videocontact.visits.services.common import IssuedInvitation, _validity_window
from videocontact.visits.tokens import hash_token, looks_like_token, new_token


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
