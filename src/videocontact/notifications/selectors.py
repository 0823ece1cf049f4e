"""Read side of notifications: settings per process, contacts, messages, the code step."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from videocontact.accounts.models import Process
from videocontact.notifications.models import Contact, Message, MessagingSettings, SmsCode
from videocontact.visits.models import Participant, ParticipantRole, Visit

CODE_SESSION_KEY = "vc_code_ok"


def messaging_settings_for(process: Process) -> MessagingSettings:
    """The process's settings, or the defaults (unsaved) when none were made."""
    found = MessagingSettings.objects.filter(process=process).first()
    return found if found is not None else MessagingSettings(process=process)


def notifiable_participants(visit: Visit) -> list[Participant]:
    """Invited people (resident and guests, not staff, not removed) who have contact details."""
    return list(
        Participant.objects.filter(
            visit=visit, user__isnull=True, contact__isnull=False, removed_at__isnull=True
        )
        .select_related("visit", "contact")
        .order_by("created_at")
    )


def contact_for(participant: Participant) -> Contact | None:
    return Contact.objects.filter(participant=participant).first()


def messages_for_visit(visit: Visit) -> QuerySet[Message]:
    return Message.objects.filter(visit=visit).select_related("participant")


def invited_participant(visit: Visit, participant_id: uuid.UUID) -> Participant | None:
    """A participant of this visit who gets messages: not staff, not removed."""
    return Participant.objects.filter(
        pk=participant_id, visit=visit, user__isnull=True, removed_at__isnull=True
    ).first()


def message_of_visit(visit: Visit, message_id: int) -> Message | None:
    return Message.objects.filter(pk=message_id, visit=visit).first()


def code_required(participant: Participant) -> bool:
    """Two-channel join: on per process, for the resident, and for a guest whose mobile number
    is known (a guest without one cannot receive a code, and joins with the link alone)."""
    if participant.user_id is not None:
        return False
    if not messaging_settings_for(participant.visit.process).require_sms_code:
        return False
    if participant.role == ParticipantRole.RESIDENT:
        return True
    contact = contact_for(participant)
    return bool(contact and contact.mobile)


def code_passed(session: Any, participant: Participant) -> bool:
    """Has this browser session entered the right code for this participant?"""
    if not code_required(participant):
        return True
    passed = session.get(CODE_SESSION_KEY) or {}
    return passed.get(str(participant.visit_id)) == str(participant.id)


def latest_code(participant: Participant) -> SmsCode | None:
    return SmsCode.objects.filter(participant=participant).select_related("message").first()


def code_status(participant: Participant) -> dict[str, Any] | None:
    """For the caseworker's lobby: where a participant is at the code step, or None."""
    if not code_required(participant):
        return None
    code = latest_code(participant)
    maximum = settings.SMS_CODE_MAX_ATTEMPTS
    if code is None:
        state = "not_requested"
    elif code.verified_at is not None:
        state = "verified"
    elif code.message is not None and code.message.state == "failed":
        state = "send_failed"
    elif code.sent_at is None:
        state = "sending"
    elif code.attempts >= maximum:
        state = "locked"
    elif code.expires_at is not None and timezone.now() > code.expires_at:
        state = "expired"
    else:
        state = "waiting"
    return {
        "state": state,
        "attempts": code.attempts if code else 0,
        "maxAttempts": maximum,
    }


def code_statuses(visit_id: uuid.UUID) -> dict[uuid.UUID, dict[str, Any]]:
    """code_status for every invited participant of a visit (the lobby frame)."""
    found = {}
    for participant in Participant.objects.filter(
        visit_id=visit_id, user__isnull=True
    ).select_related("visit__process"):
        status = code_status(participant)
        if status is not None:
            found[participant.id] = status
    return found
