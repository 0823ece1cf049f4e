"""Shared by the visit services: consent text versions, the link's validity window, the staff's display name, the visit lock and the lobby and presence announcements."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings

from videocontact.accounts.models import Process, User
from videocontact.visits import signals
from videocontact.visits.models import (
    Invitation,
    ParticipantRole,
    Visit,
)

CONSENT_TEXT_VERSION = "2026-11-v1"


# Guests consent to taking part, not to the processing of the resident's data: their own text.
GUEST_CONSENT_TEXT_VERSIONS = {
    ParticipantRole.INTERPRETER: "2026-12-interpreter-v1",
    ParticipantRole.FAMILY: "2026-12-family-v1",
}


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


def publish_lobby(visit_id: uuid.UUID) -> None:
    """The waiting-room panel may have changed (the room tells the browsers after commit)."""
    signals.lobby_changed.send(sender=Visit, visit_id=visit_id)


def publish_presence(visit_id: uuid.UUID) -> None:
    """Who is in the call may have changed (the room tells the browsers after commit)."""
    signals.presence_changed.send(sender=Visit, visit_id=visit_id)


def _lock_visit(visit_id: uuid.UUID) -> Visit:
    return Visit.objects.select_for_update().get(pk=visit_id)
