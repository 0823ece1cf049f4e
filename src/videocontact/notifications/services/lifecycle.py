"""Invitations, resends, reminders and the notices that follow a visit's life (moved, cancelled, ended)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from videocontact.accounts.models import User
from videocontact.notifications.models import (
    Message,
    MessageKind,
    MessageState,
)
from videocontact.notifications.selectors import messaging_settings_for, notifiable_participants
from videocontact.notifications.services.common import (
    NoAddress,
    NotificationError,
    _cancel_queued,
    _channels,
    _contact,
    _enqueue,
    _next_sequence,
)
from videocontact.privacy.audit import audit
from videocontact.visits.models import Participant, Visit, VisitStatus


@transaction.atomic
def invitation_send(
    *, participant: Participant, channels: list[str], by_user: User
) -> list[Message]:
    """The caseworker sends a participant's invitation by e-mail and/or SMS (each message gets
    a link of its own; earlier links keep working)."""
    contact = _contact(participant)
    available = _channels(contact)
    wanted = [c for c in channels if c in available]
    if not wanted:
        raise NoAddress("no address for the chosen channel")
    if not participant.visit.is_open:
        raise NotificationError("the visit is closed")
    now = timezone.now()
    messages = [
        _enqueue(
            participant=participant,
            kind=MessageKind.INVITATION,
            channel=channel,
            dedupe_key=f"invitation:{participant.visit_id}:{participant.id}:{channel}:{uuid.uuid4()}",
            send_at=now,
            by_user=by_user,
        )
        for channel in wanted
    ]
    audit(
        action="invitation.send_requested",
        obj=participant,
        actor_user=by_user,
        visit_id=participant.visit_id,
        channels=wanted,
    )
    return messages


@transaction.atomic
def message_resend(*, message: Message, by_user: User) -> Message:
    """'Send again': a new message of the same kind to the same participant, sent now."""
    if message.kind == MessageKind.CODE:
        raise NotificationError("a code is requested by the resident")
    if message.kind != MessageKind.CANCELLED and not message.visit.is_open:
        raise NotificationError("the visit is closed")
    if message.channel not in _channels(_contact(message.participant)):
        raise NoAddress("no address for this channel any more")
    again = _enqueue(
        participant=message.participant,
        kind=message.kind,
        channel=message.channel,
        dedupe_key=f"resend:{message.pk}:{uuid.uuid4()}",
        send_at=timezone.now(),
        by_user=by_user,
    )
    audit(
        action="message.resend_requested",
        obj=again,
        actor_user=by_user,
        visit_id=message.visit_id,
        original=message.pk,
    )
    return again


def reminders_schedule(
    *, visit: Visit, participants: list[Participant] | None = None, now: datetime | None = None
) -> list[Message]:
    """Plan the reminders of a planned visit (per process: default 24 h and 15 min before). The
    dedupe key holds the visit time, so planning twice plans nothing new."""
    now = now or timezone.now()
    if visit.scheduled_at is None or visit.status != VisitStatus.PLANNED:
        return []
    offsets = messaging_settings_for(visit.process).reminder_offsets
    planned = []
    for participant in participants or notifiable_participants(visit):
        for channel in _channels(_contact(participant)):
            for minutes in offsets:
                send_at = visit.scheduled_at - timedelta(minutes=minutes)
                if send_at <= now:
                    continue
                key = (
                    f"reminder:{visit.id}:{participant.id}:{channel}:{minutes}:"
                    f"{visit.scheduled_at.isoformat()}"
                )
                planned.append(
                    _enqueue(
                        participant=participant,
                        kind=MessageKind.REMINDER,
                        channel=channel,
                        dedupe_key=key,
                        send_at=send_at,
                    )
                )
    return planned


def on_visit_rescheduled(*, visit: Visit, old_scheduled_at: datetime | None, by_user: Any) -> None:
    """Receiver of visits.signals.visit_rescheduled (inside the reschedule transaction)."""
    _cancel_queued(visit, kinds=[MessageKind.REMINDER, MessageKind.RESCHEDULED])
    _next_sequence(visit)
    now = timezone.now()
    assert visit.scheduled_at is not None
    for participant in notifiable_participants(visit):
        for channel in _channels(_contact(participant)):
            _enqueue(
                participant=participant,
                kind=MessageKind.RESCHEDULED,
                channel=channel,
                dedupe_key=(
                    f"rescheduled:{visit.id}:{participant.id}:{channel}:"
                    f"{visit.scheduled_at.isoformat()}"
                ),
                send_at=now,
                by_user=by_user,
            )
    reminders_schedule(visit=visit, now=now)


def on_visit_cancelled(*, visit: Visit, by_user: Any) -> None:
    """Receiver of visits.signals.visit_cancelled: nothing queued goes out any more; a notice
    (with METHOD:CANCEL in the e-mail) goes to everyone who was told about the visit."""
    _cancel_queued(visit)
    _next_sequence(visit)
    now = timezone.now()
    told = set(
        Message.objects.filter(
            visit=visit, state__in=[MessageState.SENT, MessageState.DELIVERED]
        ).values_list("participant_id", "channel")
    )
    for participant in notifiable_participants(visit):
        for channel in _channels(_contact(participant)):
            if (participant.id, channel) not in told:
                continue
            _enqueue(
                participant=participant,
                kind=MessageKind.CANCELLED,
                channel=channel,
                dedupe_key=f"cancelled:{visit.id}:{participant.id}:{channel}",
                send_at=now,
                by_user=by_user,
            )


def on_visit_ended(*, visit: Visit) -> None:
    """Receiver of visits.signals.visit_ended: reminders still waiting are cancelled."""
    _cancel_queued(visit)
