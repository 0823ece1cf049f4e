"""Contact details of a participant (e-mail, mobile number, language)."""

from __future__ import annotations

from django.db import transaction

from videocontact.accounts.models import User
from videocontact.notifications.models import (
    Channel,
    Contact,
)
from videocontact.notifications.services.common import _cancel_queued, _channels
from videocontact.notifications.services.lifecycle import invitation_send, reminders_schedule
from videocontact.privacy.audit import audit
from videocontact.visits.models import Participant


@transaction.atomic
def contact_save(
    *,
    participant: Participant,
    email: str,
    mobile: str,
    language: str | None,
    by_user: User | None,
    send_invitation: bool = False,
) -> Contact | None:
    """Store (or clear) how to reach a participant. `mobile` must already be E.164.
    With neither an e-mail address nor a number the row is deleted (store nothing needless).
    With `send_invitation` the invitation goes out at once to every channel given."""
    email = email.strip()
    mobile = mobile.strip()
    language = language or participant.visit.resident_language
    if not email and not mobile:
        deleted, _ = Contact.objects.filter(participant=participant).delete()
        if deleted:
            audit(
                action="contact.removed",
                obj=participant,
                actor_user=by_user,
                visit_id=participant.visit_id,
            )
        _cancel_queued(participant.visit, participant=participant)
        return None
    contact, _ = Contact.objects.update_or_create(
        participant=participant,
        defaults={"email": email, "mobile": mobile, "language": language},
    )
    audit(
        action="contact.updated",
        obj=participant,
        actor_user=by_user,
        visit_id=participant.visit_id,
        email=bool(email),
        mobile=bool(mobile),
    )
    # Messages still waiting for a channel that is gone now are cancelled, not failed later.
    gone: list[str] = [c for c in (Channel.EMAIL, Channel.SMS) if c not in _channels(contact)]
    if gone:
        _cancel_queued(participant.visit, participant=participant, channels=gone)
    reminders_schedule(visit=participant.visit, participants=[participant])
    if send_invitation and by_user is not None:
        invitation_send(participant=participant, channels=_channels(contact), by_user=by_user)
    return contact
